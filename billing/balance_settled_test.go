package billing

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// A customer whose balance an invoice applied is back at zero, yet Stripe
// keeps its balance transactions (the credit or debit, and the
// applied_to_invoice one), and sends no event for them. A first backfill
// must cache them all the same: the invoice that applied the balance names
// the customer.
func TestBackfillCachesTransactionsOfSettledBalances(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 7, Customers: 120})
	settled := settleBalances(t, sb, base)
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	if err := c.Backfill(context.Background(), store, BackfillOptions{}); err != nil {
		t.Fatalf("backfill: %v", err)
	}
	for _, id := range settled {
		cu, err := store.Get(storage.KindCustomer, id)
		if err != nil {
			t.Fatal(err)
		}
		var raw struct {
			Balance int64 `json:"balance"`
		}
		if err := json.Unmarshal(cu.Raw, &raw); err != nil || raw.Balance != 0 {
			t.Fatalf("customer %s balance %d (%v), want settled at 0", id, raw.Balance, err)
		}
		remote := remoteIDs(t, c, ListOptions{Kind: storage.KindBalanceTransaction, Customer: id})
		if len(remote) < 2 {
			t.Fatalf("customer %s: Stripe lists %d balance transactions, want at least 2", id, len(remote))
		}
		cached, err := store.List(storage.Query{Kind: storage.KindBalanceTransaction, Customer: id, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(cached.Items) != len(remote) {
			t.Errorf("customer %s (balance 0): %d balance transactions cached, Stripe lists %d", id, len(cached.Items), len(remote))
		}
	}
	assertMirrors(t, c, store)
}
