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
		if r.URL.Path == "/v1/events" {
			note("events")
		} else {
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

	called, returned, events := -1, -1, 0
	for i, s := range trail {
		switch s {
		case "catch-up called":
			called = i
		case "backfill returned":
			returned = i
		case "events":
			if called >= 0 {
				events++
				if returned < 0 {
					t.Fatalf("catch-up listed events while the backfill was running: %v", trail[called:i+1])
				}
			}
		}
	}
	if called < 0 || returned < called || events == 0 {
		t.Fatalf("catch-up called at %d, backfill returned at %d, %d catch-up requests: the test did not overlap them", called, returned, events)
	}
}
