package webhookd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testkit"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Test secrets: syntactically real, never used anywhere else.
const (
	testSecret    = "whsec_test_current_5f1d0c8a9e7b4a62b3c1"
	testOldSecret = "whsec_test_previous_0a9b8c7d6e5f4a3b2c1d"
	testBadSecret = "whsec_test_attacker_1111111111111111111"
)

type testEnv struct {
	srv   *Server
	store *storage.Store
	url   string // webhook endpoint
	base  string // server root
	logs  *testkit.SyncBuffer
}

type envOption func(*Config, *storage.Options)

func withSecrets(s ...string) envOption {
	return func(c *Config, _ *storage.Options) { c.Secrets = s }
}

func withBatch() envOption {
	return func(_ *Config, o *storage.Options) { *o = StoreOptions(*o) }
}

// newEnv opens a real bbolt file in t.TempDir and serves webhookd over real
// HTTP on 127.0.0.1.
func newEnv(t testing.TB, opts ...envOption) *testEnv {
	t.Helper()
	logs := &testkit.SyncBuffer{}
	cfg := Config{
		Now:     testNow,
		Secrets: []string{testSecret},
		Logger:  slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	sopts := storage.Options{Holder: "webhookd test", Now: testNow}
	for _, o := range opts {
		o(&cfg, &sopts)
	}
	st, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), sopts)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	srv, err := New(cfg, st)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.Close()
		st.Close()
	})
	return &testEnv{srv: srv, store: st, url: hs.URL + DefaultPath, base: hs.URL, logs: logs}
}

// eventJSON builds a Stripe event carrying a customer object, in the compact
// form Stripe sends.
func eventJSON(id, objID string, created int64, apiVersion, name string) []byte {
	ev := map[string]any{
		"id": id, "object": "event", "type": "customer.updated", "created": created,
		"api_version": apiVersion, "livemode": false, "pending_webhooks": 1,
		"request": map[string]any{"id": nil, "idempotency_key": nil},
		"data": map[string]any{"object": map[string]any{
			"id": objID, "object": "customer", "created": created - 100, "email": strings.ToLower(name) + "@example.com",
			"name": name, "balance": 0, "currency": "usd", "livemode": false, "metadata": map[string]any{},
		}},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return b
}

func signedHeader(body []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at}).Header
}

type reply struct {
	status int
	body   string
	header http.Header
}

func send(t testing.TB, client *http.Client, method, url string, body []byte, headers map[string][]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	for k, vs := range headers {
		req.Header.Del(k)
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func postSigned(t testing.TB, e *testEnv, body []byte, secret string) reply {
	t.Helper()
	return send(t, nil, http.MethodPost, e.url, body, map[string][]string{SignatureHeader: {signedHeader(body, secret, testNow())}})
}

// lastDelivery returns the newest receipt in the delivery log.
func lastDelivery(t testing.TB, st *storage.Store) storage.Delivery {
	t.Helper()
	ds, err := st.Deliveries(0, 1)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries: %v (%d rows)", err, len(ds))
	}
	return ds[0]
}

// cacheState summarises what the cache holds, to prove a request changed nothing.
func cacheState(t testing.TB, st *storage.Store) string {
	t.Helper()
	var b strings.Builder
	for _, k := range storage.Kinds {
		n, err := st.Count(k)
		if err != nil {
			t.Fatalf("count %s: %v", k, err)
		}
		fmt.Fprintf(&b, "%s=%d ", k, n)
	}
	evs, err := st.RecentEvents(0, 1000)
	if err != nil {
		t.Fatalf("recent events: %v", err)
	}
	fmt.Fprintf(&b, "events=%d ", len(evs))
	mark, err := st.LastEvent()
	if err != nil {
		t.Fatalf("last event: %v", err)
	}
	fmt.Fprintf(&b, "last=%s", mark.ID)
	return b.String()
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
