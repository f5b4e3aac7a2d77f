package billing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/webhookd"
)

// actionEnv is a seeded sandbox, a real cache file, webhookd receiving
// the sandbox's signed webhooks into that cache, and Actions over them.
type actionEnv struct {
	t      testing.TB
	sb     *sandbox.Server
	base   string
	path   string
	store  *storage.Store
	client *Client
	acts   *Actions
	reqs   *testkit.RequestLog
	hooks  *webhookd.Server
	drop   *testkit.Dropper
}

var (
	admin   = Operator{Name: "ada@desk", Role: RoleAdmin}
	finance = Operator{Name: "fin@desk", Role: RoleFinance}
	support = Operator{Name: "sue@desk", Role: RoleSupport}
	viewer  = Operator{Name: "vic@desk", Role: RoleViewer}
)

type envOptions struct {
	customers int
	webhooks  bool
}

func newActionEnv(t testing.TB, o envOptions) *actionEnv {
	t.Helper()
	if o.customers == 0 {
		o.customers = 60
	}
	e := &actionEnv{t: t, reqs: &testkit.RequestLog{}, drop: &testkit.Dropper{Base: http.DefaultTransport}}
	sb, err := sandbox.New(sandbox.Options{Seed: 7, Customers: o.customers, Logger: slog.New(e.reqs),
		WebhookBackoff: 50 * time.Millisecond, Now: testclock.Running(), WebhookClock: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	if e.base, err = sb.Start(); err != nil {
		t.Fatal(err)
	}
	e.sb = sb
	t.Cleanup(func() { _ = sb.Close() })
	e.path = filepath.Join(t.TempDir(), "cache.db")
	e.open()
	t.Cleanup(func() {
		if e.store != nil {
			e.store.Close()
		}
	})
	e.client = newTestClient(t, e.base, func(c *Config) {
		c.HTTPClient = &http.Client{Transport: e.drop, Timeout: 20 * time.Second}
	})
	ctx := context.Background()
	if err := e.client.Backfill(ctx, e.store, BackfillOptions{}); err != nil {
		t.Fatalf("backfill: %v", err)
	}
	if o.webhooks {
		secret := "whsec_" + randHex(16)
		srv, err := webhookd.New(webhookd.Config{Addr: "127.0.0.1:0", Secrets: []string{secret}, Now: testclock.Running(),
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, e.store)
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
		e.hooks = srv
	}
	e.acts = NewActions(e.client, e.store, Clocks{Wall: testclock.Running()})
	e.reqs.Reset()
	return e
}

func (e *actionEnv) open() {
	e.t.Helper()
	s, err := storage.Open(e.path, webhookd.StoreOptions(storage.Options{Timeout: 2 * time.Second}))
	if err != nil {
		e.t.Fatalf("open store: %v", err)
	}
	e.store = s
}

// reopen simulates a crash and restart: the cache is closed and opened
// again and a new Actions is built on it.
func (e *actionEnv) reopen() {
	e.t.Helper()
	if err := e.store.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
	e.acts = NewActions(e.client, e.store, Clocks{Wall: testclock.Running()})
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// obj reads an object fresh from the sandbox.
func (e *actionEnv) obj(kind storage.Kind, id string) map[string]any {
	e.t.Helper()
	raw, err := e.client.Retrieve(context.Background(), kind, id)
	if err != nil {
		e.t.Fatalf("retrieve %s: %v", id, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// cached reads the cache's copy of kind/id (nil when absent).
func (e *actionEnv) cached(kind storage.Kind, id string) map[string]any {
	env, err := e.store.Get(kind, id)
	if err != nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(env.Raw, &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// waitCache polls the cache until ok accepts kind/id's copy (the webhook
// arrived and was applied) or the deadline passes.
func (e *actionEnv) waitCache(kind storage.Kind, id string, what string, ok func(map[string]any) bool) map[string]any {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m := e.cached(kind, id)
		if m != nil && ok(m) {
			return m
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("webhook did not update cached %s %s (%s); cached copy: %v", kind, id, what, m)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// find walks the cache for the first object of kind accepted by ok.
func (e *actionEnv) find(kind storage.Kind, what string, ok func(map[string]any) bool) string {
	e.t.Helper()
	q := storage.Query{Kind: kind, Limit: 100}
	for {
		page, err := e.store.List(q)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, env := range page.Items {
			var m map[string]any
			if err := json.Unmarshal(env.Raw, &m); err != nil {
				e.t.Fatal(err)
			}
			if ok(m) {
				return env.ID
			}
		}
		if page.Next == "" {
			e.t.Fatalf("seeded sandbox has no %s %s", kind, what)
		}
		q.After = page.Next
	}
}

// refundableCharge finds a succeeded, undisputed charge with nothing refunded.
func (e *actionEnv) refundableCharge(currency string) string {
	return e.find(storage.KindCharge, "refundable "+currency+" charge", func(m map[string]any) bool {
		return str(m, "status") == "succeeded" && num(m, "amount_refunded") == 0 && !boolean(m, "disputed") &&
			num(m, "amount") > 1000 && (currency == "" || str(m, "currency") == currency)
	})
}

// audit returns the newest audit records.
func (e *actionEnv) audit(n int) []storage.AuditRecord {
	e.t.Helper()
	recs, err := e.store.Audit(0, n)
	if err != nil {
		e.t.Fatal(err)
	}
	return recs
}

// checkAudit asserts the newest audit record describes a finished plan.
func (e *actionEnv) checkAudit(p *Plan, r Result, outcome string) storage.AuditRecord {
	e.t.Helper()
	recs := e.audit(1)
	if len(recs) == 0 {
		e.t.Fatal("no audit record")
	}
	a := recs[0]
	if a.Operator != p.Operator.Name || a.Action != string(p.Action) || a.Target != p.Target || a.Key != p.Key ||
		a.Outcome != outcome || a.Amount != p.Amount || a.Currency != p.Currency {
		e.t.Fatalf("audit record %+v does not match plan %s %s %s amount %d %s, outcome %s", a, p.Operator.Name, p.Action, p.Target, p.Amount, p.Currency, outcome)
	}
	if outcome != OutcomeRefused && (a.RequestID == "" || a.RequestID != r.RequestID || !strings.HasPrefix(a.RequestID, "req_")) {
		e.t.Fatalf("audit request id %q, result request id %q", a.RequestID, r.RequestID)
	}
	return a
}

// mustPlan(t)(a.PrepareX(...)) fails the test when preparing failed.
func mustPlan(t *testing.T) func(*Plan, error) *Plan {
	return func(p *Plan, err error) *Plan {
		t.Helper()
		if err != nil {
			t.Fatalf("prepare: %v (%s)", err, ExplainAction(err))
		}
		return p
	}
}

func mustExec(t *testing.T, a *Actions, p *Plan) Result {
	t.Helper()
	r, err := a.Execute(context.Background(), p)
	if err != nil {
		t.Fatalf("execute %s: %v (%s)", p.Action, err, ExplainAction(err))
	}
	if r.State != storage.IntentSucceeded || r.Key != p.Key {
		t.Fatalf("execute %s: result %+v", p.Action, r)
	}
	return r
}

func lineValue(p *Plan, label string) string {
	for _, l := range p.Lines {
		if l.Label == label {
			return l.Value
		}
	}
	return fmt.Sprintf("<no line %q>", label)
}

// wantField asserts err is a FieldError on field.
func wantField(t *testing.T, err error, field string) *FieldError {
	t.Helper()
	fe, ok := AsFieldError(err)
	if !ok {
		t.Fatalf("want a FieldError on %q, got %v", field, err)
	}
	if fe.Field != field {
		t.Fatalf("FieldError on %q (%s), want %q", fe.Field, fe.Message, field)
	}
	return fe
}

// failingTransport never reaches the server.
type failingTransport struct{}

func (failingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused (test)")}
}
