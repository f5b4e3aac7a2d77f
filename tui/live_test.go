package tui

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
	"github.com/paydesk/paydesk/webhookd"
)

const liveSecret = "whsec_tui_live_test_secret"

// liveEvent wraps obj in a Stripe event created at fixture.Now + dt.
func liveEvent(t *testing.T, id, typ string, dt int64, obj json.RawMessage) []byte {
	t.Helper()
	ev := map[string]any{
		"id": id, "object": "event", "api_version": storage.APIVersion, "type": typ,
		"created": fixture.Now.Unix() + dt, "livemode": false,
		"data": map[string]any{"object": obj}, "pending_webhooks": 1,
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post sends body to the receiver signed like Stripe.
func post(t *testing.T, url string, body []byte) {
	t.Helper()
	ts := fixture.Now.Unix()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set(webhookd.SignatureHeader, "t="+strconv.FormatInt(ts, 10)+",v1="+hex.EncodeToString(webhookd.Sign(liveSecret, ts, body)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook answered %d", resp.StatusCode)
	}
}

func withField(t *testing.T, raw json.RawMessage, field string, v any) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m[field] = v
	b, _ := json.Marshal(m)
	return b
}

// liveFixture is a seeded cache with a real webhookd receiver on loopback
// writing to it; url is where signed events are POSTed.
func liveFixture(t *testing.T) (*fixture.Fixture, string) {
	t.Helper()
	f, err := fixture.Build(fixture.Options{Seed: 11, Customers: 12, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	srv, err := webhookd.New(webhookd.Config{Secrets: []string{liveSecret}, Now: fixture.Clock,
		Logger: slog.New(slog.DiscardHandler)}, f.Store)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	url := "http://" + ln.Addr().String() + webhookd.DefaultPath
	return f, url
}

// TestLiveUpdate: a signed customer.updated POSTed to a real webhookd on
// loopback changes the customer's row on screen, the header counts it,
// and a failed payment toasts.
func TestLiveUpdate(t *testing.T) {
	f, url := liveFixture(t)

	c := session(nil, func(c *common.Common) { c.Store, c.Receiving = f.Store, true })
	tm := program(t, c, 120, 36)

	p, err := f.Store.List(storage.Query{Kind: storage.KindCustomer, Limit: 3})
	if err != nil || len(p.Items) < 3 {
		t.Fatalf("fixture customers: %v", err)
	}
	target := p.Items[2] // a row below the cursor, drawn without the selection style
	post(t, url, liveEvent(t, "evt_live_1", "customer.updated", 60, withField(t, target.Raw, "name", "Zed Livewire")))
	waitFor(t, tm, "Zed Livewire")
	// (the header's "1 ev/min" came in the same frame; the final view checks the count)

	inv, err := f.Store.List(storage.Query{Kind: storage.KindInvoice, Limit: 1})
	if err != nil || len(inv.Items) == 0 {
		t.Fatalf("fixture invoices: %v", err)
	}
	post(t, url, liveEvent(t, "evt_live_2", "invoice.payment_failed", 61, withField(t, inv.Items[0].Raw, "attempt_count", 9)))
	waitFor(t, tm, "payment failed: "+inv.Items[0].ID)

	m := finish(t, tm)
	view := m.View()
	var row string
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, target.ID) {
			row = l
		}
	}
	if !strings.Contains(row, "Zed Livewire") || strings.Contains(view, target.Name) {
		t.Fatalf("row of %s after the event: %q (old name %q)\n%s", target.ID, row, target.Name, view)
	}
	if !strings.Contains(view, "2 ev/min") {
		t.Fatalf("header does not count the two events:\n%s", strings.SplitN(view, "\n", 2)[0])
	}
	if got := fmt.Sprint(f.Store.Feed().Subscribers()); got != "0" {
		t.Fatalf("quitting left %s bus subscribers", got)
	}
}
