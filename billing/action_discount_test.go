package billing

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// couponID finds the sandbox coupon named name.
func (e *actionEnv) couponID(name string) string {
	e.t.Helper()
	raw, err := e.acts.get(context.Background(), "/v1/coupons", []Param{{"limit", "100"}})
	if err != nil {
		e.t.Fatal(err)
	}
	id, _ := findByField(raw, "name", name)
	if id == "" {
		e.t.Fatalf("no coupon %q in %s", name, raw)
	}
	return id
}

// TestActionDiscount: support applies a promotion code to a subscription
// and a coupon to a customer, then removes both; each is refused where
// Stripe would refuse it.
func TestActionDiscount(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true})
	ctx := context.Background()
	raw, err := e.acts.get(ctx, "/v1/promotion_codes", []Param{{"code", "VIPONLY"}})
	if err != nil {
		t.Fatal(err)
	}
	vip := str(firstOf(t, raw), "customer")
	sub := e.find(storage.KindSubscription, "active, not the VIP's", func(m map[string]any) bool {
		return str(m, "status") == "active" && str(m, "customer") != vip
	})
	cus := str(e.obj(storage.KindSubscription, sub), "customer")
	if _, err := e.acts.PrepareDiscount(ctx, viewer, DiscountRequest{Target: sub, Mode: DiscountApply, Code: "SPRING25"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("viewer: %v", err)
	}
	for code, want := range map[string]string{
		"NOSUCHCODE": "neither a promotion code nor a coupon", "SPRING2025": "inactive", "BLACKFRIDAY": "expired",
		"LAUNCH50": "redeemed the maximum", "VIPONLY": "only", e.couponID("Launch 50%"): "redeemed the maximum",
	} {
		_, err := e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: sub, Mode: DiscountApply, Code: code})
		fe, ok := AsFieldError(err)
		if !ok || fe.Field != "code" {
			t.Fatalf("code %s: %v, want a FieldError on code", code, err)
		}
		if !strings.Contains(fe.Message, want) {
			t.Errorf("code %s: %q, want %q", code, fe.Message, want)
		}
	}
	wantField(t, errOf(e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: sub, Mode: DiscountRemove})), "mode")

	p := mustPlan(t)(e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: sub, Mode: DiscountApply, Code: "SPRING25"}))
	if !strings.HasPrefix(p.Call.Get("promotion_code"), "promo_") || p.Call.Path != "/v1/subscriptions/"+sub ||
		lineValue(p, "New discount") != "Spring 25% ("+e.couponID("Spring 25%")+"): 25% off for 3 months" {
		t.Fatalf("plan %s %v", p.Call, p.Lines)
	}
	r := mustExec(t, e.acts, p)
	e.checkAudit(p, r, OutcomeSucceeded)
	if got := str(e.obj(storage.KindSubscription, sub), "discount.coupon.name"); got != "Spring 25%" {
		t.Fatalf("sandbox discount %q", got)
	}
	e.waitCache(storage.KindSubscription, sub, "discount", func(m map[string]any) bool { return str(m, "discount.coupon.name") == "Spring 25%" })

	// On the customer, by coupon id; then both removed.
	welcome := e.couponID("Welcome $10")
	cp, err := e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: cus, Mode: DiscountApply, Code: welcome})
	if cur := str(e.obj(storage.KindCustomer, cus), "currency"); cur != "usd" {
		wantField(t, err, "code") // $10 off cannot apply to another currency
	} else {
		mustExec(t, e.acts, mustPlan(t)(cp, err))
	}
	p = mustPlan(t)(e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: cus, Mode: DiscountApply, Code: "PARTNER5"}))
	mustExec(t, e.acts, p)
	if got := str(e.obj(storage.KindCustomer, cus), "discount.coupon.percent_off"); got != "" {
		t.Fatalf("percent_off read as a string %q", got)
	}
	if n := num(e.obj(storage.KindCustomer, cus), "discount.coupon.percent_off"); n != 5 {
		t.Fatalf("customer discount %d%%", n)
	}
	for _, target := range []string{sub, cus} {
		p = mustPlan(t)(e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: target, Mode: DiscountRemove}))
		if p.Call.Method != "DELETE" || p.Call.Path != "/v1/"+map[bool]string{true: "subscriptions", false: "customers"}[target == sub]+"/"+target+"/discount" {
			t.Fatalf("removal call %s", p.Call)
		}
		mustExec(t, e.acts, p)
		kind, _ := storage.KindOfID(target)
		if d := lookupPath(e.obj(kind, target), "discount"); d != nil {
			t.Fatalf("%s still has a discount %v", target, d)
		}
		if _, found, err := e.acts.lookupDiscount(ctx, storage.Intent{Target: target}, p.Call); err != nil || !found {
			t.Fatalf("lookup of a removal: %v %v", found, err)
		}
	}
}

// findByField returns the id of the first object of a list answer whose
// field equals value.
func findByField(raw []byte, field, value string) (string, bool) {
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if json.Unmarshal(raw, &page) != nil {
		return "", false
	}
	for _, o := range page.Data {
		if str(o, field) == value {
			return str(o, "id"), true
		}
	}
	return "", false
}

func firstOf(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &page); err != nil || len(page.Data) == 0 {
		t.Fatalf("empty list %s", raw)
	}
	return page.Data[0]
}

// TestCouponsCached: coupons and promotion codes are backfilled with
// their terms, and coupon.* / promotion_code.* webhooks keep them current.
func TestCouponsCached(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true})
	ctx := context.Background()
	spring := e.couponID("Spring 25%")
	if c := e.cached(storage.KindCoupon, spring); c == nil || num(c, "duration_in_months") != 3 {
		t.Fatalf("backfilled coupon %v", c)
	}
	if n, err := e.store.Count(storage.KindPromotionCode); err != nil || n < 6 {
		t.Fatalf("%d promotion codes cached (%v)", n, err)
	}
	raw, _, err := e.acts.do(ctx, Call{Method: "POST", Path: "/v1/coupons", Form: []Param{{"amount_off", "500"}, {"currency", "eur"},
		{"duration", "repeating"}, {"duration_in_months", "2"}, {"name", "Winter €5"}}}, "pd_t_"+randHex(4))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := objectID(raw)
	c := e.waitCache(storage.KindCoupon, id, "coupon.created", func(map[string]any) bool { return true })
	env, _ := e.store.Get(storage.KindCoupon, id)
	if num(c, "amount_off") != 500 || env.Status != "valid" || env.Amount != 500 || env.Currency != "eur" {
		t.Fatalf("cached coupon %v %+v", c, env)
	}
	raw, _, err = e.acts.do(ctx, Call{Method: "POST", Path: "/v1/promotion_codes", Form: []Param{{"coupon", id}, {"code", "WINTER5"}}}, "pd_t_"+randHex(4))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := objectID(raw)
	e.waitCache(storage.KindPromotionCode, pid, "promotion_code.created", func(m map[string]any) bool { return str(m, "code") == "WINTER5" })
	if _, _, err := e.acts.do(ctx, Call{Method: "POST", Path: "/v1/promotion_codes/" + pid, Form: []Param{{"active", "false"}}}, "pd_t_"+randHex(4)); err != nil {
		t.Fatal(err)
	}
	e.waitCache(storage.KindPromotionCode, pid, "promotion_code.updated", func(m map[string]any) bool { return !boolean(m, "active") })
	fe := wantField(t, errOf(e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: e.activeSubscription(), Mode: DiscountApply, Code: "WINTER5"})), "code")
	if !strings.Contains(fe.Message, "inactive") {
		t.Fatalf("deactivated code: %s", fe.Message)
	}
}
