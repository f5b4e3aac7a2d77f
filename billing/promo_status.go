package billing

import (
	"encoding/json"
	"fmt"
	"time"
)

// PromotionCodeWhyNot says why a promotion code (a Stripe promotion_code
// object's JSON, coupon expanded as Stripe returns it) cannot be redeemed,
// in a few words, or "" when it can: "inactive", "expired 2026-11-20"
// (expires_at at or before now, UTC date), "used up (100 of 100)", and for
// its coupon "coupon used up (1 of 1)", "coupon expired 2026-11-21"
// (redeem_by) or "coupon not valid" (Stripe's valid=false for another
// reason). A zero now skips the expires_at test: the caller shows the
// expiry date instead. The rules are those PrepareDiscount refuses a code
// by (docs: api/promotion_codes/object, api/coupons/object).
func PromotionCodeWhyNot(raw []byte, now time.Time) string {
	var pc struct {
		Active         bool            `json:"active"`
		ExpiresAt      int64           `json:"expires_at"`
		MaxRedemptions int64           `json:"max_redemptions"`
		TimesRedeemed  int64           `json:"times_redeemed"`
		Coupon         json.RawMessage `json:"coupon"`
	}
	if json.Unmarshal(raw, &pc) != nil {
		return "unreadable"
	}
	switch {
	case !pc.Active:
		return "inactive"
	case pc.ExpiresAt > 0 && !now.IsZero() && pc.ExpiresAt <= now.Unix():
		return "expired " + time.Unix(pc.ExpiresAt, 0).UTC().Format(time.DateOnly)
	case pc.MaxRedemptions > 0 && pc.TimesRedeemed >= pc.MaxRedemptions:
		return fmt.Sprintf("used up (%d of %d)", pc.TimesRedeemed, pc.MaxRedemptions)
	}
	c, err := CouponOf(pc.Coupon)
	switch {
	case err != nil:
		return "coupon unreadable"
	case c.MaxRedemptions > 0 && c.TimesRedeemed >= c.MaxRedemptions:
		return fmt.Sprintf("coupon used up (%d of %d)", c.TimesRedeemed, c.MaxRedemptions)
	case c.RedeemBy > 0 && (!c.Valid || (!now.IsZero() && c.RedeemBy <= now.Unix())):
		return "coupon expired " + time.Unix(c.RedeemBy, 0).UTC().Format(time.DateOnly)
	case !c.Valid:
		return "coupon not valid"
	}
	return ""
}

// CouponAmount is what a coupon takes off, for a column: "25%" or
// "$10.00" (amount_off in its currency).
func CouponAmount(raw []byte) string {
	c, err := CouponOf(raw)
	if err != nil {
		return "-"
	}
	return c.Amount()
}
