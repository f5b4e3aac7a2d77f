package billing

import (
	"context"
	"net/url"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
)

// After the backfill, balances move at Stripe: a credit adjustment, and
// invoices that apply a customer's balance at finalization. Stripe sends
// customer.updated (and invoice.finalized), never an event for the balance
// transactions; the events mark the customers, and RefreshBalances lists
// what is new, so the cache again holds every transaction Stripe lists.
func TestBalanceTransactionsAfterBackfillReachTheCache(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 9, Customers: 60})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{}); err != nil {
		t.Fatalf("backfill: %v", err)
	}
	settled := settleBalances(t, sb, base)
	credited := sandboxCustomers(t, sb, base)[0].ID
	sandboxPost(t, sb, base, "/v1/customers/"+credited+"/balance_transactions", url.Values{"amount": {"-1500"}, "currency": {"usd"}})

	if _, err := c.CatchUp(ctx, store, StoreApplier{Store: store}); err != nil {
		t.Fatalf("catch-up: %v", err)
	}
	marks, err := store.BalanceMarks(100)
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string]bool{}
	for _, m := range marks {
		marked[m.Customer] = true
	}
	for _, id := range append(settled, credited) {
		if !marked[id] {
			t.Errorf("customer %s: balance moved, not marked (marks %+v)", id, marks)
		}
	}
	n, err := c.RefreshBalances(ctx, store, 100)
	if err != nil || n != len(marks) {
		t.Fatalf("refresh balances: %d of %d, %v", n, len(marks), err)
	}
	if left, _ := store.BalanceMarks(100); len(left) != 0 {
		t.Fatalf("marks left after the refresh: %+v", left)
	}
	assertMirrors(t, c, store)
}
