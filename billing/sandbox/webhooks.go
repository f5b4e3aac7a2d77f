package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"time"
)

const maxDeliveryAttempts = 8

// hookHub fans events out to the registered endpoints. Each endpoint has
// its own goroutine that delivers in emission order, retrying a failed
// delivery with exponential backoff before moving on.
type hookHub struct {
	s      *Server
	mu     sync.Mutex
	eps    []*deliverer
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	client *http.Client
}

type deliverer struct {
	id      string
	url     string
	secret  string
	events  []string // enabled events; "*" = all
	created int64
	desc    string
	deleted bool

	mu    sync.Mutex
	cond  *sync.Cond
	queue [][]byte
}

func newHookHub(s *Server) *hookHub {
	ctx, cancel := context.WithCancel(context.Background())
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: loopbackOnly}
	tr := &http.Transport{DialContext: dialer.DialContext, Proxy: nil, MaxIdleConnsPerHost: 4}
	return &hookHub{s: s, ctx: ctx, cancel: cancel, client: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

// loopbackOnly refuses any connection that would leave the machine.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("webhook address %q: %w", address, err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("webhook address %s is not loopback: the sandbox only delivers on this machine", host)
	}
	return nil
}

func checkLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid URL %q", raw)
	}
	h := u.Hostname()
	if h == "localhost" {
		return nil
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("URL host %q is not a loopback address", h)
}

func (h *hookHub) add(d *deliverer) {
	d.cond = sync.NewCond(&d.mu)
	h.mu.Lock()
	h.eps = append(h.eps, d)
	h.mu.Unlock()
	h.wg.Add(1)
	go h.run(d)
}

func (h *hookHub) count(typ string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, d := range h.eps {
		if !d.deleted && typeMatches(d.events, typ) {
			n++
		}
	}
	return n
}

func (h *hookHub) publish(typ string, raw []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range h.eps {
		if d.deleted || !typeMatches(d.events, typ) {
			continue
		}
		d.mu.Lock()
		d.queue = append(d.queue, raw)
		d.mu.Unlock()
		d.cond.Signal()
	}
}

func (h *hookHub) remove(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range h.eps {
		if d.id == id && !d.deleted {
			d.mu.Lock()
			d.deleted = true
			d.queue = nil
			d.mu.Unlock()
			d.cond.Signal()
			return true
		}
	}
	return false
}

func (h *hookHub) close() {
	h.cancel()
	h.mu.Lock()
	for _, d := range h.eps {
		d.mu.Lock()
		d.cond.Broadcast()
		d.mu.Unlock()
	}
	h.mu.Unlock()
	h.wg.Wait()
}

func (h *hookHub) run(d *deliverer) {
	defer h.wg.Done()
	for {
		d.mu.Lock()
		for len(d.queue) == 0 && h.ctx.Err() == nil && !d.deleted {
			d.cond.Wait()
		}
		if h.ctx.Err() != nil || d.deleted {
			d.mu.Unlock()
			return
		}
		raw := d.queue[0]
		d.queue = d.queue[1:]
		d.mu.Unlock()
		h.deliver(d, raw)
	}
}

// deliver POSTs one event, retrying with backoff; it gives up after
// maxDeliveryAttempts or when the hub closes.
func (h *hookHub) deliver(d *deliverer, raw []byte) {
	backoff := h.s.opts.WebhookBackoff
	for attempt := 1; attempt <= maxDeliveryAttempts; attempt++ {
		err := h.post(d, raw)
		if err == nil {
			return
		}
		h.s.log.Warn("sandbox: webhook delivery failed", "endpoint", d.id, "attempt", attempt, "err", err)
		if attempt == maxDeliveryAttempts {
			return
		}
		t := time.NewTimer(backoff)
		select {
		case <-h.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (h *hookHub) post(d *deliverer, raw []byte) error {
	ts := h.s.opts.WebhookClock().Unix()
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, d.url, bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("building request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
	req.Header.Set("Stripe-Signature", signature(d.secret, ts, raw))
	resp, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("posting: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errors.New("endpoint answered " + strconv.Itoa(resp.StatusCode))
	}
	return nil
}

// signature renders a Stripe-Signature header value: t=<unix>,v1=<hex
// HMAC-SHA256 of "<t>.<payload>" keyed by the endpoint secret>.
func signature(secret string, t int64, payload []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	ts := strconv.FormatInt(t, 10)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(payload)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// AddEndpoint registers a webhook endpoint that receives every event
// emitted from now on, signed with secret. Only loopback URLs are accepted;
// others are logged and ignored.
func (s *Server) AddEndpoint(rawURL, secret string) {
	if err := checkLoopbackURL(rawURL); err != nil {
		s.log.Error("sandbox: AddEndpoint refused", "err", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addEndpoint(rawURL, secret, []string{"*"}, "")
}

func (s *Server) addEndpoint(rawURL, secret string, events []string, desc string) *deliverer {
	s.hooks.mu.Lock()
	n := len(s.hooks.eps)
	s.hooks.mu.Unlock()
	d := &deliverer{id: s.ids.id(kWebhookEndpoint, uint32(n)), url: rawURL, secret: secret, events: events, created: s.unix(), desc: desc}
	s.hooks.add(d)
	return d
}

func (s *Server) renderEndpoint(d *deliverer, withSecret bool) map[string]any {
	ev := make([]any, len(d.events))
	for i, e := range d.events {
		ev[i] = e
	}
	m := map[string]any{
		"id": d.id, "object": "webhook_endpoint", "api_version": stripeAPIVersion, "application": nil,
		"created": d.created, "description": nilIfEmpty(d.desc), "enabled_events": ev, "livemode": false,
		"metadata": map[string]any{}, "status": "enabled", "url": d.url,
	}
	if withSecret {
		m["secret"] = d.secret
	}
	return m
}

func (s *Server) createEndpoint(c *call) (any, *apiError) {
	u := c.p.str("url")
	if u == "" {
		return nil, requiredParam("url")
	}
	if err := checkLoopbackURL(u); err != nil {
		return nil, invalidRequest("url", "Invalid URL: %v", err)
	}
	events := c.p.list("enabled_events")
	if len(events) == 0 {
		return nil, requiredParam("enabled_events")
	}
	secret := fmt.Sprintf("whsec_%016x%016x", s.rng.Uint64(), s.rng.Uint64())
	d := s.addEndpoint(u, secret, events, c.p.str("description"))
	return s.renderEndpoint(d, true), nil
}

func (s *Server) findEndpoint(id string) *deliverer {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	for _, d := range s.hooks.eps {
		if d.id == id && !d.deleted {
			return d
		}
	}
	return nil
}

func (s *Server) getEndpoint(c *call) (any, *apiError) {
	d := s.findEndpoint(c.id())
	if d == nil {
		return nil, missing("webhook endpoint", c.id())
	}
	return s.renderEndpoint(d, false), nil
}

func (s *Server) deleteEndpoint(c *call) (any, *apiError) {
	if !s.hooks.remove(c.id()) {
		return nil, missing("webhook endpoint", c.id())
	}
	return map[string]any{"id": c.id(), "object": "webhook_endpoint", "deleted": true}, nil
}

func (s *Server) listEndpoints(c *call) (any, *apiError) {
	s.hooks.mu.Lock()
	var live []*deliverer
	for _, d := range s.hooks.eps {
		if !d.deleted {
			live = append(live, d)
		}
	}
	s.hooks.mu.Unlock()
	data := make([]any, 0, len(live))
	for i := len(live) - 1; i >= 0; i-- {
		data = append(data, s.renderEndpoint(live[i], false))
	}
	return listEnvelope("/v1/webhook_endpoints", data, false), nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
