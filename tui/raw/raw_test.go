package raw_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
	"github.com/paydesk/paydesk/tui/raw"
)

// TestRawRedactsClientSecret: the J page of a payment intent shows its
// client_secret as "[redacted]", also inside next_action's URL.
func TestRawRedactsClientSecret(t *testing.T) {
	store, err := storage.Open(filepath.Join(t.TempDir(), "c.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	obj, _ := json.Marshal(map[string]any{"id": "pi_3Sec", "object": "payment_intent", "created": testclock.Anchor().Unix(),
		"amount": 1500, "currency": "usd", "status": "requires_action", "client_secret": "pi_3Sec_secret_Zq8XwVb41",
		"next_action": map[string]any{"redirect_to_url": map[string]any{"url": "https://x.example/?s=pi_3Sec_secret_Zq8XwVb41"}}})
	if err := store.PutObject(obj, testclock.Anchor().Unix()); err != nil {
		t.Fatal(err)
	}
	p := raw.New(pagetest.Session(store, testclock.Anchor()), storage.KindPaymentIntent, "pi_3Sec")
	p.SetSize(pagetest.Width, 40)
	p.Init()
	v := p.View()
	if strings.Contains(v, "Zq8XwVb41") || !strings.Contains(v, `"client_secret": "[redacted]"`) || !strings.Contains(v, `"id": "pi_3Sec"`) {
		t.Fatalf("J page:\n%s", v)
	}
}
