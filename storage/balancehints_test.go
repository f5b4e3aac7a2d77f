package storage

import (
	"slices"
	"testing"
)

// Stripe lists customer balance transactions only per customer and sends no
// event for them; a customer whose credit an invoice used up is back at a
// zero balance. The invoices and credit notes that moved a balance are what
// name such customers (api/invoices/object: starting_balance,
// ending_balance; api/credit_notes/object: customer_balance_transaction).
func TestBalanceHintsFromInvoicesAndCreditNotes(t *testing.T) {
	s := openTest(t, Options{})
	objects := []string{
		// Credit applied at finalization: 500 of credit covered the invoice.
		`{"id":"in_applied","object":"invoice","created":1000,"customer":"cus_applied","status":"paid","amount_due":0,"currency":"usd","starting_balance":-500,"ending_balance":0}`,
		// An owed balance added to the invoice is applied too.
		`{"id":"in_owed","object":"invoice","created":1000,"customer":"cus_owed","status":"open","amount_due":1300,"currency":"usd","starting_balance":300,"ending_balance":0}`,
		// A draft: ending_balance is null until finalization.
		`{"id":"in_draft","object":"invoice","created":1000,"customer":"cus_draft","status":"draft","amount_due":0,"currency":"usd","starting_balance":-500,"ending_balance":null}`,
		// Finalized without a balance to apply.
		`{"id":"in_plain","object":"invoice","created":1000,"customer":"cus_plain","status":"paid","amount_due":900,"currency":"usd","starting_balance":0,"ending_balance":0}`,
		// A credit note credited to the customer balance (expanded or not).
		`{"id":"cn_credited","object":"credit_note","created":1000,"customer":"cus_cn","invoice":"in_x","amount":700,"currency":"usd","customer_balance_transaction":"cbtxn_1"}`,
		`{"id":"cn_expanded","object":"credit_note","created":1000,"customer":"cus_cn2","invoice":"in_y","amount":700,"currency":"usd","customer_balance_transaction":{"id":"cbtxn_2","object":"customer_balance_transaction"}}`,
		// A credit note refunded, not credited.
		`{"id":"cn_refund","object":"credit_note","created":1000,"customer":"cus_refund","invoice":"in_z","amount":700,"currency":"usd","customer_balance_transaction":null,"refund":"re_1"}`,
	}
	for _, o := range objects {
		if err := s.PutObject([]byte(o), 1000); err != nil {
			t.Fatalf("put %s: %v", o, err)
		}
	}
	got, err := s.BalanceHintCustomers()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cus_applied", "cus_cn", "cus_cn2", "cus_owed"}
	if !slices.Equal(got, want) {
		t.Fatalf("balance hint customers = %v, want %v", got, want)
	}
	// Credit notes keep their amount in the amount index.
	env, err := s.Get(KindCreditNote, "cn_credited")
	if err != nil || env.Amount != 700 {
		t.Fatalf("credit note amount = %d, %v; want 700", env.Amount, err)
	}
}
