// Package actenv builds what the money-action tests of the console need:
// a seeded billing/sandbox on loopback, a real cache file backfilled from
// it, webhookd receiving the sandbox's signed webhooks into that cache
// (whose feed announces them), billing.Actions over them and a session
// Common, all on a fixed business clock.
package actenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"
	"github.com/paydesk/paydesk/storage/stripejson"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/webhookd"
)

// Now is the business clock of every env: the suite's anchor
// (testclock.Default, 2026-11-23 12:00 UTC, unless PAYDESK_TEST_ANCHOR moves it).
var Now = testclock.Anchor()

// Clock returns Now.
func Clock() time.Time { return Now }

// Admin is the default operator.
var Admin = billing.Operator{Name: "ada@desk", Role: billing.RoleAdmin}

// Env is one test's sandbox, cache, webhook receiver and actions.
type Env struct {
	t       testing.TB
	Sandbox *sandbox.Server
	// Base is the sandbox's API base URL ("http://127.0.0.1:PORT").
	Base   string
	Store  *storage.Store
	Client *billing.Client
	Acts   *billing.Actions
	// Receiving is true when a webhook receiver feeds Store (Options.NoWebhooks unset).
	Receiving bool
	Reqs      *testkit.RequestLog
	// Drop loses Stripe's answers to chosen requests.
	Drop *testkit.Dropper
}

// Options size an env.
type Options struct {
	Customers int
	// NoWebhooks leaves webhookd out (the cache then changes only by refetch).
	NoWebhooks bool
}

// New builds an env; everything is closed when the test ends.
func New(t testing.TB, o Options) *Env {
	t.Helper()
	if o.Customers == 0 {
		o.Customers = 40
	}
	e := &Env{t: t, Reqs: &testkit.RequestLog{}, Drop: &testkit.Dropper{Base: http.DefaultTransport}}
	sb, err := sandbox.New(sandbox.Options{Seed: 7, Customers: o.Customers, Now: Clock, Logger: slog.New(e.Reqs),
		WebhookBackoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	e.Sandbox, e.Base = sb, base
	t.Cleanup(func() { _ = sb.Close() })
	store, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"),
		webhookd.StoreOptions(storage.Options{Timeout: 2 * time.Second, Now: Clock}))
	if err != nil {
		t.Fatal(err)
	}
	e.Store = store
	t.Cleanup(func() { store.Close() })
	e.Client, err = billing.New(billing.Config{SecretKey: sb.APIKey(), APIBase: base, UploadsBase: base,
		RateLimit: 10000, Clocks: billing.Clocks{Account: Clock}, Logger: slog.New(slog.DiscardHandler),
		HTTPClient: &http.Client{Transport: e.Drop, Timeout: 20 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Client.Backfill(context.Background(), store, billing.BackfillOptions{}); err != nil {
		t.Fatalf("backfill: %v", err)
	}
	if !o.NoWebhooks {
		e.Receiving = true
		secret := "whsec_" + randHex(16)
		srv, err := webhookd.New(webhookd.Config{Addr: "127.0.0.1:0", Secrets: []string{secret},
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, store)
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = srv.Serve(ln) }()
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(ctx)
		})
		sb.AddEndpoint("http://"+ln.Addr().String()+webhookd.DefaultPath, secret)
		// As the console's runtime does: stale copies and customers whose
		// balance moved are read again soon after their events.
		fresh, stop := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			e.Client.KeepStoreFresh(fresh, store, time.Minute, nil)
		}()
		t.Cleanup(func() { stop(); <-stopped })
	}
	e.Acts = billing.NewActions(e.Client, store, billing.Clocks{Wall: Clock})
	e.Reqs.Reset()
	return e
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Session is a Common over the env: ASCII renderer, the fixed clock, UTC,
// op as operator, Money set, an empty action registry.
func (e *Env) Session(op billing.Operator) *common.Common {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	r.SetColorProfile(termenv.Ascii)
	return common.New(common.Common{Store: e.Store, Billing: e.Client, Money: e.Acts, Clocks: billing.Clocks{Account: Clock}, Loc: testclock.Zone(),
		Renderer: r, Operator: op, Account: "Paydesk Test", Mode: "test", Actions: &common.Actions{}})
}

// Object reads kind/id fresh from the sandbox.
func (e *Env) Object(kind storage.Kind, id string) map[string]any {
	e.t.Helper()
	raw, err := e.Client.Retrieve(context.Background(), kind, id)
	if err != nil {
		e.t.Fatalf("retrieve %s: %v", id, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// Cached reads the cache's copy of kind/id (nil when absent).
func (e *Env) Cached(kind storage.Kind, id string) map[string]any {
	env, err := e.Store.Get(kind, id)
	if err != nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(env.Raw, &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// WaitCache polls the cache until ok accepts kind/id's copy (the webhook
// arrived and was applied).
func (e *Env) WaitCache(kind storage.Kind, id, what string, ok func(map[string]any) bool) map[string]any {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := e.Cached(kind, id); m != nil && ok(m) {
			return m
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("webhook did not update cached %s %s (%s)", kind, id, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Find walks the cache for the first object of kind ok accepts.
func (e *Env) Find(kind storage.Kind, what string, ok func(map[string]any) bool) storage.Envelope {
	e.t.Helper()
	q := storage.Query{Kind: kind, Limit: 100}
	for {
		page, err := e.Store.List(q)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, env := range page.Items {
			var m map[string]any
			if err := json.Unmarshal(env.Raw, &m); err != nil {
				e.t.Fatal(err)
			}
			if ok(m) {
				return env
			}
		}
		if page.Next == "" {
			e.t.Fatalf("seeded sandbox has no %s %s", kind, what)
		}
		q.After = page.Next
	}
}

// Audit returns the newest n audit records.
func (e *Env) Audit(n int) []storage.AuditRecord {
	e.t.Helper()
	recs, err := e.Store.Audit(0, n)
	if err != nil {
		e.t.Fatal(err)
	}
	return recs
}

// Str, Num, Bool and Path read decoded Stripe JSON through stripejson.
var (
	Str  = stripejson.String
	Num  = stripejson.Int
	Bool = stripejson.Bool
	Path = stripejson.Lookup
)
