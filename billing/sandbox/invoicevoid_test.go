package sandbox

import (
	"encoding/json"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// TestVoidReturnsAppliedBalance: Stripe (API 2019-12-03 and later) gives a
// voided invoice's applied customer balance back: a balance transaction of
// type unapplied_from_invoice naming the invoice, the customer's balance
// restored, customer.updated with the balance before; the invoice keeps its
// starting and ending balance. An invoice that applied none moves nothing.
func TestVoidReturnsAppliedBalance(t *testing.T) {
	_, api, _ := newSandbox(t, Options{Seed: 3, Customers: 2})
	for _, tc := range []struct {
		name     string
		balance  int64 // before the invoice (negative: credit)
		wantBack int64 // the unapplied_from_invoice amount (0: none)
	}{
		{"credit of 25.00 on 120.00", -2500, -2500},
		{"no balance", 0, 0},
		{"owed 5.00", 500, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cus, err := api.Customers.New(&stripe.CustomerParams{Email: stripe.String("void@example.com")})
			if err != nil {
				t.Fatal(err)
			}
			if tc.balance != 0 {
				if _, err := api.CustomerBalanceTransactions.New(&stripe.CustomerBalanceTransactionParams{Customer: stripe.String(cus.ID),
					Amount: stripe.Int64(tc.balance), Currency: stripe.String("eur")}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := api.InvoiceItems.New(&stripe.InvoiceItemParams{Customer: stripe.String(cus.ID), Amount: stripe.Int64(12000),
				Currency: stripe.String("eur"), Description: stripe.String("Workshop")}); err != nil {
				t.Fatal(err)
			}
			inv, err := api.Invoices.New(&stripe.InvoiceParams{Customer: stripe.String(cus.ID), PendingInvoiceItemsBehavior: stripe.String("include")})
			if err != nil {
				t.Fatal(err)
			}
			if inv, err = api.Invoices.FinalizeInvoice(inv.ID, nil); err != nil {
				t.Fatal(err)
			}
			if c, _ := api.Customers.Get(cus.ID, nil); c.Balance != 0 {
				t.Fatalf("balance after finalization %d, want 0 (applied)", c.Balance)
			}
			start, end := inv.StartingBalance, inv.EndingBalance
			if inv, err = api.Invoices.VoidInvoice(inv.ID, nil); err != nil || inv.Status != "void" {
				t.Fatalf("void: %v %v", inv, err)
			}
			if inv.StartingBalance != start || inv.EndingBalance != end {
				t.Errorf("voided invoice starting %d ending %d, want %d %d", inv.StartingBalance, inv.EndingBalance, start, end)
			}
			c, _ := api.Customers.Get(cus.ID, nil)
			if c.Balance != tc.wantBack {
				t.Errorf("balance after the void %d, want %d", c.Balance, tc.wantBack)
			}
			it := api.CustomerBalanceTransactions.List(&stripe.CustomerBalanceTransactionListParams{Customer: stripe.String(cus.ID)})
			var unapplied []*stripe.CustomerBalanceTransaction
			for it.Next() {
				if bt := it.CustomerBalanceTransaction(); bt.Type == "unapplied_from_invoice" {
					unapplied = append(unapplied, bt)
				}
			}
			if err := it.Err(); err != nil {
				t.Fatal(err)
			}
			if tc.wantBack == 0 {
				if len(unapplied) != 0 {
					t.Errorf("%d unapplied_from_invoice transactions, want none", len(unapplied))
				}
				return
			}
			if len(unapplied) != 1 || unapplied[0].Amount != tc.wantBack || unapplied[0].Invoice == nil ||
				unapplied[0].Invoice.ID != inv.ID || unapplied[0].EndingBalance != tc.wantBack || unapplied[0].Currency != "eur" {
				t.Fatalf("unapplied_from_invoice transactions %+v", unapplied)
			}
			evs := api.Events.List(&stripe.EventListParams{Type: stripe.String("customer.updated")})
			for evs.Next() {
				ev := evs.Event()
				var obj struct {
					ID      string `json:"id"`
					Balance int64  `json:"balance"`
				}
				if json.Unmarshal(ev.Data.Raw, &obj) != nil || obj.ID != cus.ID {
					continue
				}
				// Newest first: the void's.
				if obj.Balance != tc.wantBack || ev.Data.PreviousAttributes["balance"] != float64(0) {
					t.Errorf("customer.updated balance %d, previous %v; want %d, previous 0", obj.Balance, ev.Data.PreviousAttributes, tc.wantBack)
				}
				return
			}
			t.Fatalf("no customer.updated for %s: %v", cus.ID, evs.Err())
		})
	}
}
