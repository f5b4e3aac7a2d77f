package billing

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// recordingApplier applies events to the store and remembers what it
// applied, in order.
type recordingApplier struct {
	StoreApplier
	results []storage.ApplyResult
}

func (a *recordingApplier) ApplyEvent(raw []byte, source string) (storage.ApplyResult, error) {
	if source != SourceCatchUp {
		return storage.ApplyResult{}, errors.New("unexpected source " + source)
	}
	res, err := a.StoreApplier.ApplyEvent(raw, source)
	if err == nil {
		a.results = append(a.results, res)
	}
	return res, err
}

func (a *recordingApplier) ids() []string {
	var out []string
	for _, r := range a.results {
		out = append(out, r.EventID)
	}
	return out
}

// eventsAfter lists, oldest first, the ids of the events the API lists
// after the event id mark ("" = every event).
func eventsAfter(t *testing.T, c *Client, mark string) []string {
	t.Helper()
	var newestFirst []string
	for raw, err := range c.ListAll(context.Background(), ListOptions{Kind: KindEvent}) {
		if err != nil {
			t.Fatal(err)
		}
		id, _ := objectID(raw)
		if id == mark {
			break
		}
		newestFirst = append(newestFirst, id)
	}
	slices.Reverse(newestFirst)
	return newestFirst
}

// assertCurrent checks that every cached object the applied events touched
// equals what the API returns now.
func assertCurrent(t *testing.T, c *Client, store *storage.Store, results []storage.ApplyResult) {
	t.Helper()
	seen := map[string]bool{}
	checked := 0
	for _, r := range results {
		if !r.Kind.Cached() || seen[r.ObjectID] {
			continue
		}
		seen[r.ObjectID] = true
		env, err := store.Get(r.Kind, r.ObjectID)
		if err != nil {
			t.Fatalf("%s %s touched by %s (%s) but not cached: %v", r.Kind, r.ObjectID, r.EventID, r.Type, err)
		}
		raw, err := c.fetchOne(context.Background(), r.Kind, env.Customer, r.ObjectID)
		if err != nil {
			t.Fatalf("retrieve %s: %v", r.ObjectID, err)
		}
		if !sameJSON(t, withoutSilentFields(t, raw), withoutSilentFields(t, env.Raw)) {
			t.Errorf("%s %s: cache differs from the API after catch-up in %v", r.Kind, r.ObjectID, diffKeys(t, env.Raw, raw))
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no cached object was touched by the events")
	}
}

func TestCatchUpAppliesEventsOldestFirst(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 5, Customers: 120})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	apply := &recordingApplier{StoreApplier: StoreApplier{Store: store}}

	// The seeded account had no events: the mark is a time, and the first
	// catch-up lists events created since.
	emitted := advanceFor(t, sb, 5*24*time.Hour, PageSize+1)
	listed := eventsAfter(t, c, "")
	if !slices.Equal(listed, emitted) {
		t.Fatalf("the API lists %d events, Advance emitted %d", len(listed), len(emitted))
	}
	n, err := c.CatchUp(ctx, store, apply)
	if err != nil {
		t.Fatalf("catch-up: %v", err)
	}
	if n != len(listed) || !slices.Equal(apply.ids(), listed) {
		t.Fatalf("applied %d events (%d recorded), want the %d listed, oldest first", n, len(apply.results), len(listed))
	}
	assertCurrent(t, c, store, apply.results)
	mark, _ := store.CatchUpMark()
	if mark.ID != listed[len(listed)-1] {
		t.Fatalf("catch-up mark %+v, want the newest event %s", mark, listed[len(listed)-1])
	}
	if last, _ := store.LastEvent(); last != mark {
		t.Fatalf("last event %+v, want the catch-up mark %+v (nothing came by webhook)", last, mark)
	}

	// Nothing new: nothing applied.
	apply.results = nil
	if n, err := c.CatchUp(ctx, store, apply); err != nil || n != 0 {
		t.Fatalf("second catch-up: %d, %v; want 0, nil", n, err)
	}

	// With an id mark, catch-up pages forward with ending_before.
	emitted = advanceFor(t, sb, 7*24*time.Hour, PageSize+1)
	listed = eventsAfter(t, c, mark.ID)
	if len(listed) <= PageSize || !slices.Equal(listed, emitted) {
		t.Fatalf("listed %d events after the mark, Advance emitted %d (need more than a page)", len(listed), len(emitted))
	}
	n, err = c.CatchUp(ctx, store, apply)
	if err != nil {
		t.Fatalf("catch-up after an id mark: %v", err)
	}
	if n != len(listed) || !slices.Equal(apply.ids(), listed) {
		t.Fatalf("applied %d events, want the %d listed, oldest first", n, len(listed))
	}
	assertCurrent(t, c, store, apply.results)
	for _, r := range apply.results {
		if r.Verdict == storage.VerdictDuplicate {
			t.Fatalf("event %s applied twice", r.EventID)
		}
	}
	if n, err := c.CatchUp(ctx, store, apply); err != nil || n != 0 {
		t.Fatalf("third catch-up: %d, %v; want 0, nil", n, err)
	}
	assertSameContent(t, c, store)
}

// TestCatchUpResyncNeeded: a cache offline for longer than Stripe keeps
// events, or whose last event Stripe dropped, must resync; a full resync
// (ResetCursors + Backfill) makes catch-up work again.
func TestCatchUpResyncNeeded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	resync := func(t *testing.T, c *Client, store *storage.Store, sb *sandbox.Server, then time.Duration) {
		t.Helper()
		if err := store.ResetCursors(); err != nil {
			t.Fatal(err)
		}
		if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
			t.Fatalf("resync backfill: %v", err)
		}
		assertMirrors(t, c, store)
		emitted := advanceFor(t, sb, then, 1)
		apply := &recordingApplier{StoreApplier: StoreApplier{Store: store}}
		n, err := c.CatchUp(ctx, store, apply)
		if err != nil {
			t.Fatalf("catch-up after the resync: %v", err)
		}
		if n != len(emitted) || !slices.Equal(apply.ids(), emitted) {
			t.Fatalf("catch-up after the resync applied %d events, want %d", n, len(emitted))
		}
	}

	t.Run("mark older than 30 days", func(t *testing.T) {
		sb, base := startSandbox(t, sandbox.Options{Seed: 8, Customers: 40})
		c := newSandboxClient(t, sb, base, nil)
		store := newTestStore(t)
		if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
			t.Fatal(err)
		}
		sb.Advance(31 * 24 * time.Hour)
		n, err := c.CatchUp(ctx, store, StoreApplier{Store: store})
		if !errors.Is(err, ErrResyncNeeded) || n != 0 {
			t.Fatalf("catch-up after 31 days: %d, %v; want ErrResyncNeeded", n, err)
		}
		if !strings.Contains(Explain(err), "full resync") {
			t.Fatalf("Explain = %q", Explain(err))
		}
		resync(t, c, store, sb, 24*time.Hour)
	})

	t.Run("mark Stripe no longer knows", func(t *testing.T) {
		sb, base := startSandbox(t, sandbox.Options{Seed: 9, Customers: 150, MaxEvents: 40})
		c := newSandboxClient(t, sb, base, nil)
		store := newTestStore(t)
		advanceFor(t, sb, 24*time.Hour, 1)
		if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
			t.Fatal(err)
		}
		mark, _ := store.CatchUpMark()
		if mark.ID == "" {
			t.Fatalf("backfill did not mark the newest event: %+v", mark)
		}
		advanceFor(t, sb, 10*24*time.Hour, 41) // push the mark out of the sandbox's log
		if _, err := c.Retrieve(ctx, KindEvent, mark.ID); !IsNotFound(err) {
			t.Fatalf("the marked event is still known: %v", err)
		}
		n, err := c.CatchUp(ctx, store, StoreApplier{Store: store})
		if !errors.Is(err, ErrResyncNeeded) || n != 0 {
			t.Fatalf("catch-up from a dropped event: %d, %v; want ErrResyncNeeded", n, err)
		}
		resync(t, c, store, sb, 6*time.Hour)
	})
}

// diffKeys names the top-level fields whose values differ between a and b.
func diffKeys(t *testing.T, a, b []byte) []string {
	t.Helper()
	var ma, mb map[string]json.RawMessage
	if err := json.Unmarshal(a, &ma); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &mb); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k, va := range ma {
		if vb, ok := mb[k]; !ok || !sameJSON(t, va, vb) {
			out = append(out, k+"="+string(va)+"/"+string(mb[k]))
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, "+"+k)
		}
	}
	return out
}

// silentFields change without an event of their own: Stripe bumps a
// customer's next_invoice_sequence with every invoice it numbers and does
// not send customer.updated for it.
var silentFields = []string{"next_invoice_sequence"}

func withoutSilentFields(t *testing.T, raw []byte) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range silentFields {
		delete(m, f)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assertSameContent checks that every object the API lists, every kind,
// is cached with the same content (fields Stripe changes silently aside).
func assertSameContent(t *testing.T, c *Client, store *storage.Store) {
	t.Helper()
	differ := map[string]int{}
	compared := 0
	for _, kind := range storage.Kinds {
		if kind == storage.KindBalanceTransaction {
			continue // immutable; their presence is checked by assertMirrors
		}
		for raw, err := range c.ListAll(context.Background(), ListOptions{Kind: kind}) {
			if err != nil {
				t.Fatal(err)
			}
			id, _ := objectID(raw)
			env, err := store.Get(kind, id)
			if err != nil {
				t.Errorf("%s %s not cached: %v", kind, id, err)
				continue
			}
			compared++
			if !sameJSON(t, withoutSilentFields(t, raw), withoutSilentFields(t, env.Raw)) {
				for _, k := range diffKeys(t, withoutSilentFields(t, env.Raw), withoutSilentFields(t, raw)) {
					key, _, _ := strings.Cut(k, "=")
					differ[string(kind)+"."+key]++
				}
			}
		}
	}
	if len(differ) > 0 {
		t.Errorf("after catch-up, %d objects compared; fields that differ from the API (kind.field: objects): %v", compared, differ)
	}
}

// TestCatchUpAfterResumedBackfill: changes made while a backfill was
// interrupted reach the cache through the resumed backfill or catch-up;
// afterwards the cache equals the API.
func TestCatchUpAfterResumedBackfill(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 23, Customers: 80})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := c.Backfill(ctx, store, BackfillOptions{OnProgress: func(p Progress) {
		if p.Kind == storage.KindInvoice && p.Pages >= 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted backfill: %v", err)
	}
	// The account moves on while paydesk is down.
	advanceFor(t, sb, 4*24*time.Hour, 1)
	if err := c.Backfill(context.Background(), store, BackfillOptions{}); err != nil {
		t.Fatalf("resumed backfill: %v", err)
	}
	n, err := c.CatchUp(context.Background(), store, StoreApplier{Store: store})
	if err != nil || n == 0 {
		t.Fatalf("catch-up after the resumed backfill: %d, %v", n, err)
	}
	assertMirrors(t, c, store)
	assertSameContent(t, c, store)
}

// advanceFor moves the sandbox clock in steps of step until it has emitted
// at least n events in all (renewals, retries and disputes come on the
// seeded account's own schedule, which depends on the anchor date), for at
// most 90 days, and returns them oldest first.
func advanceFor(t testing.TB, sb *sandbox.Server, step time.Duration, n int) []string {
	t.Helper()
	var emitted []string
	for moved := time.Duration(0); moved < 90*24*time.Hour; moved += step {
		if emitted = append(emitted, sb.Advance(step)...); len(emitted) >= n {
			return emitted
		}
	}
	t.Fatalf("%d events within 90 days of the anchor, want %d (now %s)", len(emitted), n, sb.Now().UTC().Format(time.RFC3339))
	return nil
}
