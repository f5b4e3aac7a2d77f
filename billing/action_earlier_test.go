package billing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox/lostanswer"
	"github.com/paydesk/paydesk/storage"
)

// lostCase is one money action asked for twice with the same request.
type lostCase struct {
	name string
	// method and path prefix of the call that has an effect on Stripe.
	method, path string
	prepare      func(ctx context.Context, a *Actions) (*Plan, error)
}

// lostCases builds one case per action (and per endpoint where an
// action has two), each on its own target in e's sandbox.
func (e *actionEnv) lostCases() []lostCase {
	e.t.Helper()
	ch := e.refundableCharge("")
	cus := str(e.obj(storage.KindCharge, ch), "customer")
	subs := []string{e.activeSubscription()}
	for len(subs) < 4 {
		subs = append(subs, e.activeSubscription(subs...))
	}
	sub := e.obj(storage.KindSubscription, subs[0])
	cur, oldPrice := str(sub, "currency"), str(sub, "items.data.0.price.id")
	opts, err := e.acts.PriceOptions(cur, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	newPrice := ""
	for _, o := range opts {
		if o.ID != oldPrice && o.Interval == str(sub, "items.data.0.price.recurring.interval") {
			newPrice = o.ID
			break
		}
	}
	if newPrice == "" {
		e.t.Fatalf("no other price in %s among %+v", cur, opts)
	}
	inv := e.openInvoices(4)
	e.setPaymentMethod(str(e.obj(storage.KindInvoice, inv[0]), "customer"), "pm_card_visa")
	dp := e.openDispute()
	invoice := func(id string, act Action) func(context.Context, *Actions) (*Plan, error) {
		return func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: id, Action: act})
		}
	}
	return append([]lostCase{
		{"refund", "POST", "/v1/refunds", func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareRefund(ctx, finance, RefundRequest{Target: ch, Amount: "10.00"})
		}},
		{"credit", "POST", "/v1/customers/" + cus + "/balance_transactions", func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareCredit(ctx, support, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "5.00", Description: "goodwill"})
		}},
		{"plan_change", "POST", "/v1/subscriptions/" + subs[0], func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PreparePlanChange(ctx, finance, PlanChangeRequest{Subscription: subs[0], Price: newPrice, Quantity: 1})
		}},
		{"cancel_at_period_end", "POST", "/v1/subscriptions/" + subs[1], func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareCancel(ctx, finance, CancelRequest{Subscription: subs[1], Mode: CancelAtPeriodEnd})
		}},
		{"cancel_now", "DELETE", "/v1/subscriptions/" + subs[2], func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareCancel(ctx, finance, CancelRequest{Subscription: subs[2], Mode: CancelNow})
		}},
		{"pause_collection", "POST", "/v1/subscriptions/" + subs[3], func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PreparePause(ctx, finance, PauseRequest{Subscription: subs[3], Behavior: "keep_as_draft"})
		}},
		{"invoice_pay", "POST", "/v1/invoices/" + inv[0] + "/pay", invoice(inv[0], ActionInvoicePay)},
		{"invoice_void", "POST", "/v1/invoices/" + inv[1] + "/void", invoice(inv[1], ActionInvoiceVoid)},
		{"invoice_mark_uncollectible", "POST", "/v1/invoices/" + inv[2] + "/mark_uncollectible", invoice(inv[2], ActionInvoiceUncollect)},
		{"invoice_send", "POST", "/v1/invoices/" + inv[3] + "/send", invoice(inv[3], ActionInvoiceSend)},
		{"dispute_evidence", "POST", "/v1/disputes/" + dp, func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: dp, Text: map[string]string{"uncategorized_text": "Delivered on time."}})
		}},
	}, e.draftAndAcceptLostCases(dp)...)
}

// lossyActions is an Actions whose calls go through a lostanswer proxy in
// front of e's sandbox, on e's cache.
func (e *actionEnv) lossyActions() (*Actions, *lostanswer.Proxy) {
	e.t.Helper()
	px, err := lostanswer.Start(e.base)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = px.Close() })
	return NewActions(newTestClient(e.t, px.URL), e.store, Clocks{}), px
}

// TestReRunAfterLostAnswerSendsNothingAgain: Stripe acts on the request,
// the answer is lost, and the same action is asked for again on the same
// target (a re-run): the earlier intent is looked up first, found applied
// (or, where no lookup can tell, re-sent with its original key so Stripe
// replays it), and Stripe acts exactly once.
func TestReRunAfterLostAnswerSendsNothingAgain(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	a, px := e.lossyActions()
	for _, c := range e.lostCases() {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t)(c.prepare(ctx, a))
			px.Set(lostanswer.DropAnswer, nil)
			r, err := a.Execute(ctx, p)
			px.Set(lostanswer.Pass, nil)
			if !errors.Is(err, ErrOutcomeUnknown) || r.State != storage.IntentPending {
				t.Fatalf("dropped answer: %+v %v", r, err)
			}
			if n := px.Effects(c.method, c.path); n != 1 {
				t.Fatalf("the first request had %d effects on the sandbox, want 1: %+v", n, px.Log())
			}

			// The re-run, as a fresh Actions would (the cache holds the intent).
			again := NewActions(a.c, e.store, Clocks{})
			p2, err := c.prepare(ctx, again)
			switch {
			case errors.Is(err, ErrEarlierApplied):
				var ee *EarlierError
				if !errors.As(err, &ee) || ee.Intent.Key != p.Key || ee.Result.State != storage.IntentSucceeded {
					t.Fatalf("earlier error %+v", ee)
				}
				if msg := ExplainAction(err); !strings.Contains(msg, p.Key) || !strings.Contains(msg, "nothing was sent again") {
					t.Fatalf("ExplainAction = %q", msg)
				}
			case err == nil && p2.Earlier:
				// No lookup can tell (an invoice email): the earlier request
				// goes again with its key and Stripe replays its answer.
				if p2.Key != p.Key || p2.Call.String() != p.Call.String() {
					t.Fatalf("re-run plan key %s call %s, want the earlier %s %s", p2.Key, p2.Call, p.Key, p.Call)
				}
				mustExec(t, again, p2)
			default:
				t.Fatalf("re-run: a new plan (%v) instead of resolving the earlier intent, err %v", p2 != nil && !p2.Earlier, err)
			}
			if n := px.Effects(c.method, c.path); n != 1 {
				t.Fatalf("after the re-run the sandbox acted %d times, want 1: %+v", n, px.Log())
			}
			in, err := e.store.Intent(p.Key)
			if err != nil || in.State != storage.IntentSucceeded {
				t.Fatalf("earlier intent %+v %v", in, err)
			}
		})
	}
}

// TestReRunAfterCutRequestSendsOriginalKey: the request never reached
// Stripe; a re-run offers the earlier request with its original key
// instead of a new one, and once it went through a further run is a new
// action.
func TestReRunAfterCutRequestSendsOriginalKey(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 60})
	ctx := context.Background()
	a, px := e.lossyActions()
	ch := e.refundableCharge("")
	req := RefundRequest{Target: ch, Amount: "1,50"}
	if _, err := a.PrepareRefund(ctx, finance, req); err == nil {
		t.Fatal(`"1,50" was accepted as an amount`)
	}
	req.Amount = "1.50"
	p := mustPlan(t)(a.PrepareRefund(ctx, finance, req))
	px.Set(lostanswer.CutRequest, nil)
	if _, err := a.Execute(ctx, p); !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("cut request: %v", err)
	}
	// Stripe cannot be asked at all: the re-run is refused, nothing sent.
	px.Set(lostanswer.CutRequest, func(string, string) bool { return true })
	_, err := a.PrepareRefund(ctx, finance, req)
	if !errors.Is(err, ErrEarlierUnknown) || !strings.Contains(ExplainAction(err), "Audit") {
		t.Fatalf("re-run while Stripe is unreachable: %v (%s)", err, ExplainAction(err))
	}
	px.Set(lostanswer.Pass, nil)
	p2 := mustPlan(t)(a.PrepareRefund(ctx, finance, req))
	if !p2.Earlier || p2.Key != p.Key || len(p2.Warnings) == 0 || !strings.Contains(lineValue(p2, "Idempotency key"), p.Key) {
		t.Fatalf("re-run plan earlier=%v key %s (earlier %s) warnings %q", p2.Earlier, p2.Key, p.Key, p2.Warnings)
	}
	mustExec(t, a, p2)
	if n := px.Effects("POST", "/v1/refunds"); n != 1 {
		t.Fatalf("%d refunds, want 1", n)
	}
	p3 := mustPlan(t)(a.PrepareRefund(ctx, finance, req))
	if p3.Earlier || p3.Key == p.Key {
		t.Fatalf("a run after the earlier one finished must plan anew: %+v", p3)
	}
}

// TestAbandonPendingIntent: an operator gives up a pending intent once a
// lookup shows Stripe never saw it; it is audited and no longer holds a
// new plan back. An intent Stripe did apply cannot be abandoned.
func TestAbandonPendingIntent(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 60})
	ctx := context.Background()
	a, px := e.lossyActions()
	ch := e.refundableCharge("")
	cus := str(e.obj(storage.KindCharge, ch), "customer")
	credit := CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "2.00", Description: "sorry"}

	p := mustPlan(t)(a.PrepareCredit(ctx, support, credit))
	px.Set(lostanswer.CutRequest, nil)
	_, _ = a.Execute(ctx, p)
	px.Set(lostanswer.Pass, nil)
	if _, err := a.Abandon(ctx, viewer, p.Key); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a viewer abandoned an intent: %v", err)
	}
	r, err := a.Abandon(ctx, support, p.Key)
	if err != nil || r.State != storage.IntentFailed {
		t.Fatalf("abandon: %+v %v", r, err)
	}
	rec := e.audit(1)[0]
	if rec.Outcome != OutcomeAbandoned || rec.Key != p.Key || rec.Operator != support.Name {
		t.Fatalf("audit %+v", rec)
	}
	if p2 := mustPlan(t)(a.PrepareCredit(ctx, support, credit)); p2.Earlier || p2.Key == p.Key {
		t.Fatalf("after abandoning, a new plan: %+v", p2)
	}

	p = mustPlan(t)(a.PrepareRefund(ctx, finance, RefundRequest{Target: ch, Amount: "3.00"}))
	px.Set(lostanswer.DropAnswer, nil)
	_, _ = a.Execute(ctx, p)
	px.Set(lostanswer.Pass, nil)
	r, err = a.Abandon(ctx, finance, p.Key)
	if !errors.Is(err, ErrEarlierApplied) || r.State != storage.IntentSucceeded {
		t.Fatalf("abandoning an applied refund: %+v %v", r, err)
	}
	if n := px.Effects("POST", "/v1/refunds"); n != 1 {
		t.Fatalf("%d refunds, want 1", n)
	}
}
