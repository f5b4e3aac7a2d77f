package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

// paidInvoiceWithCharge finds a paid invoice whose charge has nothing
// refunded and is not disputed.
func (e *actionEnv) paidInvoiceWithCharge(skip ...string) string {
	return e.find(storage.KindInvoice, "paid with a charge", func(m map[string]any) bool {
		if str(m, "status") != "paid" || str(m, "charge") == "" || num(m, "total") < 1000 || contains(skip, str(m, "id")) {
			return false
		}
		ch := e.cached(storage.KindCharge, str(m, "charge"))
		return ch != nil && num(ch, "amount_refunded") == 0 && !boolean(ch, "disputed")
	})
}

func TestActionCreditNoteOpenInvoiceThenVoid(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true, customers: 60})
	ctx := context.Background()
	cus := e.aCustomer()
	inv := e.oneOffDraft(cus, 5000)
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: inv, Action: ActionInvoiceFinalize})))
	if _, err := e.acts.PrepareCreditNote(ctx, support, CreditNoteRequest{Invoice: inv, Amount: "10"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("support issued a credit note: %v", err)
	}
	// Refusals before anything is sent.
	for field, req := range map[string]CreditNoteRequest{
		"amount":        {Invoice: inv, Amount: "50.01"},
		"refund_amount": {Invoice: inv, Amount: "10", Refund: "10"},
		"reason":        {Invoice: inv, Amount: "10", Reason: "goodwill"},
	} {
		e.reqs.Reset()
		wantField(t, errOf(e.acts.PrepareCreditNote(ctx, finance, req)), field)
		if e.reqs.Count("POST") != 0 {
			t.Fatalf("%s: something was sent", field)
		}
	}
	p := mustPlan(t)(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: inv, Amount: "12.50", Reason: "order_change", Memo: "one seat less"}))
	if p.Call.Get("invoice") != inv || p.Call.Get("amount") != "1250" || p.Call.Get("metadata[paydesk_intent]") != p.Key ||
		!strings.Contains(lineValue(p, "Amount due"), "50.00 → ") || !strings.HasSuffix(lineValue(p, "Amount due"), "37.50") || !strings.Contains(lineValue(p, "Credit note"), "pre_payment") || p.Irreversible() {
		t.Fatalf("plan %s lines %+v", p.Call, p.Lines)
	}
	r := mustExec(t, e.acts, p)
	if !strings.HasPrefix(r.ResultID, "cn_") || num(e.obj(storage.KindInvoice, inv), "amount_due") != 3750 {
		t.Fatalf("credit note %+v, amount due %d", r, num(e.obj(storage.KindInvoice, inv), "amount_due"))
	}
	e.checkAudit(p, r, OutcomeSucceeded)
	cn := e.waitCache(storage.KindCreditNote, r.ResultID, "issued", func(m map[string]any) bool { return str(m, "status") == "issued" })
	if str(cn, "invoice") != inv || num(cn, "amount") != 1250 {
		t.Fatalf("cached credit note %v", cn)
	}
	if id, found, err := e.acts.lookup(ctx, storage.Intent{Key: p.Key, Action: string(ActionCreditNote), Target: inv}, p.Call); err != nil || !found || id != r.ResultID {
		t.Fatalf("lookup: %s %v %v", id, found, err)
	}

	// Void: the word, and the credit back on the amount due.
	v := mustPlan(t)(e.acts.PrepareCreditNoteVoid(ctx, finance, CreditNoteVoidRequest{CreditNote: r.ResultID}))
	if v.ConfirmWord() != "void" || v.Call.String() != "POST /v1/credit_notes/"+r.ResultID+"/void" || !strings.HasSuffix(lineValue(v, "Amount due"), "50.00") {
		t.Fatalf("void plan %s word %q lines %+v", v.Call, v.ConfirmWord(), v.Lines)
	}
	vr := mustExec(t, e.acts, v)
	if num(e.obj(storage.KindInvoice, inv), "amount_due") != 5000 {
		t.Fatal("void did not give the amount back")
	}
	e.checkAudit(v, vr, OutcomeSucceeded)
	e.waitCache(storage.KindCreditNote, r.ResultID, "void", func(m map[string]any) bool { return str(m, "status") == "void" })
	e.refusedLikeStripe(t, []stateCase{{ActionCreditNoteVoid, storage.KindCreditNote, r.ResultID, func() error {
		return errOf(e.acts.PrepareCreditNoteVoid(ctx, finance, CreditNoteVoidRequest{CreditNote: r.ResultID}))
	}, Call{Method: http.MethodPost, Path: "/v1/credit_notes/" + r.ResultID + "/void"}, ""}})
}

func TestActionCreditNotePaidInvoiceSplit(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true, customers: 60})
	ctx := context.Background()
	inv := e.paidInvoiceWithCharge()
	before := e.obj(storage.KindInvoice, inv)
	ch := str(before, "charge")
	cus := str(before, "customer")
	balance := num(e.obj(storage.KindCustomer, cus), "balance")
	wantField(t, errOf(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: inv, Amount: "6.00", Refund: "3.00"})), "amount")
	p := mustPlan(t)(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: inv, Amount: "6.00", Refund: "3.00", Credit: "2.00",
		OutOfBand: "1.00", Reason: "product_unsatisfactory"}))
	if !strings.Contains(lineValue(p, "Credit note"), "post_payment") || !strings.Contains(lineValue(p, "Refund to the card"), "3.00") {
		t.Fatalf("plan lines %+v", p.Lines)
	}
	r := mustExec(t, e.acts, p)
	cn := e.obj(storage.KindCreditNote, r.ResultID)
	if str(cn, "refund") == "" || num(e.obj(storage.KindCharge, ch), "amount_refunded") != 300 ||
		num(e.obj(storage.KindCustomer, cus), "balance") != balance-200 {
		t.Fatalf("post-payment effects: note %v", cn)
	}
	// The rest of the total is what is left; more is refused.
	left := num(before, "total") - 600
	over := CreditNoteRequest{Invoice: inv, Amount: jsonMinor(left+1, str(before, "currency")), OutOfBand: jsonMinor(left+1, str(before, "currency"))}
	wantField(t, errOf(e.acts.PrepareCreditNote(ctx, finance, over)), "amount")
	// A void of a post-payment note is not offered.
	raw, _ := json.Marshal(cn)
	if why := NotApplicable(ActionCreditNoteVoid, storage.KindCreditNote, raw); why == "" {
		t.Fatal("void offered on a post-payment credit note")
	}
	// Refund part above what the charge has left: refunded elsewhere.
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch})))
	wantField(t, errOf(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: inv, Amount: "1.00", Refund: "1.00"})), "refund_amount")
}

// jsonMinor writes minor units as an operator types them ("12.05").
func jsonMinor(minor int64, currency string) string {
	exp := money.Exponent(currency)
	if exp == 0 {
		return fmt.Sprint(minor)
	}
	d := int64(math.Pow10(exp))
	return fmt.Sprintf("%d.%0*d", minor/d, exp, minor%d)
}
