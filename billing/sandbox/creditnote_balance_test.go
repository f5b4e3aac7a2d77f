package sandbox

import (
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// TestCreditNoteOnOpenInvoiceLeavesCustomerBalance: Stripe's rule (docs:
// billing/invoices/credit-notes) is that a credit note on an open invoice
// lowers amount_due and nothing else: starting_balance and ending_balance
// were fixed when the invoice was finalized and the customer's balance does
// not move. A credit note on a paid invoice moves the balance only by its
// credit_amount, through a credit_note balance transaction.
func TestCreditNoteOnOpenInvoiceLeavesCustomerBalance(t *testing.T) {
	_, api, _ := newSandbox(t, Options{Seed: 3, Customers: 2})
	for _, tc := range []struct {
		name                  string
		balance               int64 // the customer's balance before the invoice (negative: credit)
		wantStart, wantEnd    int64
		wantDue, wantDueAfter int64
	}{
		{name: "no balance", balance: 0, wantStart: 0, wantEnd: 0, wantDue: 900, wantDueAfter: 400},
		{name: "credit of 3.00", balance: -300, wantStart: -300, wantEnd: 0, wantDue: 600, wantDueAfter: 100},
		{name: "credit above the total", balance: -1200, wantStart: -1200, wantEnd: -300, wantDue: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cus, err := api.Customers.New(&stripe.CustomerParams{Email: stripe.String("cn@example.com")})
			if err != nil {
				t.Fatal(err)
			}
			if tc.balance != 0 {
				if _, err := api.CustomerBalanceTransactions.New(&stripe.CustomerBalanceTransactionParams{Customer: stripe.String(cus.ID),
					Amount: stripe.Int64(tc.balance), Currency: stripe.String("eur")}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := api.InvoiceItems.New(&stripe.InvoiceItemParams{Customer: stripe.String(cus.ID), Amount: stripe.Int64(900),
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
			if inv.StartingBalance != tc.wantStart || inv.EndingBalance != tc.wantEnd || inv.AmountDue != tc.wantDue {
				t.Fatalf("finalized: starting %d ending %d due %d, want %d %d %d", inv.StartingBalance, inv.EndingBalance, inv.AmountDue,
					tc.wantStart, tc.wantEnd, tc.wantDue)
			}
			c, _ := api.Customers.Get(cus.ID, nil)
			balance := c.Balance
			if balance != tc.wantEnd {
				t.Fatalf("customer balance after finalization %d, want %d", balance, tc.wantEnd)
			}
			if tc.wantDue == 0 {
				return // paid at finalization: nothing open to credit
			}
			if inv.Status != "open" {
				t.Fatalf("status %s", inv.Status)
			}
			if _, err := api.CreditNotes.New(&stripe.CreditNoteParams{Invoice: stripe.String(inv.ID), Amount: stripe.Int64(500)}); err != nil {
				t.Fatal(err)
			}
			inv, _ = api.Invoices.Get(inv.ID, nil)
			if inv.AmountDue != tc.wantDueAfter || inv.AmountRemaining != tc.wantDueAfter || inv.PrePaymentCreditNotesAmount != 500 {
				t.Errorf("after the credit note: due %d remaining %d pre-payment %d, want due %d", inv.AmountDue, inv.AmountRemaining,
					inv.PrePaymentCreditNotesAmount, tc.wantDueAfter)
			}
			if inv.StartingBalance != tc.wantStart || inv.EndingBalance != tc.wantEnd {
				t.Errorf("after the credit note: starting_balance %d ending_balance %d, want %d %d (fixed at finalization)",
					inv.StartingBalance, inv.EndingBalance, tc.wantStart, tc.wantEnd)
			}
			if c, _ = api.Customers.Get(cus.ID, nil); c.Balance != balance {
				t.Errorf("customer balance moved from %d to %d", balance, c.Balance)
			}
			// Paid now (the rest by card): a post-payment credit note moves
			// the balance by its credit_amount only, the invoice's balance
			// fields stay.
			if _, err := api.Invoices.Pay(inv.ID, &stripe.InvoicePayParams{PaymentMethod: stripe.String("pm_card_visa")}); err != nil {
				t.Fatal(err)
			}
			if _, err := api.CreditNotes.New(&stripe.CreditNoteParams{Invoice: stripe.String(inv.ID), Amount: stripe.Int64(300),
				CreditAmount: stripe.Int64(200), OutOfBandAmount: stripe.Int64(100)}); err != nil {
				t.Fatal(err)
			}
			inv, _ = api.Invoices.Get(inv.ID, nil)
			if inv.StartingBalance != tc.wantStart || inv.EndingBalance != tc.wantEnd || inv.PostPaymentCreditNotesAmount != 300 ||
				inv.AmountPaid != tc.wantDueAfter {
				t.Errorf("after the post-payment credit note: starting %d ending %d post-payment %d paid %d", inv.StartingBalance,
					inv.EndingBalance, inv.PostPaymentCreditNotesAmount, inv.AmountPaid)
			}
			if c, _ = api.Customers.Get(cus.ID, nil); c.Balance != balance-200 {
				t.Errorf("customer balance %d, want %d (credit_amount 200)", c.Balance, balance-200)
			}
		})
	}
}
