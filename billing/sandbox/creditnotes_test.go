package sandbox

import (
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// TestCreditNotesFollowStripesRules: a pre-payment credit note lowers an
// open invoice's amount due and can be voided; one that credits it to
// nothing pays it; a post-payment one is split between refund, balance
// credit and out of band, summing to its amount; every refusal is
// Stripe's; and every answer has the OpenAPI spec's shape.
func TestCreditNotesFollowStripesRules(t *testing.T) {
	sb, api, base := newSandbox(t, Options{Seed: 3, Customers: 5})
	key := sb.APIKey()
	cus, sub, err := paidSub(t, api, "pm_card_visa")
	if err != nil {
		t.Fatal(err)
	}
	// A one-off invoice: item, draft, finalized (open).
	item, err := api.InvoiceItems.New(&stripe.InvoiceItemParams{Customer: stripe.String(cus.ID), Amount: stripe.Int64(5000),
		Currency: stripe.String("usd"), Description: stripe.String("Workshop")})
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, "invoice item", "invoiceitem", getSpecJSON(t, base, key, "/v1/invoiceitems/"+item.ID))
	inv, err := api.Invoices.New(&stripe.InvoiceParams{Customer: stripe.String(cus.ID), PendingInvoiceItemsBehavior: stripe.String("include")})
	if err != nil || inv.Status != "draft" || inv.Total != 5000 {
		t.Fatalf("one-off draft: %+v %v", inv, err)
	}
	checkShape(t, "one-off draft", "invoice", getSpecJSON(t, base, key, "/v1/invoices/"+inv.ID))
	if _, err := api.CreditNotes.New(&stripe.CreditNoteParams{Invoice: stripe.String(inv.ID), Amount: stripe.Int64(100)}); err == nil {
		t.Fatal("credit note on a draft")
	}
	if inv, err = api.Invoices.FinalizeInvoice(inv.ID, nil); err != nil || inv.Status != "open" || inv.AmountDue != 5000 {
		t.Fatalf("finalize: %+v %v", inv, err)
	}

	// Pre-payment.
	params := &stripe.CreditNoteParams{Invoice: stripe.String(inv.ID), Amount: stripe.Int64(1000), Reason: stripe.String("order_change"), Memo: stripe.String("one seat less")}
	pv, err := api.CreditNotes.Preview(&stripe.CreditNotePreviewParams{Invoice: stripe.String(inv.ID), Amount: stripe.Int64(1000)})
	if err != nil || pv.Amount != 1000 || pv.Type != "pre_payment" {
		t.Fatalf("preview: %+v %v", pv, err)
	}
	cn, err := api.CreditNotes.New(params)
	if err != nil || cn.Type != "pre_payment" || cn.Status != "issued" {
		t.Fatalf("pre-payment credit note: %+v %v", cn, err)
	}
	checkShape(t, "credit note", "credit_note", getSpecJSON(t, base, key, "/v1/credit_notes/"+cn.ID))
	if inv, _ = api.Invoices.Get(inv.ID, nil); inv.AmountDue != 4000 || inv.PrePaymentCreditNotesAmount != 1000 {
		t.Fatalf("after the credit note: amount due %d, pre-payment %d", inv.AmountDue, inv.PrePaymentCreditNotesAmount)
	}
	for name, p := range map[string]*stripe.CreditNoteParams{
		"refund on open":     {Invoice: stripe.String(inv.ID), Amount: stripe.Int64(100), RefundAmount: stripe.Int64(100)},
		"above what is left": {Invoice: stripe.String(inv.ID), Amount: stripe.Int64(4001)},
		"unknown reason":     {Invoice: stripe.String(inv.ID), Amount: stripe.Int64(1), Reason: stripe.String("goodwill")},
	} {
		if _, err := api.CreditNotes.New(p); stripeErr(t, err).Type != stripe.ErrorTypeInvalidRequest {
			t.Errorf("%s: %v", name, err)
		}
	}
	if cn, err = api.CreditNotes.VoidCreditNote(cn.ID, nil); err != nil || cn.Status != "void" {
		t.Fatalf("void: %+v %v", cn, err)
	}
	if inv, _ = api.Invoices.Get(inv.ID, nil); inv.AmountDue != 5000 {
		t.Fatalf("after the void: amount due %d", inv.AmountDue)
	}
	if _, err := api.CreditNotes.VoidCreditNote(cn.ID, nil); err == nil {
		t.Fatal("voided twice")
	}
	full, err := api.CreditNotes.New(&stripe.CreditNoteParams{Invoice: stripe.String(inv.ID), Amount: stripe.Int64(5000)})
	if err != nil {
		t.Fatal(err)
	}
	if inv, _ = api.Invoices.Get(inv.ID, nil); inv.Status != "paid" {
		t.Fatalf("credited to nothing left: %s", inv.Status)
	}
	if _, err := api.CreditNotes.VoidCreditNote(full.ID, nil); err == nil {
		t.Fatal("voided a credit note of a paid invoice")
	}

	// Post-payment, on the subscription's paid first invoice.
	paid, err := api.Invoices.Get(sub.LatestInvoice.ID, nil)
	if err != nil || paid.Status != "paid" || paid.Charge == nil {
		t.Fatalf("paid invoice: %+v %v", paid, err)
	}
	if _, err := api.CreditNotes.New(&stripe.CreditNoteParams{Invoice: stripe.String(paid.ID), Amount: stripe.Int64(600),
		RefundAmount: stripe.Int64(300)}); stripeErr(t, err).Param != "amount" {
		t.Fatalf("parts not summing to the amount: %v", err)
	}
	post, err := api.CreditNotes.New(&stripe.CreditNoteParams{Invoice: stripe.String(paid.ID), Amount: stripe.Int64(600),
		RefundAmount: stripe.Int64(300), CreditAmount: stripe.Int64(200), OutOfBandAmount: stripe.Int64(100)})
	if err != nil || post.Type != "post_payment" || post.Refund == nil || post.CustomerBalanceTransaction == nil {
		t.Fatalf("post-payment: %+v %v", post, err)
	}
	checkShape(t, "post-payment credit note", "credit_note", getSpecJSON(t, base, key, "/v1/credit_notes/"+post.ID))
	ch, _ := api.Charges.Get(paid.Charge.ID, nil)
	c, _ := api.Customers.Get(cus.ID, nil)
	if ch.AmountRefunded != 300 || c.Balance != -200 {
		t.Fatalf("refunded %d, balance %d", ch.AmountRefunded, c.Balance)
	}
	if _, err := api.CreditNotes.New(&stripe.CreditNoteParams{Invoice: stripe.String(paid.ID), Amount: stripe.Int64(paid.Total - 599),
		OutOfBandAmount: stripe.Int64(paid.Total - 599)}); stripeErr(t, err).Param != "amount" {
		t.Fatalf("above the total less earlier credit notes: %v", err)
	}
	list := api.CreditNotes.List(&stripe.CreditNoteListParams{Invoice: stripe.String(paid.ID)})
	n := 0
	for list.Next() {
		n++
	}
	if n != 1 || list.Err() != nil {
		t.Fatalf("credit notes of %s: %d %v", paid.ID, n, list.Err())
	}
}
