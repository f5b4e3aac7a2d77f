package billing

import (
	"testing"
	"time"
)

// TestPromotionCodeWhyNot: an active code whose coupon is used up or
// expired is not redeemable, with the reason; expires_at is judged only
// with a clock.
func TestPromotionCodeWhyNot(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	coupon := func(extra string) string {
		return `{"id":"c1","percent_off":50,"duration":"once","times_redeemed":1` + extra + `}`
	}
	for _, tc := range []struct{ raw, want, wantNoClock string }{
		{`{"active":true,"times_redeemed":0,"coupon":` + coupon(`,"valid":true`) + `}`, "", ""},
		{`{"active":true,"coupon":` + coupon(`,"max_redemptions":1,"valid":false`) + `}`, "coupon used up (1 of 1)", "coupon used up (1 of 1)"},
		{`{"active":true,"coupon":` + coupon(`,"redeem_by":1795262400,"valid":false`) + `}`, "coupon expired 2026-11-21", "coupon expired 2026-11-21"},
		{`{"active":false,"coupon":` + coupon(`,"valid":true`) + `}`, "inactive", "inactive"},
		{`{"active":true,"max_redemptions":5,"times_redeemed":5,"coupon":` + coupon(`,"valid":true`) + `}`, "used up (5 of 5)", "used up (5 of 5)"},
		{`{"active":true,"expires_at":1795262400,"coupon":` + coupon(`,"valid":true`) + `}`, "expired 2026-11-21", ""},
	} {
		if got := PromotionCodeWhyNot([]byte(tc.raw), now); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.raw, got, tc.want)
		}
		if got := PromotionCodeWhyNot([]byte(tc.raw), time.Time{}); got != tc.wantNoClock {
			t.Errorf("%s without a clock: %q, want %q", tc.raw, got, tc.wantNoClock)
		}
	}
	if got := CouponAmount([]byte(coupon(""))); got != "50%" {
		t.Errorf("CouponAmount %q", got)
	}
}
