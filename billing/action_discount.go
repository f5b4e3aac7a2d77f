package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/stripe/stripe-go/v76"
)

// ActionDiscount applies a coupon or a promotion code to a customer or a
// subscription, or removes its discount.
const ActionDiscount Action = "discount"

// Discount modes.
const (
	DiscountApply  = "apply"
	DiscountRemove = "remove"
)

func init() {
	actionSpecs = append(actionSpecs, ActionSpec{Action: ActionDiscount, Name: "discount",
		NoRepeat: "it sets the discount: a repeat replaces it with the same one",
		Kinds:    []storage.Kind{storage.KindCustomer, storage.KindSubscription}, MinRole: RoleSupport,
		Endpoints: []string{"POST /v1/customers/%s", "DELETE /v1/customers/%s/discount",
			"POST /v1/subscriptions/%s", "DELETE /v1/subscriptions/%s/discount"},
		Irreversible: never, lookup: (*Actions).lookupDiscount,
		applies: func(obj map[string]any) string {
			if str(obj, "object") == "subscription" && !contains(liveSubscription, str(obj, "status")) {
				return "subscription is " + orDash(str(obj, "status")) + ": a discount applies only to a live subscription"
			}
			return ""
		}})
}

// DiscountRequest is what the discount form (D on a customer or a
// subscription) collects.
type DiscountRequest struct {
	// Target is a customer (cus_) or a subscription (sub_).
	Target string
	// Mode is DiscountApply or DiscountRemove.
	Mode string
	// Code is a coupon id or a promotion code as customers type it
	// ("SPRING25") or its id (promo_…); DiscountApply only.
	Code string
}

// Coupon is a coupon's terms as Stripe describes them.
type Coupon struct {
	ID, Name string
	// PercentOff (e.g. 25.5) or AmountOff (minor units of Currency).
	PercentOff float64
	AmountOff  int64
	Currency   string
	// Duration is once, repeating (DurationInMonths) or forever.
	Duration         string
	DurationInMonths int64
	TimesRedeemed    int64
	MaxRedemptions   int64 // 0: unlimited
	RedeemBy         int64 // unix seconds, 0: none
	Valid            bool
}

// CouponOf reads a coupon's JSON (a coupon object, or the coupon inside a
// discount or promotion code).
func CouponOf(raw json.RawMessage) (Coupon, error) {
	var c stripejson.Coupon
	if err := json.Unmarshal(raw, &c); err != nil {
		return Coupon{}, fmt.Errorf("decode coupon: %w", err)
	}
	out := Coupon{ID: c.ID, Name: c.Name, Currency: c.Currency, Duration: c.Duration, TimesRedeemed: c.TimesRedeemed, Valid: c.Valid}
	if c.PercentOff != nil {
		out.PercentOff = *c.PercentOff
	}
	if c.AmountOff != nil {
		out.AmountOff = *c.AmountOff
	}
	if c.DurationInMonths != nil {
		out.DurationInMonths = *c.DurationInMonths
	}
	if c.MaxRedemptions != nil {
		out.MaxRedemptions = *c.MaxRedemptions
	}
	if c.RedeemBy != nil {
		out.RedeemBy = *c.RedeemBy
	}
	return out, nil
}

// Off words what the coupon takes off: "25% off" or "$10.00 off".
func (c Coupon) Off() string { return c.Amount() + " off" }

// Amount is what the coupon takes off: "25%" or "$10.00".
func (c Coupon) Amount() string {
	if c.AmountOff > 0 {
		return money.Format(c.AmountOff, c.Currency)
	}
	return strconv.FormatFloat(c.PercentOff, 'f', -1, 64) + "%"
}

// For words the duration: "once", "for 3 months", "forever".
func (c Coupon) For() string {
	switch c.Duration {
	case "repeating":
		if c.DurationInMonths == 1 {
			return "for 1 month"
		}
		return fmt.Sprintf("for %d months", c.DurationInMonths)
	case "":
		return "—"
	}
	return c.Duration
}

// Terms is the coupon in one line: "Spring 25% (ABC): 25% off for 3 months".
func (c Coupon) Terms() string {
	name := c.ID
	if c.Name != "" {
		name = c.Name + " (" + c.ID + ")"
	}
	return name + ": " + c.Off() + " " + c.For()
}

// Redemptions words redeemed/max: "3 of 100" or "3".
func (c Coupon) Redemptions() string {
	if c.MaxRedemptions > 0 {
		return fmt.Sprintf("%d of %d", c.TimesRedeemed, c.MaxRedemptions)
	}
	return strconv.FormatInt(c.TimesRedeemed, 10)
}

// why says why Stripe would refuse the coupon now ("" when it would not).
func (c Coupon) why(now time.Time) string {
	switch {
	case c.RedeemBy > 0 && c.RedeemBy <= now.Unix():
		return "expired on " + time.Unix(c.RedeemBy, 0).UTC().Format(time.DateOnly)
	case c.MaxRedemptions > 0 && c.TimesRedeemed >= c.MaxRedemptions:
		return fmt.Sprintf("redeemed the maximum %d times", c.MaxRedemptions)
	case !c.Valid:
		return "no longer valid"
	}
	return ""
}

// PrepareDiscount applies a coupon or a promotion code to a customer or a
// subscription (POST /v1/customers/{id} or /v1/subscriptions/{id} with
// coupon or promotion_code, API 2023-10-16), replacing any discount it
// has, or removes its discount (DELETE …/{id}/discount). The code is read
// fresh from Stripe (GET /v1/coupons/{id}, GET /v1/promotion_codes?code=)
// and refused as Stripe would refuse it: unknown, expired, fully redeemed,
// an inactive or another customer's promotion code, an amount in another
// currency. Errors: *FieldError on "target", "mode" or "code".
func (a *Actions) PrepareDiscount(ctx context.Context, op Operator, req DiscountRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionDiscount, req.Target, &err)
	target := strings.TrimSpace(req.Target)
	kind, ok := storage.KindOfID(target)
	if !ok || (kind != storage.KindCustomer && kind != storage.KindSubscription) {
		if target != "" {
			return nil, fieldErrf("target", "%q is not a customer or a subscription", target)
		}
	}
	p, err := a.start(ctx, op, ActionDiscount, target, "target")
	if err != nil || p.Earlier {
		return p, err
	}
	obj, err := a.fresh(ctx, p, kind, target, "discount.coupon.id")
	if err != nil {
		return nil, err
	}
	if why := mustSpec(ActionDiscount).Applies(kind, p.Fresh); why != "" {
		return nil, fieldErrf("target", "%s: %s", target, why)
	}
	customer, cur := target, str(obj, "currency")
	if kind == storage.KindSubscription {
		customer = str(obj, "customer")
	}
	base := "/v1/customers/%s"
	if kind == storage.KindSubscription {
		base = "/v1/subscriptions/%s"
	}
	current := "none"
	var had *Coupon
	if d, ok := lookupPath(obj, "discount.coupon").(map[string]any); ok {
		raw, _ := json.Marshal(d)
		if c, err := CouponOf(raw); err == nil {
			had = &c
			current = c.Terms()
		}
	}
	// A subscription's discount replaces its customer's on the
	// subscription's invoices (docs: billing/subscriptions/coupons): say
	// which one applies now and what applying one here overrides.
	var custHad *Coupon
	if kind == storage.KindSubscription && customer != "" {
		custHad, err = a.customerDiscount(ctx, customer)
		if err != nil {
			return nil, fmt.Errorf("prepare %s: %w", ActionDiscount, err)
		}
		if had == nil && custHad != nil {
			current = "none on the subscription; the customer's applies: " + custHad.Terms()
		}
	}
	p.Lines = []Line{{"Target", target + " (" + string(kind) + ")"}, a.customerLine(customer, "", ""), {"Current discount", current}}
	switch req.Mode {
	case DiscountRemove:
		if had == nil {
			return nil, fieldErrf("mode", "%s has no discount to remove", target)
		}
		p.Call = Call{Method: http.MethodDelete, Path: stripe.FormatURLPath(base+"/discount", target)}
		p.Lines = append(p.Lines, Line{"Effect", "Removes the discount from the next invoices; a used-up coupon may not be re-applied"})
		if custHad != nil {
			p.Warnings = append(p.Warnings, "the customer's discount ("+custHad.Terms()+") applies to this subscription's invoices again")
		}
	case DiscountApply:
		if err := CheckText("code", "promotion code", strings.TrimSpace(req.Code), false); err != nil {
			return nil, err
		}
		src, err := a.resolveCode(ctx, strings.TrimSpace(req.Code), customer)
		coupon, param, id := src.Coupon, src.Param, src.ID
		if err != nil {
			return nil, err
		}
		if coupon.AmountOff > 0 && cur != "" && coupon.Currency != cur {
			return nil, fieldErrf("code", "the coupon takes %s off but %s bills in %s", money.Format(coupon.AmountOff, coupon.Currency), target, strings.ToUpper(cur))
		}
		var params stripe.ParamsContainer
		if kind == storage.KindSubscription {
			sp := &stripe.SubscriptionParams{}
			if param == "coupon" {
				sp.Coupon = stripe.String(id)
			} else {
				sp.PromotionCode = stripe.String(id)
			}
			sp.AddMetadata(IntentMetadataKey, p.Key)
			params = sp
		} else {
			cp := &stripe.CustomerParams{}
			if param == "coupon" {
				cp.Coupon = stripe.String(id)
			} else {
				cp.PromotionCode = stripe.String(id)
			}
			cp.AddMetadata(IntentMetadataKey, p.Key)
			params = cp
		}
		p.Call = Call{Method: http.MethodPost, Path: stripe.FormatURLPath(base, target), Form: formOf(params)}
		p.Lines = append(p.Lines, Line{"New discount", coupon.Terms()}, Line{"Redeemed", coupon.Redemptions()})
		if param == "promotion_code" {
			p.Lines = append(p.Lines, Line{"Promotion code", src.Code + " (" + id + ")"})
		}
		if had != nil {
			p.Warnings = append(p.Warnings, "replaces the current discount ("+had.Terms()+")")
		}
		if custHad != nil {
			p.Warnings = append(p.Warnings, "overrides the customer's discount ("+custHad.Terms()+") on this subscription's invoices: "+
				"a subscription's discount takes the customer's place, they do not add up")
		}
	default:
		return nil, fieldErrf("mode", "choose %s or %s", DiscountApply, DiscountRemove)
	}
	p.Currency = cur
	p.Lines = append(p.Lines, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

// discountSource is what a typed code names on Stripe (resolveCode).
type discountSource struct {
	Coupon Coupon
	Param  string // "coupon" or "promotion_code"
	ID     string // the coupon's or the promotion code's id
	Code   string // a promotion code as Stripe spells it ("WELCOME10")
}

// resolveCode finds what code names on Stripe: a promotion code (by its
// id or by the code customers type) or a coupon id. It returns the coupon,
// the parameter to send ("coupon" or "promotion_code"), the id and, for a
// promotion code, the code as Stripe spells it.
func (a *Actions) resolveCode(ctx context.Context, code, customer string) (discountSource, error) {
	if code == "" {
		return discountSource{}, fieldErr("code", "type a coupon id or a promotion code")
	}
	var promo map[string]any
	if strings.HasPrefix(code, "promo_") {
		raw, err := a.get(ctx, stripe.FormatURLPath("/v1/promotion_codes/%s", code), nil)
		if err != nil && !IsNotFound(err) {
			return discountSource{}, fmt.Errorf("prepare discount: read %s: %w", code, err)
		}
		if err == nil {
			_ = json.Unmarshal(raw, &promo)
		}
	} else {
		raw, err := a.get(ctx, "/v1/promotion_codes", []Param{{"code", code}, {"limit", "10"}})
		if err != nil {
			return discountSource{}, fmt.Errorf("prepare discount: look up promotion code %s: %w", code, err)
		}
		var page struct {
			Data []map[string]any `json:"data"`
		}
		_ = json.Unmarshal(raw, &page)
		for _, pc := range page.Data { // an active one first, else the first one
			if promo == nil || (boolean(pc, "active") && !boolean(promo, "active")) {
				promo = pc
			}
		}
	}
	now := a.stripeNow()
	if promo != nil {
		raw, _ := json.Marshal(promo["coupon"])
		c, err := CouponOf(raw)
		if err != nil {
			return discountSource{}, err
		}
		label := "promotion code " + str(promo, "code")
		switch {
		case !boolean(promo, "active"):
			return discountSource{}, fieldErrf("code", "%s is inactive", label)
		case num(promo, "expires_at") > 0 && num(promo, "expires_at") <= now.Unix():
			return discountSource{}, fieldErrf("code", "%s expired on %s", label, time.Unix(num(promo, "expires_at"), 0).UTC().Format(time.DateOnly))
		case num(promo, "max_redemptions") > 0 && num(promo, "times_redeemed") >= num(promo, "max_redemptions"):
			return discountSource{}, fieldErrf("code", "%s was redeemed the maximum %d times", label, num(promo, "max_redemptions"))
		case str(promo, "customer") != "" && str(promo, "customer") != customer:
			return discountSource{}, fieldErrf("code", "%s is for customer %s only", label, str(promo, "customer"))
		}
		if why := c.why(now); why != "" {
			return discountSource{}, fieldErrf("code", "the coupon of %s cannot be redeemed: %s", label, why)
		}
		return discountSource{Coupon: c, Param: "promotion_code", ID: str(promo, "id"), Code: str(promo, "code")}, nil
	}
	raw, err := a.get(ctx, stripe.FormatURLPath("/v1/coupons/%s", code), nil)
	if err != nil {
		if IsNotFound(err) {
			return discountSource{}, fieldErrf("code", "%q is neither a promotion code nor a coupon on Stripe", code)
		}
		return discountSource{}, fmt.Errorf("prepare discount: read coupon %s: %w", code, err)
	}
	c, err := CouponOf(raw)
	if err != nil {
		return discountSource{}, err
	}
	if why := c.why(now); why != "" {
		return discountSource{}, fieldErrf("code", "coupon %s cannot be redeemed: %s", code, why)
	}
	return discountSource{Coupon: c, Param: "coupon", ID: c.ID}, nil
}

// lookupDiscount: an application carries the intent's metadata on its
// target; a removal is found when the target has no discount.
func (a *Actions) lookupDiscount(ctx context.Context, in storage.Intent, call Call) (string, bool, error) {
	kind, _ := storage.KindOfID(in.Target)
	if call.Method != http.MethodDelete {
		return a.lookupMetadata(ctx, kind, in)
	}
	raw, err := a.c.Retrieve(ctx, kind, in.Target)
	if err != nil {
		return "", false, err
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", false, fmt.Errorf("decode %s: %w", in.Target, err)
	}
	return in.Target, lookupPath(obj, "discount") == nil, nil
}

// Coupons and promotion codes are cached kinds: backfilled from their list
// endpoints, kept current by coupon.* and promotion_code.* events.
func init() {
	resources[storage.KindCoupon] = resource{list: "/v1/coupons", item: "/v1/coupons/%s",
		params: func() listParams { return &stripe.CouponListParams{} }}
	resources[storage.KindPromotionCode] = resource{list: "/v1/promotion_codes", item: "/v1/promotion_codes/%s",
		params: func() listParams { return &stripe.PromotionCodeListParams{} }}
}

// customerDiscount reads the customer's discount fresh from Stripe (GET
// /v1/customers/{id}); nil when it has none.
func (a *Actions) customerDiscount(ctx context.Context, customer string) (*Coupon, error) {
	raw, err := a.c.Retrieve(ctx, storage.KindCustomer, customer)
	if err != nil {
		return nil, fmt.Errorf("read %s from Stripe: %w", customer, err)
	}
	var cus map[string]any
	if err := json.Unmarshal(raw, &cus); err != nil {
		return nil, fmt.Errorf("decode %s: %w", customer, err)
	}
	d, ok := lookupPath(cus, "discount.coupon").(map[string]any)
	if !ok {
		return nil, nil
	}
	b, _ := json.Marshal(d)
	c, err := CouponOf(b)
	if err != nil {
		return nil, nil // an unreadable coupon: nothing to say about it
	}
	return &c, nil
}
