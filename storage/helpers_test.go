package storage

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func openTest(t testing.TB, opts Options) *Store {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	s, err := Open(filepath.Join(t.TempDir(), "cache.db"), opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func customerJSON(id string, created int64, email, name string, balance int64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "customer", "created": created, "email": email, "name": name,
		"balance": balance, "currency": "usd", "livemode": false,
	})
	return b
}

func invoiceJSON(id, customer, status string, created, amountDue int64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "invoice", "created": created, "customer": customer, "status": status,
		"amount_due": amountDue, "currency": "usd", "number": "INV-" + id[3:],
	})
	return b
}

func eventJSON(id, typ string, created int64, obj json.RawMessage) []byte {
	return eventJSONVersion(id, typ, created, obj, APIVersion)
}

func eventJSONVersion(id, typ string, created int64, obj json.RawMessage, version string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": typ, "created": created, "api_version": version,
		"data": map[string]any{"object": obj}, "livemode": false,
	})
	return b
}

func cusID(i int) string { return fmt.Sprintf("cus_%08d", i) }
