package actions

import (
	"context"
	"encoding/json"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
)

// discountForm applies a coupon or promotion code to a customer or a
// subscription, or removes its discount (D on either page).
type discountForm struct {
	id      string
	kind    storage.Kind
	current string // the cached discount's terms, "" when none
	mode    string
	code    string
}

func newDiscountForm(env storage.Envelope) *discountForm {
	f := &discountForm{id: env.ID, kind: env.Kind, mode: billing.DiscountApply}
	var obj struct {
		Discount *struct {
			Coupon json.RawMessage `json:"coupon"`
		} `json:"discount"`
	}
	if json.Unmarshal(env.Raw, &obj) == nil && obj.Discount != nil {
		if c, err := billing.CouponOf(obj.Discount.Coupon); err == nil {
			f.current = safetext.Line(c.Terms())
		}
	}
	return f
}

func (f *discountForm) heading() string                                      { return "Discount on " + f.id }
func (f *discountForm) target() string                                       { return f.id }
func (f *discountForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *discountForm) info(*common.Common) []string {
	if f.current == "" {
		return []string{string(f.kind) + " " + f.id + " · no discount (cached)"}
	}
	return []string{string(f.kind) + " " + f.id + " · discount: " + f.current + " (cached)"}
}

func (f *discountForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	opts := []huh.Option[string]{huh.NewOption("apply a coupon or promotion code (replaces any discount)", billing.DiscountApply)}
	if f.current != "" {
		opts = append(opts, huh.NewOption("remove the discount", billing.DiscountRemove))
	}
	return []huh.Field{
		huh.NewSelect[string]().Key("mode").Title("Discount").Options(opts...).Value(&f.mode).
			Description(describe(c, "", "mode", fe)),
		huh.NewInput().Key("code").Title("Promotion code or coupon id").Value(&f.code).
			Description(describe(c, "for applying only; :coupons lists them with their terms", "code", fe)),
	}
}

func (f *discountForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareDiscount(ctx, c.Operator, billing.DiscountRequest{Target: f.id, Mode: f.mode, Code: f.code})
	return p, nil, err
}
