package resources

import (
	"encoding/json"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/table"
)

// couponTerms reads a cached coupon's terms (zero when unreadable).
func couponTerms(raw []byte) billing.Coupon {
	c, _ := billing.CouponOf(raw)
	return c
}

// Coupons lists the cached coupons with their terms (`:coupons`): what
// they take off (percent_off, or amount_off in its currency), for how
// long (once, n months, forever), redeemed of max, valid and redeem_by.
// Enter shows the raw JSON. Status filter: valid / invalid.
func Coupons() *table.Descriptor {
	return &table.Descriptor{
		Name: "coupons", Title: "Coupons", Kind: storage.KindCoupon,
		Columns: []table.Column{
			{Title: "ID", Width: 14},
			{Title: "Valid", Width: 7, Status: true},
			{Title: "Off", Width: 12, Right: true},
			{Title: "Duration", Width: 14},
			{Title: "Name", Width: 16, Flex: true, Priority: 2},
			{Title: "Redeemed", Width: 10, Right: true, Priority: 3},
			{Title: "Redeem by", Width: 10, Priority: 4},
			{Title: "Created", Width: 10, Priority: 1},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			k := couponTerms(e.Raw)
			by := "-"
			if k.RedeemBy > 0 {
				by = date(c, k.RedeemBy)
			}
			return []string{e.ID, e.Status, k.Off(), k.For(), orDash(k.Name), k.Redemptions(), by, date(c, e.Created)}
		},
		Filters: statusFilters("valid", "invalid"),
		Sorts:   table.DefaultSorts,
	}
}

// PromotionCodes lists the cached promotion codes (`:promotion-codes`):
// the code customers type, active or not (an active code Stripe would
// refuse shows "✗" and why: its coupon used up or expired, the code used
// up or expired), its coupon's terms, who may redeem it, redeemed of max
// and when it expires.
func PromotionCodes() *table.Descriptor {
	return &table.Descriptor{
		Name: "promotion-codes", Title: "Promotion codes", Kind: storage.KindPromotionCode,
		Columns: []table.Column{
			{Title: "Code", Width: 14, Flex: true},
			{Title: "Status", Width: 28, Status: true},
			{Title: "Coupon", Width: 26, Flex: true},
			{Title: "Customer", Width: 18, Priority: 2},
			{Title: "Redeemed", Width: 10, Right: true, Priority: 3},
			{Title: "Expires", Width: 10, Priority: 4},
			{Title: "ID", Width: 20, Priority: 5},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			pj := decode[promotionCodeJSON](e.Raw)
			k := couponTerms(pj.Coupon)
			redeemed := billing.Coupon{TimesRedeemed: pj.TimesRedeemed, MaxRedemptions: pj.MaxRedemptions}.Redemptions()
			exp := "-"
			if pj.ExpiresAt > 0 {
				exp = date(c, pj.ExpiresAt)
			}
			customer := "anyone"
			if e.Customer != "" {
				customer = e.Customer
			}
			status := e.Status
			if why := billing.PromotionCodeWhyNot(e.Raw, c.Now()); why != "" && e.Status == "active" {
				status = "✗ " + why // active, but not redeemable: Stripe would refuse it
			}
			return []string{e.Name, status, k.Off() + " " + k.For(), customer, redeemed, exp, e.ID}
		},
		Filters: statusFilters("active", "inactive"),
		Sorts:   table.DefaultSorts,
	}
}

type promotionCodeJSON struct {
	Coupon         json.RawMessage `json:"coupon"`
	TimesRedeemed  int64           `json:"times_redeemed"`
	MaxRedemptions int64           `json:"max_redemptions"`
	ExpiresAt      int64           `json:"expires_at"`
}
