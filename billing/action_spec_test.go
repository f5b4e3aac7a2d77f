package billing

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/storage"
)

// TestStateRulesMatchStripe: for targets in states Stripe refuses an
// action in, the action's description says so (no key is offered),
// Prepare refuses before anything is sent, and the sandbox, sent the call
// anyway, refuses it as Stripe does, with Stripe's error code.
func TestStateRulesMatchStripe(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	status := func(kind storage.Kind, st string) func(map[string]any) bool {
		return func(m map[string]any) bool { return str(m, "status") == st }
	}
	paid := e.find(storage.KindInvoice, "paid", status(storage.KindInvoice, "paid"))
	failed := e.find(storage.KindCharge, "failed", status(storage.KindCharge, "failed"))
	canceled := e.find(storage.KindSubscription, "canceled", status(storage.KindSubscription, "canceled"))
	// A fully refunded charge, a voided invoice and a submitted dispute.
	refunded := e.refundableCharge("")
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: refunded})))
	void := e.openInvoices(1)[0]
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: void, Action: ActionInvoiceVoid})))
	dp := e.openDispute()
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: dp, Submit: true,
		Text: map[string]string{"uncategorized_text": "Delivered."}})))

	// And where the state allows it, the action is offered.
	open := e.openInvoices(2)[1]
	raw, err := e.client.Retrieve(ctx, storage.KindInvoice, open)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []Action{ActionInvoicePay, ActionInvoiceVoid, ActionInvoiceUncollect, ActionInvoiceSend} {
		if why := NotApplicable(act, storage.KindInvoice, raw); why != "" {
			t.Errorf("%s not offered on an open invoice: %s", act, why)
		}
	}
	post := func(path string, form ...Param) Call { return Call{Method: http.MethodPost, Path: path, Form: form} }
	cases := []stateCase{
		{ActionInvoicePay, storage.KindInvoice, paid, nil, post("/v1/invoices/" + paid + "/pay"), "invoice_already_paid"},
		{ActionInvoiceVoid, storage.KindInvoice, paid, nil, post("/v1/invoices/" + paid + "/void"), "invoice_already_paid"},
		{ActionInvoiceUncollect, storage.KindInvoice, paid, nil, post("/v1/invoices/" + paid + "/mark_uncollectible"), "invoice_already_paid"},
		{ActionInvoiceSend, storage.KindInvoice, paid, nil, post("/v1/invoices/" + paid + "/send"), "invoice_already_paid"},
		{ActionInvoiceVoid, storage.KindInvoice, void, nil, post("/v1/invoices/" + void + "/void"), "invoice_not_editable"},
		{ActionInvoicePay, storage.KindInvoice, void, nil, post("/v1/invoices/" + void + "/pay"), "invoice_not_editable"},
		{ActionRefund, storage.KindCharge, refunded, func() error {
			return errOf(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: refunded}))
		}, post("/v1/refunds", Param{"charge", refunded}), string(stripe.ErrorCodeChargeAlreadyRefunded)},
		{ActionRefund, storage.KindCharge, failed, func() error {
			return errOf(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: failed}))
		}, post("/v1/refunds", Param{"charge", failed}), string(stripe.ErrorCodeChargeNotRefundable)},
		{ActionPlanChange, storage.KindSubscription, canceled, func() error {
			return errOf(e.acts.PreparePlanChange(ctx, finance, PlanChangeRequest{Subscription: canceled, Price: "price_x"}))
		}, post("/v1/subscriptions/"+canceled, Param{"proration_behavior", "none"}), ""},
		{ActionCancel, storage.KindSubscription, canceled, func() error {
			return errOf(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: canceled, Mode: CancelNow}))
		}, Call{Method: http.MethodDelete, Path: "/v1/subscriptions/" + canceled}, ""},
		{ActionPause, storage.KindSubscription, canceled, func() error {
			return errOf(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: canceled, Behavior: "void"}))
		}, post("/v1/subscriptions/"+canceled, Param{"pause_collection[behavior]", "void"}), ""},
		{ActionDisputeEvidence, storage.KindDispute, dp, func() error {
			return errOf(e.acts.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: dp, Text: map[string]string{"uncategorized_text": "more"}}))
		}, post("/v1/disputes/"+dp, Param{"evidence[uncategorized_text]", "more"}), ""},
	}
	if why := NotApplicable(ActionPlanChange, storage.KindInvoice, raw); !strings.Contains(why, "does not apply") {
		t.Errorf("plan change on an invoice: %q", why)
	}
	e.refusedLikeStripe(t, cases)
}

// stateCase is an action on a target in a state Stripe refuses it in.
type stateCase struct {
	act     Action
	kind    storage.Kind
	id      string
	prepare func() error // nil: PrepareInvoice
	call    Call
	code    string // Stripe's error code ("": an invalid_request_error without one)
}

func (e *actionEnv) refusedLikeStripe(t *testing.T, cases []stateCase) {
	ctx := context.Background()
	for _, c := range cases {
		name := string(c.act) + " on " + str(e.obj(c.kind, c.id), "status") + " " + string(c.kind)
		t.Run(name, func(t *testing.T) {
			raw, err := e.client.Retrieve(ctx, c.kind, c.id)
			if err != nil {
				t.Fatal(err)
			}
			if why := NotApplicable(c.act, c.kind, raw); why == "" {
				t.Fatalf("%s is offered on %s", c.act, c.id)
			}
			e.reqs.Reset()
			prep := c.prepare
			if prep == nil {
				prep = func() error {
					return errOf(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: c.id, Action: c.act}))
				}
			}
			if _, ok := AsFieldError(prep()); !ok || e.reqs.Count("POST") != 0 || e.reqs.Count("DELETE") != 0 {
				t.Fatalf("prepare did not refuse before sending: %v", e.reqs.All())
			}
			_, _, err = e.acts.do(ctx, c.call, "pd_"+randHex(12))
			se := stripeError(err)
			if se == nil || se.Type != stripe.ErrorTypeInvalidRequest || string(se.Code) != c.code {
				t.Fatalf("sandbox answered %v (code %v), want invalid_request_error %q", err, codeOf(se), c.code)
			}
		})
	}
}

// TestStateRulesDraftInvoice: a draft is finalized or deleted on Stripe,
// never voided, marked uncollectible or sent; the sandbox used to void it.
func TestStateRulesDraftInvoice(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 60})
	ctx := context.Background()
	// A draft: collection paused with keep_as_draft, then the next period.
	var skip []string
	sub := e.activeSubscription()
	for str(e.obj(storage.KindSubscription, sub), "items.data.0.price.recurring.interval") != "month" {
		skip = append(skip, sub)
		sub = e.activeSubscription(skip...)
	}
	mustExec(t, e.acts, mustPlan(t)(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: sub, Behavior: "keep_as_draft"})))
	e.sb.Advance(32 * 24 * time.Hour)
	draft := str(e.obj(storage.KindSubscription, sub), "latest_invoice")
	if got := str(e.obj(storage.KindInvoice, draft), "status"); got != "draft" {
		t.Fatalf("latest invoice %s of the paused %s is %s, want a draft", draft, sub, got)
	}
	post := func(path string) Call { return Call{Method: http.MethodPost, Path: path} }
	e.refusedLikeStripe(t, []stateCase{
		{ActionInvoiceVoid, storage.KindInvoice, draft, nil, post("/v1/invoices/" + draft + "/void"), "invoice_not_editable"},
		{ActionInvoiceUncollect, storage.KindInvoice, draft, nil, post("/v1/invoices/" + draft + "/mark_uncollectible"), "invoice_not_editable"},
		{ActionInvoiceSend, storage.KindInvoice, draft, nil, post("/v1/invoices/" + draft + "/send"), "invoice_not_editable"},
		// Stripe deletes only one-off drafts, never a subscription's.
		{ActionInvoiceDelete, storage.KindInvoice, draft, nil, Call{Method: http.MethodDelete, Path: "/v1/invoices/" + draft}, ""},
	})
}

func codeOf(se *stripe.Error) string {
	if se == nil {
		return "none"
	}
	return string(se.Code)
}
