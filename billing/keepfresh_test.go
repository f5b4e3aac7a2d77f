package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// TestKeepFreshRefetchesStaleOnWake: an event in another API version leaves
// a customer stale with the event's (wrong-shaped) copy; a wake-up makes
// KeepFresh refetch it from the sandbox and clear the mark.
func TestKeepFreshRefetchesStaleOnWake(t *testing.T) {
	sb, err := sandbox.New(sandbox.Options{Seed: 5, Customers: 5})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	c := newTestClient(t, base, func(cfg *Config) { cfg.SecretKey = sb.APIKey() })
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{Kinds: []storage.Kind{storage.KindCustomer}}); err != nil {
		t.Fatal(err)
	}
	page, err := store.List(storage.Query{Kind: storage.KindCustomer, Limit: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list: %v %d", err, len(page.Items))
	}
	cus := page.Items[0]
	ev := fmt.Sprintf(`{"id":"evt_future1","object":"event","type":"customer.updated","api_version":"2099-01-01","created":%d,"data":{"object":{"id":%q,"object":"customer","email":"changed@example.com","created":%d}}}`,
		time.Now().Unix()+5, cus.ID, cus.Created)
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
