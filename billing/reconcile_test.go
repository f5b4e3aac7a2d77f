package billing

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// reconcileNow is the sandbox clock's start in the reconcile test.
var reconcileNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// TestFullResyncReconcilesDeletedObjects: a customer deleted in Stripe
// while no webhook reached the cache, and a draft invoice Stripe no longer
// has (404), are marked deleted by a from-scratch resync, keeping their
// last known details; nothing else changes state and counts match Stripe.
func TestFullResyncReconcilesDeletedObjects(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 5, Customers: 20, Now: func() time.Time { return reconcileNow }})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	p, err := store.List(storage.Query{Kind: storage.KindCustomer, Limit: 1})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("no customer cached: %v", err)
	}
	gone := p.Items[0]
	req, _ := http.NewRequest(http.MethodDelete, base+"/v1/customers/"+gone.ID, nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("delete %s at the sandbox: %v %v", gone.ID, resp, err)
	}
	resp.Body.Close()
	ghost := []byte(`{"id":"in_ghostdraft","object":"invoice","status":"draft","customer":"` + gone.ID + `","currency":"usd","amount_due":500,"created":1795000000,"number":null}`)
	if err := store.PutObject(ghost, reconcileNow.Unix()); err != nil {
		t.Fatal(err)
	}
	sb.Advance(time.Minute) // the resync starts after what the cache holds

	if err := store.ResetCursors(); err != nil {
		t.Fatal(err)
	}
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatalf("full resync: %v", err)
	}
	cu, err := store.Get(storage.KindCustomer, gone.ID)
	if err != nil || !cu.Deleted || cu.Name != gone.Name || cu.Email != gone.Email {
		t.Fatalf("deleted customer after resync: deleted=%v name=%q (want %q) err=%v", cu.Deleted, cu.Name, gone.Name, err)
	}
	in, err := store.Get(storage.KindInvoice, "in_ghostdraft")
	if err != nil || !in.Deleted {
		t.Fatalf("invoice Stripe answers 404 for: deleted=%v err=%v", in.Deleted, err)
	}
	for _, kind := range []storage.Kind{storage.KindCustomer, storage.KindInvoice} {
		n, _ := store.Count(kind)
		if listed := len(remoteIDs(t, c, ListOptions{Kind: kind})); n != listed {
			t.Errorf("%s: cache counts %d live, Stripe lists %d", kind, n, listed)
		}
	}
}
