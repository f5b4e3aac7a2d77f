package billing

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// TestCatchUpWaitsForBackfill: a catch-up started while a backfill's ranges
// are being walked sends no Events-API request until the backfill has
// returned, so events are applied in order after its pages, never between
// them.
func TestCatchUpWaitsForBackfill(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 23, Customers: 120, Latency: 2 * time.Millisecond})
	var mu sync.Mutex
	var trail []string // "events", "list", "backfill returned", "catch-up called"
	note := func(s string) { mu.Lock(); trail = append(trail, s); mu.Unlock() }
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		switch {
		case r.URL.Path == "/v1/events":
			note("events")
		case r.URL.Query().Get("limit") != "": // a backfill page (a refetch has no limit)
			note("list")
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	c := newSandboxClient(t, sb, base, nil, withTransport(rt), func(cfg *Config) { cfg.Concurrency = 4 })
	store := newTestStore(t)
	ctx := context.Background()
	// A synced cache with a catch-up mark, then a full resync.
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := store.ResetCursors(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	trail = nil
	mu.Unlock()

	started := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		err := c.Backfill(ctx, store, BackfillOptions{OnProgress: func(p Progress) {
			if p.Kind == storage.KindInvoice {
				once.Do(func() { close(started) })
			}
		}})
		note("backfill returned")
		if err != nil {
			t.Error(err)
		}
	}()
	go func() {
		defer wg.Done()
		<-started
		note("catch-up called")
		if _, err := c.CatchUp(ctx, store, StoreApplier{Store: store}); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()

	// The property: once catch-up asks for events, the backfill has
	// fetched its last page (no list request follows the first events
	// request); and the two overlapped (backfill pages were fetched after
	// catch-up was called, before its first events request). "backfill
	// returned" is noted after Backfill returns, so on a loaded machine it
	// may land after catch-up's first request: it is not part of the check.
	called, firstEvents, overlap := -1, -1, 0
	for i, s := range trail {
		switch {
		case s == "catch-up called":
			called = i
		case s == "events" && called >= 0 && firstEvents < 0:
			firstEvents = i
		case s == "list" && called >= 0 && firstEvents < 0:
			overlap++
		case s == "list" && firstEvents >= 0:
			t.Fatalf("a backfill page was fetched after catch-up listed events: %v", trail[called:i+1])
		}
	}
	if called < 0 || firstEvents < 0 || overlap == 0 {
		t.Fatalf("catch-up called at %d, first events at %d, %d backfill pages between: the test did not overlap them", called, firstEvents, overlap)
	}
}
