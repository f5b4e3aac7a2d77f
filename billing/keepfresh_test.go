package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// TestKeepFreshRefetchesStaleOnWake: an event in another API version leaves
// a customer stale with the event's (wrong-shaped) copy; a wake-up makes
// KeepFresh refetch it from the sandbox and clear the mark.
func TestKeepFreshRefetchesStaleOnWake(t *testing.T) {
	c, store, cus := backfilledCustomers(t, 5, 5)
	ctx := context.Background()
	ev := fmt.Sprintf(`{"id":"evt_future1","object":"event","type":"customer.updated","api_version":"2099-01-01","created":%d,"data":{"object":{"id":%q,"object":"customer","email":"changed@example.com","created":%d}}}`,
		testclock.Running()().Unix()+5, cus.ID, cus.Created)
	if _, err := store.ApplyEvent([]byte(ev), &storage.Delivery{Source: "test"}); err != nil {
		t.Fatal(err)
	}
	if env, _ := store.Get(storage.KindCustomer, cus.ID); !env.Stale {
		t.Fatal("version-mismatched event did not mark the customer stale")
	}

	wake := make(chan struct{}, 1)
	kctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.KeepFresh(kctx, store, wake, time.Hour, func(err error) { t.Errorf("keep fresh: %v", err) })
	}()
	wake <- struct{}{}
	deadline := time.Now().Add(10 * time.Second)
	for {
		env, err := store.Get(storage.KindCustomer, cus.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !env.Stale {
			var got struct{ Email string }
			if err := json.Unmarshal(env.Raw, &got); err != nil {
				t.Fatal(err)
			}
			if got.Email != cus.Email {
				t.Fatalf("refetched email %q, want the sandbox's %q", got.Email, cus.Email)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("stale customer not refetched after a wake-up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
}

// TestRefreshStaleWalksPastObjectsStripeLacks: stale copies Stripe answers
// 404 for sort first, yet a refresh limited to one object still reaches
// the real one behind them instead of retrying the missing ones forever.
func TestRefreshStaleWalksPastObjectsStripeLacks(t *testing.T) {
	c, store, real := backfilledCustomers(t, 6, 3)
	ctx := context.Background()
	markStale := func(i int, id string) {
		ev := fmt.Sprintf(`{"id":"evt_stale%d","object":"event","type":"customer.updated","api_version":"2099-01-01","created":%d,"data":{"object":{"id":%q,"object":"customer","created":1}}}`,
			i, testclock.Running()().Unix()+5, id)
		if _, err := store.ApplyEvent([]byte(ev), &storage.Delivery{Source: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		markStale(i, fmt.Sprintf("cus_000000000gone%d", i))
	}
	markStale(9, real.ID)
	n, err := c.RefreshStale(ctx, store, 1)
	if err != nil || n != 1 {
		t.Fatalf("RefreshStale = %d, %v; want 1 rewritten", n, err)
	}
	if env, _ := store.Get(storage.KindCustomer, real.ID); env.Stale {
		t.Fatal("the real stale customer behind three missing ones was not refreshed")
	}
	left, _ := store.Stale(10)
	if len(left) != 3 {
		t.Fatalf("%d stale left, want the 3 Stripe lacks", len(left))
	}
}

// backfilledCustomers starts a sandbox seeded with seed and n customers,
// backfills its customers into a new cache and returns the client, the
// cache and the first customer the cache lists.
func backfilledCustomers(t *testing.T, seed int64, n int) (*Client, *storage.Store, storage.Envelope) {
	t.Helper()
	sb, base := startSandbox(t, sandbox.Options{Seed: seed, Customers: n})
	c := newTestClient(t, base, func(cfg *Config) { cfg.SecretKey = sb.APIKey() })
	store := newTestStore(t)
	if err := c.Backfill(context.Background(), store, BackfillOptions{Kinds: []storage.Kind{storage.KindCustomer}}); err != nil {
		t.Fatal(err)
	}
	page, err := store.List(storage.Query{Kind: storage.KindCustomer, Limit: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list: %v %d", err, len(page.Items))
	}
	return c, store, page.Items[0]
}
