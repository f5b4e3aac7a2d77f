package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// eventFor wraps obj into a Stripe event.
func eventFor(t *testing.T, id, typ, version string, created int64, obj []byte) []byte {
	t.Helper()
	raw, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": typ, "created": created, "api_version": version,
		"livemode": false, "data": map[string]any{"object": json.RawMessage(obj)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// edited returns raw with field set to v.
func edited(t *testing.T, raw []byte, field string, v any) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m[field] = v
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// firstCached returns the newest cached object of q.
func firstCached(t *testing.T, store *storage.Store, q storage.Query) storage.Envelope {
	t.Helper()
	q.Limit = 1
	p, err := store.List(q)
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("no cached %s (%v)", q.Kind, err)
	}
	return p.Items[0]
}

func TestRefreshStaleRewritesFromAPI(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 12, Customers: 60})
	logs := &testkit.SyncBuffer{}
	c := newSandboxClient(t, sb, base, logs)
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}

	// 1. A customer renamed in Stripe, then an event of another API version
	// about it: the cache keeps its old copy and marks it stale.
	cu := firstCached(t, store, storage.Query{Kind: storage.KindCustomer})
	renamed, err := c.API().Customers.Update(cu.ID, &stripe.CustomerParams{Name: stripe.String("Renamed In Stripe")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := store.ApplyEvent(eventFor(t, "evt_versioned1", "customer.updated", "2024-04-10", sb.Now().Unix(),
		edited(t, cu.Raw, "name", "Shape Of Another Version")), nil)
	if err != nil || res.Verdict != storage.VerdictVersionMismatch {
		t.Fatalf("apply versioned event: %+v, %v", res, err)
	}

	// 2. A subscription with an event from the very second of its cached
	// copy: written, but marked stale (which of the two is newer is unknown).
	sub := firstCached(t, store, storage.Query{Kind: storage.KindSubscription})
	res, err = store.ApplyEvent(eventFor(t, "evt_samesecond1", "customer.subscription.updated", storage.APIVersion, sub.EventCreated,
		edited(t, sub.Raw, "metadata", map[string]string{"written_by": "same-second event"})), nil)
	if err != nil || res.Verdict != storage.VerdictConflict {
		t.Fatalf("apply same-second event: %+v, %v", res, err)
	}

	// 3. A balance transaction, refetched through its customer.
	withBalance := firstCached(t, store, storage.Query{Kind: storage.KindCustomer, Balance: storage.BalanceNonZero})
	txn := firstCached(t, store, storage.Query{Kind: storage.KindBalanceTransaction, Customer: withBalance.ID})
	res, err = store.ApplyEvent(eventFor(t, "evt_versioned2", "customer.balance_transaction.created", "2022-11-15", sb.Now().Unix(),
		edited(t, txn.Raw, "description", "older shape")), nil)
	if err != nil || res.Verdict != storage.VerdictVersionMismatch {
		t.Fatalf("apply versioned balance event: %+v, %v", res, err)
	}

	// 4. An object Stripe does not have: skipped, not counted.
	gone := edited(t, edited(t, cu.Raw, "id", "cus_GoneFromStripe"), "email", "gone@example.com")
	if res, err = store.ApplyEvent(eventFor(t, "evt_versioned3", "customer.updated", "2024-04-10", sb.Now().Unix(), gone), nil); err != nil {
		t.Fatal(err)
	}

	stale, err := store.Stale(100)
	if err != nil || len(stale) != 4 {
		t.Fatalf("stale before the refresh: %+v, %v", stale, err)
	}
	n, err := c.RefreshStale(ctx, store, 100)
	if err != nil || n != 3 {
		t.Fatalf("RefreshStale = %d, %v; want the 3 objects Stripe has", n, err)
	}
	for _, ref := range []struct {
		kind     storage.Kind
		id, cust string
	}{{storage.KindCustomer, cu.ID, ""}, {storage.KindSubscription, sub.ID, ""}, {storage.KindBalanceTransaction, txn.ID, withBalance.ID}} {
		env, err := store.Get(ref.kind, ref.id)
		if err != nil {
			t.Fatal(err)
		}
		if env.Stale {
			t.Errorf("%s still stale: %s", ref.id, env.StaleReason)
		}
		api, err := c.fetchOne(ctx, ref.kind, ref.cust, ref.id)
		if err != nil {
			t.Fatal(err)
		}
		if string(api) != string(env.Raw) {
			t.Errorf("%s after the refresh differs from the API:\n%s\n%s", ref.id, env.Raw, api)
		}
	}
	if got, _ := store.Get(storage.KindCustomer, cu.ID); got.Name != renamed.Name {
		t.Errorf("customer name %q, Stripe says %q", got.Name, renamed.Name)
	}
	stale, _ = store.Stale(100)
	if len(stale) != 1 || stale[0].ID != "cus_GoneFromStripe" {
		t.Fatalf("stale after the refresh: %+v, want only the object Stripe lacks", stale)
	}
	if n, err := c.RefreshStale(ctx, store, 100); err != nil || n != 0 {
		t.Fatalf("second RefreshStale = %d, %v; want 0", n, err)
	}
	assertNoKey(t, logs.String())
}

func TestRefreshStaleStopsOffline(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 13, Customers: 10})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		cu := firstCached(t, store, storage.Query{Kind: storage.KindCustomer, Asc: i%2 == 0})
		if _, err := store.ApplyEvent(eventFor(t, fmt.Sprintf("evt_v%d", i), "customer.updated", "2024-04-10", sb.Now().Unix(), cu.Raw), nil); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := store.Stale(100)
	if len(before) == 0 {
		t.Fatal("nothing stale")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	off := newTestClient(t, dead)
	n, err := off.RefreshStale(ctx, store, 100)
	if !IsOffline(err) || n != 0 {
		t.Fatalf("RefreshStale offline = %d, %v; want 0 and an offline error", n, err)
	}
	if after, _ := store.Stale(100); len(after) != len(before) {
		t.Fatalf("stale objects %d -> %d while offline", len(before), len(after))
	}
	// Back online, everything is refreshed.
	if n, err := c.RefreshStale(ctx, store, 100); err != nil || n != len(before) {
		t.Fatalf("RefreshStale online = %d, %v; want %d", n, err, len(before))
	}
}

func TestRefetchOne(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 14, Customers: 60})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	// A change made in Stripe reaches the cache on `r`.
	cu := firstCached(t, store, storage.Query{Kind: storage.KindCustomer})
	if _, err := c.API().Customers.Update(cu.ID, &stripe.CustomerParams{Email: stripe.String("new.address@example.com")}); err != nil {
		t.Fatal(err)
	}
	if err := c.Refetch(ctx, store, storage.KindCustomer, cu.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Get(storage.KindCustomer, cu.ID); got.Email != "new.address@example.com" {
		t.Fatalf("email after refetch = %q", got.Email)
	}
	// An object created after the backfill is cached by its first refetch.
	created, err := c.API().Customers.New(&stripe.CustomerParams{Email: stripe.String("fresh@example.com"), Name: stripe.String("Fresh Customer")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Refetch(ctx, store, storage.KindCustomer, created.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := store.Get(storage.KindCustomer, created.ID); err != nil || got.Name != "Fresh Customer" {
		t.Fatalf("new customer after refetch: %+v, %v", got.Fields, err)
	}
	// A balance transaction is found through its cached customer.
	withBalance := firstCached(t, store, storage.Query{Kind: storage.KindCustomer, Balance: storage.BalanceNonZero})
	txn := firstCached(t, store, storage.Query{Kind: storage.KindBalanceTransaction, Customer: withBalance.ID})
	if err := c.Refetch(ctx, store, storage.KindBalanceTransaction, txn.ID); err != nil {
		t.Fatalf("refetch balance transaction: %v", err)
	}
	// A customer deleted in Stripe is deleted in the cache by its refetch.
	before := mustCount(t, store, storage.KindCustomer)
	if _, err := c.API().Customers.Del(created.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Refetch(ctx, store, storage.KindCustomer, created.ID); err != nil {
		t.Fatalf("refetch of a deleted customer: %v", err)
	}
	if got, err := store.Get(storage.KindCustomer, created.ID); err != nil || !got.Deleted || mustCount(t, store, storage.KindCustomer) != before-1 {
		t.Fatalf("deleted customer after refetch: deleted=%v, %v; count %d -> %d", got.Deleted, err, before, mustCount(t, store, storage.KindCustomer))
	}
	// An id Stripe does not know is an error the TUI can explain.
	err = c.Refetch(ctx, store, storage.KindCustomer, "cus_NotInStripe")
	if !IsNotFound(err) {
		t.Fatalf("refetch of a missing id: %v", err)
	}
}

// TestRefetchStampPrecedesFetch: a change made in Stripe while a refetch
// was on its way is not lost as "older" than the refetched copy.
func TestRefetchStampPrecedesFetch(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: testclock.Anchor()}
	sb, base := startSandbox(t, sandbox.Options{Seed: 18, Customers: 10, Now: clk.now})
	ctx := context.Background()
	plain := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	if err := plain.Backfill(ctx, store, BackfillOptions{Kinds: []storage.Kind{storage.KindCustomer}}); err != nil {
		t.Fatal(err)
	}
	cu := firstCached(t, store, storage.Query{Kind: storage.KindCustomer})
	clk.sleep(ctx, 10*time.Second)
	hook := &hookTransport{base: http.DefaultTransport, path: "/v1/customers/" + cu.ID, after: func() {
		if _, err := plain.API().Customers.Update(cu.ID, &stripe.CustomerParams{Name: stripe.String("Changed Mid Refetch")}); err != nil {
			t.Errorf("update during the refetch: %v", err)
		}
		clk.sleep(ctx, 2*time.Second)
	}}
	c := newSandboxClient(t, sb, base, nil, withTransport(hook))
	if err := c.Refetch(ctx, store, storage.KindCustomer, cu.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Get(storage.KindCustomer, cu.ID); got.Name == "Changed Mid Refetch" {
		t.Fatal("the refetched copy already holds the change: the test proves nothing")
	}
	if n, err := c.CatchUp(ctx, store, StoreApplier{Store: store}); err != nil || n != 1 {
		t.Fatalf("catch-up: %d, %v", n, err)
	}
	if got, _ := store.Get(storage.KindCustomer, cu.ID); got.Name != "Changed Mid Refetch" {
		t.Fatalf("cached name %q: the change made during the refetch was dropped", got.Name)
	}
}
