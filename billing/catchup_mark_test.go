package billing

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// deliverByWebhook applies raw as webhookd does for a verified delivery
// (storage.ApplyEvent with a "webhook" receipt, the source webhookd names
// SourceWebhook).
func deliverByWebhook(t *testing.T, store *storage.Store, raw []byte) storage.ApplyResult {
	t.Helper()
	res, err := store.ApplyEvent(raw, &storage.Delivery{Source: "webhook", At: testclock.Running()().UnixNano()})
	if err != nil {
		t.Fatalf("webhook delivery: %v", err)
	}
	return res
}

// renameTwo renames two cached customers in Stripe, one after the other,
// and returns the two customer.updated events, older first, as the Events
// API lists them.
func renameTwo(t *testing.T, c *Client, store *storage.Store) (older, newer storage.ApplyResult, olderRaw, newerRaw []byte, a, b string) {
	t.Helper()
	ctx := context.Background()
	p, err := store.List(storage.Query{Kind: storage.KindCustomer, Limit: 2})
	if err != nil || len(p.Items) != 2 {
		t.Fatalf("two cached customers: %v", err)
	}
	a, b = p.Items[0].ID, p.Items[1].ID
	if _, err := c.API().Customers.Update(a, &stripe.CustomerParams{Name: stripe.String("Older Delivery Failed")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.API().Customers.Update(b, &stripe.CustomerParams{Name: stripe.String("Newer Delivered")}); err != nil {
		t.Fatal(err)
	}
	page, err := c.ListPage(ctx, ListOptions{Kind: KindEvent, Limit: 2})
	if err != nil || len(page.Data) != 2 {
		t.Fatalf("newest events: %d, %v", len(page.Data), err)
	}
	newerRaw, olderRaw = page.Data[0], page.Data[1]
	if newer, _, err = storage.ParseEvent(newerRaw); err != nil {
		t.Fatal(err)
	}
	if older, _, err = storage.ParseEvent(olderRaw); err != nil {
		t.Fatal(err)
	}
	if older.Type != "customer.updated" || newer.Type != "customer.updated" || older.EventID == newer.EventID {
		t.Fatalf("events %s %s / %s %s, want two customer.updated", older.EventID, older.Type, newer.EventID, newer.Type)
	}
	return older, newer, olderRaw, newerRaw, a, b
}

// TestCatchUpFetchesEventWhoseDeliveryFailed: the webhook delivery of an
// older event failed and a newer one was delivered; catch-up still fetches
// the older one, because webhook deliveries do not move the catch-up mark.
func TestCatchUpFetchesEventWhoseDeliveryFailed(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 31, Customers: 20})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	// A first event gives the catch-up mark an id (the seeded account has
	// none, so the backfill marked a time).
	advanceFor(t, sb, 24*time.Hour, 1)
	if _, err := c.CatchUp(ctx, store, StoreApplier{Store: store}); err != nil {
		t.Fatal(err)
	}
	start, _ := store.CatchUpMark()
	if start.ID == "" {
		t.Fatalf("catch-up mark %+v has no id", start)
	}

	older, newer, _, newerRaw, a, b := renameTwo(t, c, store)
	// Only the newer delivery reaches the cache.
	if res := deliverByWebhook(t, store, newerRaw); res.Verdict != storage.VerdictApplied {
		t.Fatalf("newer delivery: %s", res.Verdict)
	}
	if last, _ := store.LastEvent(); last.ID != newer.EventID {
		t.Fatalf("last event %+v, want the delivered %s", last, newer.EventID)
	}
	if mark, _ := store.CatchUpMark(); mark != start {
		t.Fatalf("a webhook delivery moved the catch-up mark: %+v, was %+v", mark, start)
	}
	if got, _ := store.Get(storage.KindCustomer, a); got.Name == "Older Delivery Failed" {
		t.Fatal("the older change is already cached: the test proves nothing")
	}

	apply := &recordingApplier{StoreApplier: StoreApplier{Store: store}}
	n, err := c.CatchUp(ctx, store, apply)
	if err != nil {
		t.Fatalf("catch-up: %v", err)
	}
	if n != 1 {
		t.Fatalf("catch-up counted %d new events, want 1 (the older one; the newer is a duplicate)", n)
	}
	// The newer event is already in the cache: catch-up skips it without
	// a receipt instead of logging a duplicate delivery.
	if want := []string{older.EventID}; !slices.Equal(apply.ids(), want) {
		t.Fatalf("catch-up applied %v, want %v", apply.ids(), want)
	}
	if v := apply.results[0].Verdict; v != storage.VerdictApplied {
		t.Fatalf("older event: %s", v)
	}
	for id, name := range map[string]string{a: "Older Delivery Failed", b: "Newer Delivered"} {
		if got, err := store.Get(storage.KindCustomer, id); err != nil || got.Name != name {
			t.Fatalf("customer %s: name %q (%v), want %q", id, got.Name, err, name)
		}
	}
	if mark, _ := store.CatchUpMark(); mark.ID != newer.EventID {
		t.Fatalf("catch-up mark %+v, want %s", mark, newer.EventID)
	}

	// Nothing new: nothing listed after the mark, nothing applied.
	apply.results = nil
	if n, err := c.CatchUp(ctx, store, apply); err != nil || n != 0 || len(apply.results) != 0 {
		t.Fatalf("second catch-up: %d, %v, applied %v; want nothing", n, err, apply.ids())
	}
}

// failingApplier fails once on one event id, as a storage error would.
type failingApplier struct {
	recordingApplier
	failOn string
}

func (a *failingApplier) ApplyEvent(raw []byte, source string) (storage.ApplyResult, error) {
	if id, _ := objectID(raw); id == a.failOn {
		a.failOn = ""
		return storage.ApplyResult{}, errors.New("disk full")
	}
	return a.recordingApplier.ApplyEvent(raw, source)
}

// TestCatchUpMarkStopsAtFailure: a catch-up that fails part-way leaves the
// mark on the last event it applied; the next run applies the rest, once.
func TestCatchUpMarkStopsAtFailure(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 32, Customers: 200})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		name    string
		advance time.Duration
	}{{"time mark", 6 * 24 * time.Hour}, {"id mark", 8 * 24 * time.Hour}} {
		emitted := advanceFor(t, sb, step.advance, PageSize+11)
		// Fail inside the second page, so the first page's mark is kept and
		// part of the second page's too.
		failAt := PageSize + 5
		apply := &failingApplier{recordingApplier: recordingApplier{StoreApplier: StoreApplier{Store: store}}, failOn: emitted[failAt]}
		n, err := c.CatchUp(ctx, store, apply)
		if err == nil || n != failAt || !slices.Equal(apply.ids(), emitted[:failAt]) {
			t.Fatalf("%s: failing catch-up: %d, %v; want %d applied then the error", step.name, n, err, failAt)
		}
		if mark, _ := store.CatchUpMark(); mark.ID != emitted[failAt-1] {
			t.Fatalf("%s: catch-up mark %+v, want the last applied %s", step.name, mark, emitted[failAt-1])
		}
		apply.results = nil
		n, err = c.CatchUp(ctx, store, apply)
		if err != nil || n != len(emitted)-failAt || !slices.Equal(apply.ids(), emitted[failAt:]) {
			t.Fatalf("%s: resumed catch-up: %d, %v; want the %d remaining events, each once", step.name, n, err, len(emitted)-failAt)
		}
	}
	assertSameContent(t, c, store)
}
