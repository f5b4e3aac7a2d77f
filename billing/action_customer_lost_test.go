package billing

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/lostanswer"
	"github.com/paydesk/paydesk/storage"
)

// customerLostCases: one case per customer-side action, each on its own
// target.
func (e *actionEnv) customerLostCases() []lostCase {
	e.t.Helper()
	cus := e.find(storage.KindCustomer, "live", func(m map[string]any) bool { return !boolean(m, "deleted") })
	other := e.find(storage.KindCustomer, "another live", func(m map[string]any) bool { return !boolean(m, "deleted") && str(m, "id") != cus })
	t1 := e.trialingSubscription()
	t2 := e.trialingSubscription(t1)
	end := e.acts.now().Add(40 * 24 * time.Hour)
	dsub := e.activeSubscription()
	dcus := e.find(storage.KindCustomer, "a third live", func(m map[string]any) bool {
		return !boolean(m, "deleted") && str(m, "id") != cus && str(m, "id") != other
	})
	partner, err := e.acts.get(context.Background(), "/v1/promotion_codes", []Param{{"code", "PARTNER5"}})
	if err != nil {
		e.t.Fatal(err)
	}
	promo, _ := findByField(partner, "code", "PARTNER5")
	if _, _, err := e.acts.do(context.Background(), Call{Method: "POST", Path: "/v1/customers/" + dcus,
		Form: []Param{{"promotion_code", promo}}}, "pd_setup_"+randHex(4)); err != nil {
		e.t.Fatal(err)
	}
	return []lostCase{
		{"discount_apply", "POST", "/v1/subscriptions/" + dsub, func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareDiscount(ctx, support, DiscountRequest{Target: dsub, Mode: DiscountApply, Code: "PARTNER5"})
		}},
		{"discount_remove", "DELETE", "/v1/customers/" + dcus + "/discount", func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareDiscount(ctx, support, DiscountRequest{Target: dcus, Mode: DiscountRemove})
		}},
		{"customer_edit", "POST", "/v1/customers/" + cus, func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareCustomerEdit(ctx, support, CustomerEditRequest{Customer: cus, Fields: map[string]string{"phone": "+1 555 0100", "note": "called"}})
		}},
		{"portal_link", "POST", "/v1/billing_portal/sessions", func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PreparePortalLink(ctx, support, PortalRequest{Customer: other, Flow: PortalPaymentMethodUpdate})
		}},
		{"trial_end_now", "POST", "/v1/subscriptions/" + t1, func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareTrial(ctx, support, TrialRequest{Subscription: t1, Action: ActionTrialEnd})
		}},
		{"trial_extend", "POST", "/v1/subscriptions/" + t2, func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareTrial(ctx, finance, TrialRequest{Subscription: t2, Action: ActionTrialExtend, End: end})
		}},
	}
}

// TestCustomerActionsReRunAfterLostAnswer: Stripe acts, the answer is
// lost, the same action is asked for again: the earlier intent is found
// applied by its metadata (edit, trials), or — a portal session cannot be
// looked up — re-sent with its original key so Stripe replays the same
// session. Stripe acts exactly once either way.
func TestCustomerActionsReRunAfterLostAnswer(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	a, px := e.lossyActions()
	for _, c := range e.customerLostCases() {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t)(c.prepare(ctx, a))
			px.Set(lostanswer.DropAnswer, nil)
			r, err := a.Execute(ctx, p)
			px.Set(lostanswer.Pass, nil)
			if !errors.Is(err, ErrOutcomeUnknown) || r.State != storage.IntentPending {
				t.Fatalf("dropped answer: %+v %v", r, err)
			}
			again := NewActions(a.c, e.store, Clocks{})
			p2, err := c.prepare(ctx, again)
			switch {
			case errors.Is(err, ErrEarlierApplied):
				if c.name == "portal_link" {
					t.Fatal("a portal session was found by a lookup that cannot exist")
				}
			case err == nil && p2.Earlier:
				if c.name != "portal_link" || p2.Key != p.Key || p2.Call.String() != p.Call.String() {
					t.Fatalf("re-run plan %s %s, want the earlier %s %s", p2.Key, p2.Call, p.Key, p.Call)
				}
				r2 := mustExec(t, again, p2)
				if PortalURL(r2.Raw) == "" {
					t.Fatalf("replayed session has no URL: %s", r2.Raw)
				}
			default:
				t.Fatalf("re-run: %v %v", p2, err)
			}
			if n := px.Effects(c.method, c.path); n != 1 {
				t.Fatalf("the sandbox acted %d times, want 1: %+v", n, px.Log())
			}
			if in, err := e.store.Intent(p.Key); err != nil || in.State != storage.IntentSucceeded {
				t.Fatalf("earlier intent %+v %v", in, err)
			}
		})
	}
}
