package billing

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// paidInvoice bills a new customer one item of amount (minor units of
// cur), finalizes the invoice and pays it by card; it returns the invoice
// and its charge.
func (e *actionEnv) paidInvoice(t *testing.T, amount, cur string) (string, string) {
	t.Helper()
	ctx := context.Background()
	post := func(path string, form ...Param) map[string]any {
		raw, _, err := e.acts.do(ctx, Call{Method: "POST", Path: path, Form: form}, "pd_setup_"+randHex(6))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	cus := str(post("/v1/customers", Param{"email", "paid@example.com"}), "id")
	post("/v1/invoiceitems", Param{"customer", cus}, Param{"amount", amount}, Param{"currency", cur}, Param{"description", "Workshop"})
	inv := str(post("/v1/invoices", Param{"customer", cus}, Param{"pending_invoice_items_behavior", "include"}), "id")
	post("/v1/invoices/" + inv + "/finalize")
	paid := post("/v1/invoices/"+inv+"/pay", Param{"payment_method", "pm_card_visa"})
	if str(paid, "status") != "paid" || str(paid, "charge") == "" {
		t.Fatalf("invoice %s is %s, charge %q", inv, str(paid, "status"), str(paid, "charge"))
	}
	return inv, str(paid, "charge")
}

// TestCreditNoteSaysWhatWasRefundedOutsideCreditNotes: on a paid €9.00
// invoice whose charge got a €3.50 refund directly, the credit note form's
// figures and the confirmation say "€3.50 already refunded on the charge
// outside credit notes" (and that €12.50 goes back on a €9.00 invoice)
// without refusing it, as Stripe does not; the refund part stays within
// the €5.50 the charge has left to refund. The credit note's own refund is
// not counted as outside afterwards.
func TestCreditNoteSaysWhatWasRefundedOutsideCreditNotes(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	inv, ch := e.paidInvoice(t, "900", "eur")
	room, err := e.acts.CreditRoom(ctx, inv)
	if err != nil || room.Left != 900 || room.Refunds.Outside != 0 || room.Refunds.OutsideWords() != "" {
		t.Fatalf("before any refund: %+v %v", room, err)
	}
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch, Amount: "3.50"})))

	room, err = e.acts.CreditRoom(ctx, inv)
	if err != nil || room.Left != 900 || room.Refunds.Refundable != 550 || room.Refunds.Charge != ch ||
		room.Refunds.OutsideWords() != "€3.50 already refunded on the charge outside credit notes" {
		t.Fatalf("after the refund: %+v %v", room, err)
	}
	wantField(t, errOf(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: inv, Amount: "9", Refund: "9"})), "refund_amount")
	p := mustPlan(t)(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: inv, Amount: "9", Refund: "5.50", Credit: "3.50"}))
	if got := lineValue(p, "Refunded outside"); got != "€3.50 already refunded on the charge outside credit notes" {
		t.Fatalf("confirmation line %q", got)
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "€12.50 goes back to the customer on a €9.00 invoice") {
		t.Fatalf("warnings %q", p.Warnings)
	}
	mustExec(t, e.acts, p)
	if c := e.obj(storage.KindCharge, ch); num(c, "amount_refunded") != 900 {
		t.Fatalf("charge amount_refunded %d, want 900", num(c, "amount_refunded"))
	}
	room, err = e.acts.CreditRoom(ctx, inv)
	if err != nil || room.Left != 0 || room.Refunds.Outside != 350 {
		t.Fatalf("after the credit note: %+v %v", room, err)
	}
}

// TestRefundSaysWhatCreditNotesGaveBackOtherwise: the mirror case. A paid
// €9.00 invoice with a €3.50 credit note credited to the customer's
// balance: a refund of its charge says €3.50 was already given back by
// credit notes other than by refunds (Stripe lets the refund take the
// whole €9.00). A credit note that only refunded the charge is already in
// "Already refunded" and is not named.
func TestRefundSaysWhatCreditNotesGaveBackOtherwise(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	inv, ch := e.paidInvoice(t, "900", "eur")
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: inv, Amount: "3.50", Credit: "3.50"})))
	p := mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch}))
	want := "€3.50 already given back by credit notes on invoice " + inv + " other than by refunds (balance credit or out of band)"
	if got := lineValue(p, "Credit notes"); got != want || p.Amount != 900 {
		t.Fatalf("line %q (want %q), amount %d", got, want, p.Amount)
	}
	if !strings.Contains(strings.Join(p.Warnings, "\n"), want) {
		t.Fatalf("warnings %q", p.Warnings)
	}

	inv2, ch2 := e.paidInvoice(t, "900", "eur")
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: inv2, Amount: "2", Refund: "2"})))
	p = mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch2}))
	if got := lineValue(p, "Credit notes"); !strings.HasPrefix(got, "<no line") || p.Amount != 700 {
		t.Fatalf("refund-only credit note named: %q, amount %d", got, p.Amount)
	}
}
