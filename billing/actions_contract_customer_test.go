package billing

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/form"
)

// TestCustomerActionContract sends every call the customer-side actions
// make (customer edit, portal link, trial end/extend) to stripe-mock: each
// succeeds, and the same call with one unknown parameter is refused, so
// the shapes are those of Stripe's OpenAPI spec.
func TestCustomerActionContract(t *testing.T) {
	t.Parallel()
	base := stripemock.Start(t)
	c := newTestClient(t, base)
	store := newTestStore(t)
	a := NewActions(c, store, Clocks{Wall: func() time.Time { return time.Unix(1234567890, 0) }})
	ctx := context.Background()
	plans := map[string]*Plan{}
	must := func(name string, p *Plan, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("prepare %s against stripe-mock: %v", name, err)
		}
		plans[name] = p
	}
	p, err := a.PrepareCustomerEdit(ctx, admin, CustomerEditRequest{Customer: "cus_1", Fields: map[string]string{
		"email": "new@example.com", "name": "New Name", "phone": "+33 1 23 45 67 89", "description": "d",
		"address.line1": "1 Main St", "address.country": "US", "note": "vip"}})
	must("customer edit", p, err)
	p, err = a.PreparePortalLink(ctx, admin, PortalRequest{Customer: "cus_1", ReturnURL: "https://example.com/back"})
	must("portal link", p, err)
	p, err = a.PreparePortalLink(ctx, admin, PortalRequest{Customer: "cus_1", Flow: PortalPaymentMethodUpdate})
	must("portal link, update payment method", p, err)
	// The fixture subscription is not trialing, so PrepareTrial refuses
	// it; the trial calls are built as PrepareTrial builds them.
	_, err = a.PrepareTrial(ctx, admin, TrialRequest{Subscription: "sub_1", Action: ActionTrialEnd})
	wantField(t, err, "subscription")
	for name, v := range map[string]string{"trial end now": "now", "trial extend": "1234999999"} {
		params := &stripe.SubscriptionParams{}
		params.AddExtra("trial_end", v)
		params.AddMetadata(IntentMetadataKey, "pd_x")
		act := ActionTrialEnd
		if v != "now" {
			act = ActionTrialExtend
		}
		plans[name] = &Plan{Action: act, Operator: admin, Target: "sub_1",
			Call: Call{Method: "POST", Path: "/v1/subscriptions/sub_1", Form: formOf(params)}}
	}
	// Discounts: the calls as PrepareDiscount builds them.
	for name, call := range map[string]Call{
		"customer coupon":               {Method: "POST", Path: "/v1/customers/cus_1", Form: formOf(&stripe.CustomerParams{Coupon: stripe.String("co_1")})},
		"customer promotion code":       {Method: "POST", Path: "/v1/customers/cus_1", Form: formOf(&stripe.CustomerParams{PromotionCode: stripe.String("promo_1")})},
		"customer discount removal":     {Method: "DELETE", Path: "/v1/customers/cus_1/discount"},
		"subscription coupon":           {Method: "POST", Path: "/v1/subscriptions/sub_1", Form: formOf(&stripe.SubscriptionParams{Coupon: stripe.String("co_1")})},
		"subscription promotion code":   {Method: "POST", Path: "/v1/subscriptions/sub_1", Form: formOf(&stripe.SubscriptionParams{PromotionCode: stripe.String("promo_1")})},
		"subscription discount removal": {Method: "DELETE", Path: "/v1/subscriptions/sub_1/discount"},
	} {
		target := "cus_1"
		if strings.Contains(call.Path, "subscriptions") {
			target = "sub_1"
		}
		plans[name] = &Plan{Action: ActionDiscount, Operator: admin, Target: target, Call: call}
	}
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			good := *p
			good.Key, _ = newKey()
			good.PreparedAt = a.now()
			r, err := a.Execute(ctx, &good)
			if err != nil || r.State != storage.IntentSucceeded || r.ResultID == "" || r.RequestID == "" {
				t.Fatalf("%s: %+v %v", p.Call, r, err)
			}
			bad := *p
			bad.Key, _ = newKey()
			bad.PreparedAt = a.now()
			x := NewActions(c, store, Clocks{Wall: a.now})
			x.formHook = func(v *form.Values) { v.Add("not_a_param", "x") }
			r, err = x.Execute(ctx, &bad)
			if se := stripeError(err); se == nil || se.HTTPStatusCode != http.StatusBadRequest || r.State != storage.IntentFailed {
				t.Fatalf("unknown parameter: %+v %v", r, err)
			}
		})
	}
	if url := PortalURL(mustRaw(t, a, plans["portal link"])); !strings.HasPrefix(url, "https://") {
		t.Fatalf("portal URL from stripe-mock's session: %q", url)
	}
	// The preview read, as PrepareTrial sends it, and with an unknown
	// parameter more.
	q := []Param{{"subscription", "sub_1"}, {"subscription_trial_end", "now"}}
	if _, err := a.get(ctx, "/v1/invoices/upcoming", q); err != nil {
		t.Fatalf("upcoming with subscription_trial_end: %v", err)
	}
	if _, err := a.get(ctx, "/v1/invoices/upcoming", append(q, Param{"not_a_param", "x"})); stripeError(err) == nil {
		t.Fatalf("upcoming with an unknown parameter: %v", err)
	}
	// The discount reads: a coupon, a promotion code by id and by code.
	for path, q := range map[string][]Param{"/v1/coupons/co_1": nil, "/v1/promotion_codes/promo_1": nil,
		"/v1/promotion_codes": {{"code", "SPRING25"}, {"limit", "10"}}} {
		if _, err := a.get(ctx, path, q); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if _, err := a.get(ctx, path, append(q, Param{"not_a_param", "x"})); stripeError(err) == nil {
			t.Fatalf("GET %s with an unknown parameter: %v", path, err)
		}
	}
	if _, _, err := a.lookup(ctx, storage.Intent{Key: "pd_x", Action: string(ActionDiscount), Target: "sub_1"},
		Call{Method: "DELETE", Path: "/v1/subscriptions/sub_1/discount"}); err != nil {
		t.Fatalf("lookup of a discount removal: %v", err)
	}
	// Lookups after a lost answer.
	for _, act := range []Action{ActionCustomerEdit, ActionPortalLink, ActionTrialEnd, ActionTrialExtend, ActionDiscount} {
		target := "cus_1"
		if act == ActionTrialEnd || act == ActionTrialExtend {
			target = "sub_1"
		}
		if _, _, err := a.lookup(ctx, storage.Intent{Key: "pd_x", Action: string(act), Target: target}, Call{}); err != nil {
			t.Fatalf("lookup %s: %v", act, err)
		}
	}
}

// mustRaw executes a copy of p with a fresh key and returns the answer.
func mustRaw(t *testing.T, a *Actions, p *Plan) []byte {
	t.Helper()
	cp := *p
	cp.Key, _ = newKey()
	cp.PreparedAt = a.now()
	r, err := a.Execute(context.Background(), &cp)
	if err != nil {
		t.Fatal(err)
	}
	return r.Raw
}
