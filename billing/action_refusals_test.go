package billing

import (
	"context"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// TestPrepareRefusalsAreAudited: a request refused when it is asked for —
// by a state rule on the fresh target (credit note above what is left,
// void of a credit note on a paid invoice, finalize of an open invoice,
// accept of a dispute already closed), by a check of its values (bad
// email, http:// return URL) or by Stripe (a 4xx, with its request id) —
// leaves a "refused" audit record with operator, action, target and the
// reason; a request with no target and a network failure leave none.
func TestPrepareRefusalsAreAudited(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	paid := e.paidInvoiceWithCharge()
	open := e.find(storage.KindInvoice, "open", func(m map[string]any) bool { return str(m, "status") == "open" })
	cus := e.aCustomer()
	dp := e.openDispute()
	cn := mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: paid, Amount: "1", OutOfBand: "1"}))).ResultID
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareDisputeAccept(ctx, finance, DisputeAcceptRequest{Dispute: dp})))

	for _, tc := range []struct {
		name, action, target, reason string
		stripe                       bool // refused by Stripe: the record has its request id
		prepare                      func() error
	}{
		{"credit note above the maximum", "credit_note", paid, "", false, func() error {
			return errOf(e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: paid, Amount: "100000", OutOfBand: "100000"}))
		}},
		{"void of a credit note on a paid invoice", "credit_note_void", cn, "paid", false, func() error {
			return errOf(e.acts.PrepareCreditNoteVoid(ctx, finance, CreditNoteVoidRequest{CreditNote: cn}))
		}},
		{"finalize of an open invoice", "invoice_finalize", open, "open", false, func() error {
			return errOf(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: open, Action: ActionInvoiceFinalize}))
		}},
		{"accept of a closed dispute", "dispute_accept", dp, "", false, func() error {
			return errOf(e.acts.PrepareDisputeAccept(ctx, finance, DisputeAcceptRequest{Dispute: dp}))
		}},
		{"bad email", "customer_edit", cus, "not an email address", false, func() error {
			return errOf(e.acts.PrepareCustomerEdit(ctx, support, CustomerEditRequest{Customer: cus, Fields: map[string]string{"email": "not-an-email"}}))
		}},
		{"http return URL", "portal_link", cus, "https://", false, func() error {
			return errOf(e.acts.PreparePortalLink(ctx, support, PortalRequest{Customer: cus, ReturnURL: "http://example.com/back"}))
		}},
		{"Stripe 404", "refund", "ch_doesnotexist000", "", true, func() error {
			return errOf(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: "ch_doesnotexist000", Amount: "1"}))
		}},
	} {
		before := e.audit(1)
		if err := tc.prepare(); err == nil {
			t.Fatalf("%s: not refused", tc.name)
		}
		recs := e.audit(1)
		if len(recs) != 1 || (len(before) == 1 && recs[0].Seq == before[0].Seq) {
			t.Fatalf("%s: no audit record", tc.name)
		}
		r := recs[0]
		if r.Outcome != OutcomeRefused || r.Action != tc.action || r.Target != tc.target || r.Operator == "" || r.Detail == "" ||
			!strings.Contains(r.Detail, tc.reason) || (tc.stripe && !strings.HasPrefix(r.RequestID, "req_")) {
			t.Errorf("%s: audit %+v", tc.name, r)
		}
	}

	// Not refusals of a request: no target, Stripe unreachable.
	before := e.audit(1)
	_ = errOf(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: " "}))
	e.drop.Base = failingTransport{}
	_ = errOf(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: e.refundableCharge("usd"), Amount: "1"}))
	if after := e.audit(1); after[0].Seq != before[0].Seq {
		t.Fatalf("recorded: %+v", after[0])
	}
}

// TestOneOffRepeatIsWarnedAndConfirmRefusesIt: the console's one-off
// invoice (I) prepared again with the same items on the same customer
// after the first was billed names the earlier invoice on the
// confirmation; Confirm refuses it unless asked again, and audits the
// refusal.
func TestOneOffRepeatIsWarnedAndConfirmRefusesIt(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	cus := e.aCustomer()
	req := OneOffInvoiceRequest{Customer: cus, Items: twoItems}
	first := mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, req))
	if first.Repeats != nil {
		t.Fatalf("first plan flagged as a repeat: %v", first.Warnings)
	}
	r := mustExec(t, e.acts, first)
	again := mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, req))
	if again.Repeats == nil || again.Repeats.Key != first.Key || again.Key == first.Key {
		t.Fatalf("repeat not found: %+v", again.Repeats)
	}
	warned := false
	for _, w := range again.Warnings {
		warned = warned || (strings.Contains(w, "already went through") && strings.Contains(w, first.Key) && strings.Contains(w, r.ResultID))
	}
	if !warned {
		t.Fatalf("warnings %q do not name %s and %s", again.Warnings, first.Key, r.ResultID)
	}
	if err := e.acts.Confirm(again, false); !strings.Contains(ExplainAction(err), r.ResultID) {
		t.Fatalf("Confirm: %v", err)
	}
	if rec := e.audit(1)[0]; rec.Outcome != OutcomeRefused || rec.Key != again.Key || rec.Target != cus {
		t.Fatalf("audit %+v", rec)
	}
	if err := e.acts.Confirm(again, true); err != nil {
		t.Fatalf("Confirm again: %v", err)
	}
	other := mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: cus, Items: twoItems[:1]}))
	if other.Repeats != nil {
		t.Fatalf("different items flagged as a repeat")
	}
}
