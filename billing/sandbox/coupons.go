package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// coupon is a Stripe coupon: percent_off (basis points) or amount_off in
// one currency, a duration, and redemption limits.
type coupon struct {
	created        int64
	name           string
	percentBP      int64 // percent_off × 100 (2500 = 25%); 0 when amount_off
	amountOff      int64
	currency       uint8
	duration       string // once, repeating, forever
	months         int64  // duration_in_months (repeating)
	maxRedemptions int64  // 0: unlimited
	redeemed       int64
	redeemBy       int64 // 0: none
}

// promoCode is a customer-facing code for a coupon.
type promoCode struct {
	created        int64
	code           string
	coupon         int32
	active         bool
	customer       int32 // -1: anyone
	expiresAt      int64
	maxRedemptions int64
	redeemed       int64
}

// discountState is a coupon applied to a customer or a subscription.
type discountState struct {
	seq          uint32
	coupon       int32
	promo        int32 // -1: applied as a coupon
	start, end   int64
	customer     int32
	subscription int32 // -1: on the customer
}

// seedCoupons adds a fixed catalogue of coupons and promotion codes
// (no randomness, so the rest of the seed is unchanged): current ones, an
// expired one, one fully redeemed, an inactive code and a code for one
// customer only.
func (s *Server) seedCoupons() {
	now := s.unix()
	t := now - 30*day
	add := func(c coupon) int32 {
		c.created = t
		t++
		s.coupons = append(s.coupons, c)
		return int32(len(s.coupons) - 1)
	}
	spring := add(coupon{name: "Spring 25%", percentBP: 2500, duration: "repeating", months: 3})
	welcome := add(coupon{name: "Welcome $10", amountOff: 1000, currency: curUSD, duration: "once"})
	forever := add(coupon{name: "Partner 5%", percentBP: 500, duration: "forever"})
	expired := add(coupon{name: "Black Friday 40%", percentBP: 4000, duration: "once", redeemBy: now - 2*day})
	maxed := add(coupon{name: "Launch 50%", percentBP: 5000, duration: "once", maxRedemptions: 1, redeemed: 1})
	promo := func(p promoCode) {
		p.created = t
		t++
		p.customer = -1
		s.promos = append(s.promos, p)
	}
	promo(promoCode{code: "SPRING25", coupon: spring, active: true})
	promo(promoCode{code: "WELCOME10", coupon: welcome, active: true, maxRedemptions: 100})
	promo(promoCode{code: "PARTNER5", coupon: forever, active: true})
	promo(promoCode{code: "BLACKFRIDAY", coupon: expired, active: true})
	promo(promoCode{code: "LAUNCH50", coupon: maxed, active: true})
	promo(promoCode{code: "SPRING2025", coupon: spring, active: false})
	if len(s.customers) > 0 {
		promo(promoCode{code: "VIPONLY", coupon: forever, active: true})
		s.promos[len(s.promos)-1].customer = 0 // the oldest customer only
	}
	s.discounts = map[string]*discountState{}
}

func (s *Server) couponValid(i int32) bool {
	c := &s.coupons[i]
	return (c.redeemBy == 0 || c.redeemBy > s.unix()) && (c.maxRedemptions == 0 || c.redeemed < c.maxRedemptions)
}

func (s *Server) renderCoupon(i int) map[string]any {
	c := &s.coupons[i]
	var pct, amt, cur, months, maxR, by any
	if c.percentBP > 0 {
		pct = float64(c.percentBP) / 100
	} else {
		amt, cur = c.amountOff, currencyCodes[c.currency]
	}
	if c.duration == "repeating" {
		months = c.months
	}
	if c.maxRedemptions > 0 {
		maxR = c.maxRedemptions
	}
	if c.redeemBy > 0 {
		by = c.redeemBy
	}
	return map[string]any{"id": s.ids.id(kCoupon, uint32(i)), "object": "coupon", "amount_off": amt, "created": c.created,
		"currency": cur, "duration": c.duration, "duration_in_months": months, "livemode": false, "max_redemptions": maxR,
		"metadata": map[string]any{}, "name": c.name, "percent_off": pct, "redeem_by": by, "times_redeemed": c.redeemed,
		"valid": s.couponValid(int32(i))}
}

func (s *Server) renderPromo(i int) map[string]any {
	p := &s.promos[i]
	var cust, exp, maxR any
	if p.customer >= 0 {
		cust = s.custID(p.customer)
	}
	if p.expiresAt > 0 {
		exp = p.expiresAt
	}
	if p.maxRedemptions > 0 {
		maxR = p.maxRedemptions
	}
	return map[string]any{"id": s.ids.id(kPromoCode, uint32(i)), "object": "promotion_code", "active": p.active,
		"code": p.code, "coupon": s.renderCoupon(int(p.coupon)), "created": p.created, "customer": cust, "expires_at": exp,
		"livemode": false, "max_redemptions": maxR, "metadata": map[string]any{},
		"restrictions": map[string]any{"currency_options": map[string]any{}, "first_time_transaction": false,
			"minimum_amount": nil, "minimum_amount_currency": nil}, "times_redeemed": p.redeemed}
}

func (s *Server) listCoupons(c *call) (any, *apiError) {
	return c.list(listSpec{url: "/v1/coupons", kind: kCoupon, what: "coupon", n: len(s.coupons),
		created: func(i int) int64 { return s.coupons[i].created }, render: s.renderCoupon})
}

func (s *Server) getCoupon(c *call) (any, *apiError) {
	i, ok := s.ids.parse(kCoupon, c.id())
	if !ok || int(i) >= len(s.coupons) {
		return nil, missing("coupon", c.id())
	}
	return s.renderCoupon(int(i)), nil
}

func (s *Server) listPromos(c *call) (any, *apiError) {
	code := c.p.str("code")
	active, hasActive, e := c.p.boolean("active")
	if e != nil {
		return nil, e
	}
	cust := c.p.str("customer")
	return c.list(listSpec{url: "/v1/promotion_codes", kind: kPromoCode, what: "promotion_code", n: len(s.promos),
		created: func(i int) int64 { return s.promos[i].created },
		match: func(i int) bool {
			p := &s.promos[i]
			// Stripe: "promotion codes that have this case-insensitive code".
			return (code == "" || strings.EqualFold(p.code, code)) && (!hasActive || p.active == active) &&
				(cust == "" || p.customer >= 0 && s.custID(p.customer) == cust)
		},
		render: s.renderPromo})
}

func (s *Server) getPromo(c *call) (any, *apiError) {
	i, ok := s.ids.parse(kPromoCode, c.id())
	if !ok || int(i) >= len(s.promos) {
		return nil, missing("promotion_code", c.id())
	}
	return s.renderPromo(int(i)), nil
}

// discountRequest reads coupon= or promotion_code= of an update for
// customer cust (currency cur, -1 when it has none) and checks it as
// Stripe does; ok is false when neither was given.
func (s *Server) discountRequest(c *call, cust int32, cur int) (coup, promo int32, ok bool, e *apiError) {
	cid, hasC := c.p.strp("coupon")
	pid, hasP := c.p.strp("promotion_code")
	if !hasC && !hasP {
		return 0, 0, false, nil
	}
	if hasC && hasP && cid != "" && pid != "" {
		return 0, 0, false, invalidRequest("coupon", "You may only specify one of these parameters: coupon, promotion_code.")
	}
	promo = -1
	if hasP && pid != "" {
		i, found := s.ids.parse(kPromoCode, pid)
		if !found || int(i) >= len(s.promos) {
			return 0, 0, false, missingParam("promotion code", "promotion_code", pid)
		}
		p := &s.promos[i]
		switch {
		case !p.active || (p.expiresAt > 0 && p.expiresAt <= s.unix()):
			return 0, 0, false, invalidRequest("promotion_code", "This promotion code is not active: %s", p.code)
		case p.maxRedemptions > 0 && p.redeemed >= p.maxRedemptions:
			return 0, 0, false, invalidRequest("promotion_code", "This promotion code has been redeemed the maximum number of times: %s", p.code)
		case p.customer >= 0 && p.customer != cust:
			return 0, 0, false, invalidRequest("promotion_code", "This promotion code cannot be redeemed by this customer: %s", p.code)
		}
		promo, coup = int32(i), p.coupon
	} else if hasC && cid != "" {
		i, found := s.ids.parse(kCoupon, cid)
		if !found || int(i) >= len(s.coupons) {
			return 0, 0, false, missingParam("coupon", "coupon", cid)
		}
		coup = int32(i)
	} else {
		return -1, -1, true, nil // coupon="" removes, as Stripe allows
	}
	if !s.couponValid(coup) {
		return 0, 0, false, invalidCode("coupon_expired", "coupon", "Coupon expired: %s", s.ids.id(kCoupon, uint32(coup)))
	}
	if k := &s.coupons[coup]; k.amountOff > 0 && cur >= 0 && int(k.currency) != cur {
		return 0, 0, false, invalidRequest("coupon", "The coupon's currency (%s) must match the currency of the customer (%s).",
			currencyCodes[k.currency], currencyCodes[cur])
	}
	return coup, promo, true, nil
}

// applyDiscount puts coupon coup (through promo, or -1) on target (a
// customer or subscription id) and counts the redemption; coup -1 removes
// the discount. It returns the previous rendered discount.
func (s *Server) applyDiscount(target string, cust, sub int32, coup, promo int32, req *eventRequest) any {
	prev := s.renderDiscount(target)
	if old := s.discounts[target]; old != nil {
		delete(s.discounts, target)
		s.emit("customer.discount.deleted", s.renderDiscountState(old), nil, req)
	}
	if coup < 0 {
		return prev
	}
	s.discountSeq++
	d := &discountState{seq: s.discountSeq, coupon: coup, promo: promo, start: s.unix(), customer: cust, subscription: sub}
	if k := &s.coupons[coup]; k.duration == "repeating" {
		d.end = addMonthsClamped(timeUnix(d.start), int(k.months))
	}
	s.coupons[coup].redeemed++
	if promo >= 0 {
		s.promos[promo].redeemed++
	}
	s.discounts[target] = d
	s.emit("customer.discount.created", s.renderDiscountState(d), nil, req)
	return prev
}

func (s *Server) renderDiscount(target string) any {
	if s.discounts == nil || s.discounts[target] == nil {
		return nil
	}
	return s.renderDiscountState(s.discounts[target])
}

func (s *Server) renderDiscountState(d *discountState) map[string]any {
	var promo, sub, end any
	if d.promo >= 0 {
		promo = s.ids.id(kPromoCode, uint32(d.promo))
	}
	if d.subscription >= 0 {
		sub = s.subID(d.subscription)
	}
	if d.end > 0 {
		end = d.end
	}
	return map[string]any{"id": "di_" + strconv.FormatUint(uint64(d.seq), 36) + s.custID(d.customer)[4:10], "object": "discount",
		"checkout_session": nil, "coupon": s.renderCoupon(int(d.coupon)), "customer": s.custID(d.customer), "end": end,
		"invoice": nil, "invoice_item": nil, "promotion_code": promo, "start": d.start, "subscription": sub}
}

// deleteCustomerDiscount answers DELETE /v1/customers/{id}/discount.
func (s *Server) deleteCustomerDiscount(c *call) (any, *apiError) {
	i, e := s.customerParam("id", c.id())
	if e != nil {
		return nil, missing("customer", c.id())
	}
	return s.deleteDiscount(c, c.id(), func(prev any) {
		s.emit("customer.updated", s.renderCustomer(int(i)), map[string]any{"discount": prev}, c.evReq())
	})
}

// deleteSubscriptionDiscount answers DELETE /v1/subscriptions/{id}/discount.
func (s *Server) deleteSubscriptionDiscount(c *call) (any, *apiError) {
	i, e := s.subByID(c.id())
	if e != nil {
		return nil, e
	}
	return s.deleteDiscount(c, c.id(), func(prev any) {
		s.emit("customer.subscription.updated", s.renderSubscription(int(i)), map[string]any{"discount": prev}, c.evReq())
	})
}

func (s *Server) deleteDiscount(c *call, target string, announce func(prev any)) (any, *apiError) {
	d := s.discounts[target]
	if d == nil {
		return nil, &apiError{status: http.StatusNotFound, Type: "invalid_request_error", Code: "resource_missing",
			DocURL: docURL("resource_missing"), Message: "No active discount for " + target}
	}
	out := s.renderDiscountState(d)
	prev := s.applyDiscount(target, d.customer, d.subscription, -1, -1, c.evReq())
	announce(prev)
	return map[string]any{"id": out["id"], "object": "discount", "checkout_session": nil, "coupon": out["coupon"],
		"customer": out["customer"], "deleted": true, "invoice": nil, "invoice_item": nil, "promotion_code": out["promotion_code"],
		"start": out["start"], "subscription": out["subscription"]}, nil
}

func timeUnix(t int64) time.Time { return time.Unix(t, 0).UTC() }

// createCoupon answers POST /v1/coupons (percent_off or amount_off with
// currency, duration once/repeating/forever with duration_in_months,
// max_redemptions, redeem_by, name) and announces coupon.created.
func (s *Server) createCoupon(c *call) (any, *apiError) {
	k := coupon{created: s.unix(), name: c.p.str("name"), duration: c.p.str("duration")}
	if k.duration == "" {
		k.duration = "once"
	}
	switch k.duration {
	case "once", "forever":
	case "repeating":
		m, ok, e := c.p.int("duration_in_months")
		if e != nil {
			return nil, e
		}
		if !ok || m < 1 {
			return nil, invalidRequest("duration_in_months", "duration_in_months is required when duration is repeating.")
		}
		k.months = m
	default:
		return nil, invalidRequest("duration", "Invalid duration: must be one of once, repeating, or forever")
	}
	pct, hasPct := c.p.strp("percent_off")
	amt, hasAmt, e := c.p.int("amount_off")
	if e != nil {
		return nil, e
	}
	switch {
	case hasPct == hasAmt:
		return nil, invalidRequest("percent_off", "You must pass exactly one of percent_off or amount_off.")
	case hasPct:
		f, err := strconv.ParseFloat(pct, 64)
		if err != nil || f <= 0 || f > 100 {
			return nil, invalidRequest("percent_off", "Invalid percent_off: must be greater than 0 and at most 100")
		}
		k.percentBP = int64(f*100 + 0.5)
	default:
		cur, ok := currencyIndex(c.p.str("currency"))
		if !ok {
			return nil, invalidRequest("currency", "You must pass a valid currency with amount_off.")
		}
		if amt <= 0 {
			return nil, invalidRequest("amount_off", "Invalid amount_off: must be positive")
		}
		k.amountOff, k.currency = amt, cur
	}
	if n, ok, e := c.p.int("max_redemptions"); e != nil {
		return nil, e
	} else if ok {
		k.maxRedemptions = n
	}
	if n, ok, e := c.p.int("redeem_by"); e != nil {
		return nil, e
	} else if ok {
		if n <= s.unix() {
			return nil, invalidRequest("redeem_by", "Invalid timestamp: must be an integer Unix timestamp in the future.")
		}
		k.redeemBy = n
	}
	s.coupons = append(s.coupons, k)
	obj := s.renderCoupon(len(s.coupons) - 1)
	s.emit("coupon.created", obj, nil, c.evReq())
	return obj, nil
}

// createPromo answers POST /v1/promotion_codes (coupon, code, customer,
// max_redemptions, expires_at) and announces promotion_code.created.
func (s *Server) createPromo(c *call) (any, *apiError) {
	ci, ok := s.ids.parse(kCoupon, c.p.str("coupon"))
	if !ok || int(ci) >= len(s.coupons) {
		return nil, missingParam("coupon", "coupon", c.p.str("coupon"))
	}
	p := promoCode{created: s.unix(), coupon: int32(ci), code: c.p.str("code"), active: true, customer: -1}
	if p.code == "" {
		p.code = "PROMO" + strconv.Itoa(len(s.promos)+1)
	}
	for i := range s.promos {
		if s.promos[i].active && strings.EqualFold(s.promos[i].code, p.code) { // unique case-insensitively
			return nil, invalidRequest("code", "An active promotion code with `code: %s` already exists.", p.code)
		}
	}
	if id := c.p.str("customer"); id != "" {
		cu, e := s.customerParam("customer", id)
		if e != nil {
			return nil, e
		}
		p.customer = cu
	}
	if n, ok, e := c.p.int("max_redemptions"); e != nil {
		return nil, e
	} else if ok {
		p.maxRedemptions = n
	}
	s.promos = append(s.promos, p)
	obj := s.renderPromo(len(s.promos) - 1)
	s.emit("promotion_code.created", obj, nil, c.evReq())
	return obj, nil
}

// updatePromo answers POST /v1/promotion_codes/{id} (active) and
// announces promotion_code.updated.
func (s *Server) updatePromo(c *call) (any, *apiError) {
	i, ok := s.ids.parse(kPromoCode, c.id())
	if !ok || int(i) >= len(s.promos) {
		return nil, missing("promotion_code", c.id())
	}
	before := s.renderPromo(int(i))
	a, has, e := c.p.boolean("active")
	if e != nil {
		return nil, e
	}
	if has && a != s.promos[i].active {
		s.promos[i].active = a
		s.emit("promotion_code.updated", s.renderPromo(int(i)), map[string]any{"active": before["active"]}, c.evReq())
	}
	return s.renderPromo(int(i)), nil
}
