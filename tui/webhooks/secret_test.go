package webhooks_test

import (
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
	"github.com/paydesk/paydesk/tui/webhooks"
)

// TestDetailRedactsClientSecret: enter on a payment_intent.* delivery shows
// the event JSON with the intent's client_secret redacted, and the diff tab
// (the intent before and after) does too, also where the secret sits inside a
// URL's query.
func TestDetailRedactsClientSecret(t *testing.T) {
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	const secret = "pi_3Sec_secret_Zq8XwVb41"
	pi := func(status string) map[string]any {
		return map[string]any{"id": "pi_3Sec", "object": "payment_intent", "amount": 1500, "currency": "usd",
			"status": status, "client_secret": secret,
			"next_action": map[string]any{"type": "redirect_to_url", "redirect_to_url": map[string]any{
				"url": "https://hooks.stripe.com/3d_secure?payment_intent_client_secret=" + secret}}}
	}
	for i, st := range []struct {
		id, typ, status string
	}{{"evt_p1", "payment_intent.created", "requires_action"}, {"evt_p2", "payment_intent.succeeded", "succeeded"}} {
		when := at(11, 50+i, 0)
		obj := pi(st.status)
		obj["created"] = at(11, 50, 0).Unix()
		raw := event(st.id, st.typ, when, obj, storage.APIVersion)
		d := storage.Delivery{At: when.UnixNano(), LatencyUS: 500, Source: "webhook", Status: 200, Bytes: len(raw)}
		if _, err := s.ApplyEvent(raw, &d); err != nil {
			t.Fatal(err)
		}
	}
	tm, _ := start(t, pagetest.Session(s, now))
	waitFor(t, tm, "payment_intent.succeeded")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "[event JSON]")
	typeKeys(tm, "d")
	waitFor(t, tm, "[diff]")
	h := final(t, tm)
	p, ok := h.Top().(*webhooks.DetailPage)
	if !ok {
		t.Fatalf("top page %T", h.Top())
	}
	diff := h.View()
	if strings.Contains(diff, "Zq8XwVb41") || !strings.Contains(diff, "succeeded") {
		t.Errorf("diff tab:\n%s", diff)
	}
	event := p.EventText()
	if strings.Contains(event, "Zq8XwVb41") || !strings.Contains(event, `"client_secret": "[redacted]"`) {
		t.Errorf("event JSON:\n%s", event)
	}
	for _, l := range p.DiffLines() {
		if strings.Contains(l, "Zq8XwVb41") {
			t.Errorf("diff line %q", l)
		}
	}
}
