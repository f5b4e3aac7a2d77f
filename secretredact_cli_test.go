package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
)

// secretIntent is a payment intent as Stripe sends it: its client_secret, and
// the same secret again inside next_action's redirect URL.
const secretIntentSecret = "pi_3Sec_secret_Zq8XwVb41"

// seedSecretIntent writes secretIntent into a fresh cache through a
// payment_intent.succeeded event and returns the cache's path.
func seedSecretIntent(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "secret.db")
	store, err := storage.Open(db, storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	created := testclock.Anchor().Unix()
	pi := map[string]any{"id": "pi_3Sec", "object": "payment_intent", "created": created, "amount": 1500,
		"currency": "usd", "status": "requires_action", "customer": nil, "livemode": false,
		"client_secret": secretIntentSecret,
		"next_action": map[string]any{"type": "redirect_to_url", "redirect_to_url": map[string]any{
			"url": "https://hooks.stripe.com/3d_secure?payment_intent_client_secret=" + secretIntentSecret}}}
	ev, err := json.Marshal(map[string]any{"id": "evt_sec", "object": "event", "type": "payment_intent.requires_action",
		"created": created, "api_version": storage.APIVersion, "data": map[string]any{"object": pi}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ApplyEvent(ev, &storage.Delivery{At: created * 1e9, Source: "webhook", Status: 200}); err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestCLINeverPrintsClientSecret: get (text and --json) and ls (table,
// --json, --csv) of a cached payment intent print its JSON with the
// client_secret redacted, in its own member and inside the redirect URL.
func TestCLINeverPrintsClientSecret(t *testing.T) {
	clearEnv(t)
	db := seedSecretIntent(t)
	for _, args := range [][]string{
		{"get", "pi_3Sec", "--json"},
		{"get", "pi_3Sec"},
		{"ls", "payment_intents", "--json"},
		{"ls", "payment_intents"},
		{"ls", "payment_intents", "--csv"},
		{"events", "--json"},
		{"events"},
	} {
		code, out, errOut := runCLI(t, append(args, "--db", db)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		if strings.Contains(out+errOut, "Zq8XwVb41") {
			t.Errorf("%v printed the client secret:\n%s", args, out)
		}
		if args[0] == "get" && !strings.Contains(out, `"client_secret":`) {
			t.Errorf("%v: the client_secret member is gone, want it redacted:\n%s", args, out)
		}
		if args[0] == "get" && !strings.Contains(out, `"[redacted]"`) {
			t.Errorf("%v: no [redacted] value:\n%s", args, out)
		}
	}
}
