package billing

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// draftAcceptContractPlans prepares, against stripe-mock, the draft
// finalize and delete (its fixture invoice is a draft) and the dispute
// acceptance (its fixture dispute needs a response).
func draftAcceptContractPlans(t *testing.T, a *Actions) map[string]*Plan {
	t.Helper()
	ctx := context.Background()
	plans := map[string]*Plan{}
	for _, act := range []Action{ActionInvoiceFinalize, ActionInvoiceDelete} {
		p, err := a.PrepareInvoice(ctx, admin, InvoiceRequest{Invoice: "in_1", Action: act})
		if err != nil {
			t.Fatalf("prepare %s against stripe-mock: %v", act, err)
		}
		plans[string(act)] = p
	}
	p, err := a.PrepareDisputeAccept(ctx, admin, DisputeAcceptRequest{Dispute: "dp_1"})
	if err != nil {
		t.Fatalf("prepare dispute acceptance against stripe-mock: %v", err)
	}
	plans["dispute accept"] = p
	// A one-off invoice: every step (items, invoice, finalize, send).
	p, err = a.PrepareOneOffInvoice(ctx, admin, OneOffInvoiceRequest{Customer: "cus_1", Currency: "usd", Send: true,
		Items: []OneOffItem{{Amount: "12.00", Description: "Workshop"}, {Amount: "3", Description: "Travel"}}})
	if err != nil {
		t.Fatalf("prepare one-off invoice against stripe-mock: %v", err)
	}
	plans["one-off invoice"] = p
	// The fixture invoice is a draft, which takes no credit note: the
	// credit note and its void are built as Prepare builds them.
	key, _ := newKey()
	params := &stripe.CreditNoteParams{Invoice: stripe.String("in_1"), Amount: stripe.Int64(100), RefundAmount: stripe.Int64(50),
		CreditAmount: stripe.Int64(30), OutOfBandAmount: stripe.Int64(20), Reason: stripe.String("order_change"), Memo: stripe.String("m")}
	params.AddMetadata(IntentMetadataKey, key)
	plans["credit note"] = &Plan{Action: ActionCreditNote, Operator: admin, Target: "in_1", Amount: 100, Currency: "usd",
		Call: Call{Method: http.MethodPost, Path: "/v1/credit_notes", Form: formOf(params)}}
	plans["credit note void"] = &Plan{Action: ActionCreditNoteVoid, Operator: admin, Target: "cn_1",
		Call: Call{Method: http.MethodPost, Path: "/v1/credit_notes/cn_1/void"}}
	return plans
}

// TestCreditNoteReadsContract: the credit note preview, the pending
// invoice items read and the lookups of the credit note and one-off
// invoice actions, as they are sent, against stripe-mock; the
// preview with one unknown parameter more is rejected.
func TestCreditNoteReadsContract(t *testing.T) {
	t.Parallel()
	a := NewActions(newTestClient(t, stripemock.Start(t)), newTestStore(t), Clocks{Wall: func() time.Time { return time.Unix(1234567890, 0) }})
	ctx := context.Background()
	params := &stripe.CreditNoteParams{Invoice: stripe.String("in_1"), Amount: stripe.Int64(100), CreditAmount: stripe.Int64(100),
		Reason: stripe.String("duplicate"), Memo: stripe.String("m")}
	params.AddMetadata(IntentMetadataKey, "pd_x")
	q := formOf(params)
	if _, err := a.get(ctx, "/v1/credit_notes/preview", q); err != nil {
		t.Fatalf("preview: %v", err)
	}
	_, err := a.get(ctx, "/v1/credit_notes/preview", append(q, Param{"not_a_param", "x"}))
	if se := stripeError(err); se == nil || se.HTTPStatusCode != http.StatusBadRequest {
		t.Fatalf("preview with an unknown parameter: %v", err)
	}
	if _, _, err := a.pendingItems(ctx, "cus_1", "usd"); err != nil {
		t.Fatalf("pending items: %v", err)
	}
	for _, in := range []storage.Intent{
		{Key: "pd_x", Action: string(ActionCreditNote), Target: "in_1"},
		{Key: "pd_x", Action: string(ActionCreditNoteVoid), Target: "cn_1"},
		{Key: "pd_x", Action: string(ActionInvoiceCreate), Target: "cus_1"},
	} {
		if _, _, err := a.lookup(ctx, in, Call{}); err != nil {
			t.Fatalf("lookup %s: %v", in.Action, err)
		}
	}
}
