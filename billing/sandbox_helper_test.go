package billing

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// startSandbox seeds and starts a sandbox on loopback, closed with the test.
func startSandbox(t testing.TB, opts sandbox.Options) (*sandbox.Server, string) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = testclock.Running()
	}
	if opts.WebhookClock == nil {
		opts.WebhookClock = testclock.Running()
	}
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatalf("sandbox start: %v", err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb, base
}

// newSandboxClient builds a Client for the sandbox on the sandbox's clock
// (fetch stamps and event times then come from one clock, as with Stripe),
// with the rate limit out of the way and its log kept in logs (when not nil).
func newSandboxClient(t testing.TB, sb *sandbox.Server, base string, logs *testkit.SyncBuffer, mods ...func(*Config)) *Client {
	t.Helper()
	return newTestClient(t, base, append([]func(*Config){func(c *Config) {
		c.Clocks.Account = sb.Now
		if logs != nil {
			c.Logger = newBufferLogger(logs)
		}
	}}, mods...)...)
}

// newBufferLogger logs every level into buf.
func newBufferLogger(buf *testkit.SyncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// countingTransport counts the requests that reach the network per path
// and the 429 answers, and keeps each path's query strings in order.
type countingTransport struct {
	base http.RoundTripper

	mu        sync.Mutex
	perPath   map[string]int
	queries   map[string][]string
	total     int
	throttled int
}

func newCountingTransport() *countingTransport {
	return &countingTransport{base: http.DefaultTransport, perPath: map[string]int{}, queries: map[string][]string{}}
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.perPath[r.URL.Path]++
	c.queries[r.URL.Path] = append(c.queries[r.URL.Path], r.URL.RawQuery)
	c.total++
	c.mu.Unlock()
	resp, err := c.base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		c.mu.Lock()
		c.throttled++
		c.mu.Unlock()
	}
	return resp, err
}

func (c *countingTransport) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.perPath[path]
}

func (c *countingTransport) stats() (total, throttled int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, c.throttled
}

// withTransport makes the client send through rt.
func withTransport(rt http.RoundTripper) func(*Config) {
	return func(c *Config) { c.HTTPClient = &http.Client{Transport: rt} }
}

// listPaths maps each kind with an account-wide list to its path.
var listPaths = map[storage.Kind]string{
	storage.KindCustomer: "/v1/customers", storage.KindProduct: "/v1/products",
	storage.KindPrice: "/v1/prices", storage.KindSubscription: "/v1/subscriptions",
	storage.KindInvoice: "/v1/invoices", storage.KindPaymentIntent: "/v1/payment_intents",
	storage.KindCharge: "/v1/charges", storage.KindRefund: "/v1/refunds",
	storage.KindDispute: "/v1/disputes",
	storage.KindCoupon:  "/v1/coupons", storage.KindPromotionCode: "/v1/promotion_codes",
}

// remoteIDs lists every id Stripe (the sandbox) has of kind, through
// billing's own auto-pagination.
func remoteIDs(t testing.TB, c *Client, o ListOptions) []string {
	t.Helper()
	var ids []string
	for raw, err := range c.ListAll(context.Background(), o) {
		if err != nil {
			t.Fatalf("list %s: %v", o.Kind, err)
		}
		id, err := objectID(raw)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// remoteBalanceTxns lists the balance transactions of every customer of
// the sandbox (one list a customer, whatever its balance: Stripe's truth,
// not what the cache suggests) and counts the customers that have any.
func remoteBalanceTxns(t testing.TB, c *Client) (txns []string, customers int) {
	t.Helper()
	for _, id := range remoteIDs(t, c, ListOptions{Kind: storage.KindCustomer}) {
		ids := remoteIDs(t, c, ListOptions{Kind: storage.KindBalanceTransaction, Customer: id})
		if len(ids) > 0 {
			customers++
		}
		txns = append(txns, ids...)
	}
	return txns, customers
}

// sameJSON reports whether a and b decode to equal values.
func sameJSON(t testing.TB, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("decode: %v", err)
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return bytes.Equal(ja, jb)
}
