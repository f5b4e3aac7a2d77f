package billing

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/form"
)

// actionContractPlans prepares one plan per call shape the money actions
// send. stripe-mock is stateless: its fixtures are the "fresh state".
func actionContractPlans(t *testing.T, a *Actions) map[string]*Plan {
	t.Helper()
	ctx := context.Background()
	op := admin
	plans := map[string]*Plan{}
	add := func(name string, p *Plan, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("prepare %s against stripe-mock: %v", name, err)
		}
		plans[name] = p
	}
	// The fixture charge is uncaptured and the fixture payment intent has
	// no charge, so Prepare refuses them (checked below): the refund
	// requests are built by the same function Prepare uses.
	for _, target := range []string{"ch_1", "pi_1"} {
		_, err := a.PrepareRefund(ctx, op, RefundRequest{Target: target})
		wantField(t, err, "target")
		key, _ := newKey()
		plans["refund "+target] = &Plan{Action: ActionRefund, Operator: op, Target: target, Amount: 50, Currency: "usd",
			Call: refundCall(target, 50, "duplicate", "note", key, op.Name)}
	}
	p, err := a.PrepareCredit(ctx, op, CreditRequest{Customer: "cus_1", Direction: DirectionCredit, Amount: "5", Currency: "usd", Description: "d"})
	add("credit", p, err)
	p, err = a.PreparePlanChange(ctx, op, PlanChangeRequest{Subscription: "sub_1", Quantity: 7, Proration: "always_invoice"})
	add("plan change", p, err)
	p, err = a.PrepareCancel(ctx, op, CancelRequest{Subscription: "sub_1", Mode: CancelAtPeriodEnd, Comment: "c"})
	add("cancel at period end", p, err)
	p, err = a.PrepareCancel(ctx, op, CancelRequest{Subscription: "sub_1", Mode: CancelNow, Comment: "c"})
	add("cancel now", p, err)
	p, err = a.PreparePause(ctx, op, PauseRequest{Subscription: "sub_1", Behavior: "void", ResumesAt: a.now().Add(time.Hour)})
	add("pause", p, err)
	p, err = a.PrepareEvidence(ctx, op, EvidenceRequest{Dispute: "dp_1", Text: map[string]string{"product_description": "x", "service_date": "2024-01-01"},
		Files: map[string]string{"receipt": writeFile(t, "receipt.pdf", 64)}})
	add("evidence draft", p, err)
	for name, p := range draftAcceptContractPlans(t, a) {
		plans[name] = p
	}
	return plans
}

// TestActionContract sends every call the money actions make to
// stripe-mock (Stripe's OpenAPI spec): each succeeds, and the same call
// with one unknown parameter is rejected, so the shapes are the spec's.
func TestActionContract(t *testing.T) {
	t.Parallel()
	base := stripemock.Start(t)
	c := newTestClient(t, base)
	store := newTestStore(t)
	// The fixtures' timestamps are from 2013-2020: act at their time so
	// due_by and resumes_at checks see them as current.
	a := NewActions(c, store, Clocks{Wall: func() time.Time { return time.Unix(1234567890, 0) }})
	plans := actionContractPlans(t, a)

	// Invoice actions: the fixture invoice is a draft, which Stripe only
	// finalizes or deletes, so Prepare refuses each action on it; every
	// endpoint is exercised with a plan built the same way.
	inv := plans["credit"]
	for _, act := range []Action{ActionInvoicePay, ActionInvoiceVoid, ActionInvoiceUncollect, ActionInvoiceSend} {
		_, err := a.PrepareInvoice(context.Background(), admin, InvoiceRequest{Invoice: "in_1", Action: act})
		wantField(t, err, "invoice") // the fixture is a draft
		p := *inv
		p.Action, p.Target, p.Amount = act, "in_1", 0
		p.Call = Call{Method: "POST", Path: stripe.FormatURLPath(invoiceOps[act].path, "in_1"), Form: formOf(&stripe.InvoiceParams{})}
		plans[string(act)] = &p
	}
	// Resume collection: pause_collection="".
	resume := *plans["pause"]
	resumeParams := &stripe.SubscriptionParams{}
	resumeParams.AddExtra("pause_collection", "")
	resumeParams.AddMetadata(IntentMetadataKey, "pd_x")
	resume.Call.Form = formOf(resumeParams)
	plans["resume collection"] = &resume

	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			good := *p
			good.Key, _ = newKey()
			good.PreparedAt = a.now()
			r, err := a.Execute(context.Background(), &good)
			if err != nil || r.State != storage.IntentSucceeded || r.ResultID == "" || r.RequestID == "" {
				t.Fatalf("%s: %+v %v", p.Call, r, err)
			}
			if len(p.Call.Uploads) > 0 {
				in, _ := store.Intent(good.Key)
				if !strings.Contains(string(in.Params), `"file_id":"file_`) {
					t.Fatalf("upload to stripe-mock not recorded: %s", in.Params)
				}
			}
			bad := *p
			bad.Key, _ = newKey()
			bad.PreparedAt = a.now()
			a.formHook = func(v *form.Values) { v.Add("not_a_param", "x") }
			defer func() { a.formHook = nil }()
			r, err = a.Execute(context.Background(), &bad)
			se := stripeError(err)
			if se == nil || se.HTTPStatusCode != http.StatusBadRequest || r.State != storage.IntentFailed {
				t.Fatalf("unknown parameter: %+v %v", r, err)
			}
			if !strings.Contains(ExplainAction(err), "Stripe rejected the request") {
				t.Fatalf("ExplainAction = %q", ExplainAction(err))
			}
		})
	}

	// Reads: the upcoming-invoice preview and the lookups.
	ctx := context.Background()
	if _, err := a.PreviewPlanChange(ctx, admin, PlanChangeRequest{Subscription: "sub_1", Quantity: 3}); err != nil {
		t.Fatalf("preview: %v", err)
	}
	if _, _, err := a.pendingProrations(ctx, "sub_1"); err != nil {
		t.Fatalf("pending prorations (upcoming invoice of a subscription): %v", err)
	}
	for _, in := range []storage.Intent{
		{Key: "pd_x", Action: string(ActionRefund), Target: "ch_1", Params: []byte(`{"method":"POST","path":"/v1/refunds","form":[{"name":"charge","value":"ch_1"}]}`)},
		{Key: "pd_x", Action: string(ActionCredit), Target: "cus_1"},
		{Key: "pd_x", Action: string(ActionPlanChange), Target: "sub_1"},
		{Key: "pd_x", Action: string(ActionInvoiceVoid), Target: "in_1"},
		{Key: "pd_x", Action: string(ActionDisputeEvidence), Target: "dp_1"},
		{Key: "pd_x", Action: string(ActionInvoiceFinalize), Target: "in_1"},
		{Key: "pd_x", Action: string(ActionInvoiceDelete), Target: "in_1"},
		{Key: "pd_x", Action: string(ActionDisputeAccept), Target: "dp_1"},
	} {
		var call Call
		if len(in.Params) > 0 {
			_ = jsonUnmarshal(in.Params, &call)
		}
		if _, _, err := a.lookup(ctx, in, call); err != nil {
			t.Fatalf("lookup %s: %v", in.Action, err)
		}
	}
	// The list and preview reads, as the actions send them, with one
	// unknown parameter more: rejected.
	reads := map[string][]Param{
		"/v1/refunds":      {{"charge", "ch_1"}, {"limit", "100"}},
		"/v1/credit_notes": {{"invoice", "in_1"}, {"limit", "100"}}, // a paid invoice's credit notes (chargeRefunds)
		"/v1/customers/cus_1/balance_transactions": {{"limit", "100"}},
		"/v1/invoices/upcoming": formOf(&stripe.InvoiceUpcomingParams{Subscription: stripe.String("sub_1"),
			SubscriptionItems:             []*stripe.SubscriptionItemsParams{{ID: stripe.String("si_1"), Price: stripe.String("price_1"), Quantity: stripe.Int64(2)}},
			SubscriptionProrationBehavior: stripe.String("create_prorations"), SubscriptionProrationDate: stripe.Int64(1234567890)}),
	}
	for path, q := range reads {
		if _, err := a.get(ctx, path, q); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		_, err := a.get(ctx, path, append(q, Param{"not_a_param", "x"}))
		if se := stripeError(err); se == nil || se.HTTPStatusCode != http.StatusBadRequest {
			t.Fatalf("GET %s with an unknown parameter: %v", path, err)
		}
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
