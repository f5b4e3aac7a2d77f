// Package lostanswer is a loopback HTTP proxy for tests of money actions
// after a network cut: put it in front of the sandbox (or any
// Stripe-compatible server) and it can let a request through and then drop
// Stripe's answer by closing the connection (Stripe acted, the client never
// learnt it), cut the request before it reaches the server (Stripe never
// saw it), or pass everything. It records every request it forwarded, so a
// test counts the effects: mutating answers 2xx that were not idempotent
// replays.
package lostanswer

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Mode is what the proxy does with a matching request.
type Mode int

const (
	// Pass forwards requests and answers unchanged.
	Pass Mode = iota
	// DropAnswer forwards the request, reads the server's whole answer and
	// closes the client's connection without a byte of it.
	DropAnswer
	// CutRequest closes the client's connection before anything is
	// forwarded: the server never sees the request.
	CutRequest
)

// Forwarded is one request that reached the server.
type Forwarded struct {
	Method, Path, Key string
	Status            int
	// Replayed: the server answered from its idempotency store
	// (Idempotent-Replayed: true), so it did not act again.
	Replayed bool
	// Dropped: the client never received the answer.
	Dropped bool
}

// Proxy is a running proxy on 127.0.0.1.
type Proxy struct {
	// URL is the proxy's base URL ("http://127.0.0.1:PORT").
	URL    string
	target string
	srv    *http.Server
	client *http.Client

	mu    sync.Mutex
	mode  Mode
	match func(method, path string) bool
	log   []Forwarded
}

// Start serves a proxy to target (a base URL such as the sandbox's) on a
// loopback port. Close stops it.
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{URL: "http://" + ln.Addr().String(), target: strings.TrimRight(target, "/"),
		client: &http.Client{Timeout: 60 * time.Second}}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// Close stops the proxy.
func (p *Proxy) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return p.srv.Shutdown(ctx)
}

// Set applies mode to requests match accepts (nil: every mutating
// request, i.e. any method but GET); the others pass.
func (p *Proxy) Set(mode Mode, match func(method, path string) bool) {
	if match == nil {
		match = func(method, _ string) bool { return method != http.MethodGet }
	}
	p.mu.Lock()
	p.mode, p.match = mode, match
	p.mu.Unlock()
}

// Effects counts the requests for which the server acted: 2xx answers to
// method on a path starting with prefix that were not idempotent replays
// (dropped answers included: the server acted all the same).
func (p *Proxy) Effects(method, prefix string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, f := range p.log {
		if f.Method == method && strings.HasPrefix(f.Path, prefix) && f.Status/100 == 2 && !f.Replayed {
			n++
		}
	}
	return n
}

// Log returns what was forwarded so far.
func (p *Proxy) Log() []Forwarded {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Forwarded(nil), p.log...)
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	mode := Pass
	if p.match != nil && p.match(r.Method, r.URL.Path) {
		mode = p.mode
	}
	p.mu.Unlock()
	if mode == CutRequest {
		hangUp(w)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		hangUp(w)
		return
	}
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	resp, err := p.client.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		hangUp(w)
		return
	}
	f := Forwarded{Method: r.Method, Path: r.URL.Path, Key: r.Header.Get("Idempotency-Key"), Status: resp.StatusCode,
		Replayed: resp.Header.Get("Idempotent-Replayed") == "true", Dropped: mode == DropAnswer}
	p.mu.Lock()
	p.log = append(p.log, f)
	p.mu.Unlock()
	if mode == DropAnswer {
		hangUp(w)
		return
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

// hangUp closes the client's connection without an answer.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // a reset, as a cut network gives
	}
	_ = conn.Close()
}
