package tui

import (
	"testing"

	"github.com/paydesk/paydesk/tui/internal/goldens"
)

// TestGoldenCoupons draws :coupons and :promotion-codes (terms, validity,
// redemptions) at 120x36 and 80x24.
func TestGoldenCoupons(t *testing.T) {
	goldens.SkipIfMoved(t)
	for _, tc := range []struct {
		name  string
		w, h  int
		steps []step
	}{
		{"coupons", 120, 36, []step{{":", ""}, {"type:coupons", ""}, {"enter", "Coupons  status:all"}}},
		{"coupons_80x24", 80, 24, []step{{":", ""}, {"type:coupons", ""}, {"enter", "Coupons  status:all"}}},
		{"coupons_invalid", 120, 36, []step{{":", ""}, {"type:coupons", ""}, {"enter", "Coupons  status:all"}, {"f", "status:valid"}, {"f", "status:invalid"}}},
		{"promotion_codes", 120, 36, []step{{":", ""}, {"type:promos", ""}, {"enter", "Promotion codes  status:all"}}},
		{"promotion_codes_80x24", 80, 24, []step{{":", ""}, {"type:promos", ""}, {"enter", "Promotion codes  status:all"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tm := program(t, session(nil, nil), tc.w, tc.h)
			play(t, tm, tc.steps)
			goldens.RequireEqual(t, []byte(finish(t, tm).View()))
		})
	}
}
