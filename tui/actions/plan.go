package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// priceOptionsLimit bounds the plan picker.
const priceOptionsLimit = 200

// planForm changes a subscription's price, quantity and proration.
type planForm struct {
	id       string
	customer string
	currency string
	status   string
	items    int
	curPrice string
	curQty   int64

	options   []billing.PriceOption
	price     string
	quantity  string
	proration string
}

type cachedSub struct {
	Customer string `json:"customer"`
	Currency string `json:"currency"`
	Status   string `json:"status"`
	Items    struct {
		Data []struct {
			Quantity int64 `json:"quantity"`
			Price    struct {
				ID string `json:"id"`
			} `json:"price"`
		} `json:"data"`
	} `json:"items"`
}

func newPlanForm(env storage.Envelope) *planForm {
	var s cachedSub
	_ = json.Unmarshal(env.Raw, &s)
	f := &planForm{id: env.ID, customer: s.Customer, currency: s.Currency, status: s.Status,
		items: len(s.Items.Data), proration: billing.ProrationBehaviors[0]}
	if len(s.Items.Data) > 0 {
		f.curPrice, f.curQty = s.Items.Data[0].Price.ID, s.Items.Data[0].Quantity
	}
	f.price = f.curPrice
	if f.curQty > 0 {
		f.quantity = strconv.FormatInt(f.curQty, 10)
	}
	return f
}

func (f *planForm) heading() string        { return "Change the plan of " + f.id }
func (f *planForm) action() billing.Action { return billing.ActionPlanChange }
func (f *planForm) target() string         { return f.id }

func (f *planForm) load(_ context.Context, c *common.Common) (func(), error) {
	opts, err := c.Money.PriceOptions(f.currency, priceOptionsLimit)
	if err != nil {
		return nil, err
	}
	return func() { f.options = opts }, nil
}

func (f *planForm) info(*common.Common) []string {
	now := "current price " + orDash(f.curPrice)
	for _, o := range f.options {
		if o.ID == f.curPrice {
			now = "now " + o.Label
		}
	}
	return []string{fmt.Sprintf("customer %s · %s · %s × %d · bills in %s", orDash(f.customer), f.status, now, f.curQty,
		strings.ToUpper(f.currency))}
}

func (f *planForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	var opts []huh.Option[string]
	for _, o := range f.options {
		label := o.Label
		if o.ID == f.curPrice {
			label += " (current)"
		}
		opts = append(opts, huh.NewOption(label, o.ID))
	}
	if len(opts) == 0 {
		opts = append(opts, huh.NewOption("keep the current price ("+orDash(f.curPrice)+")", f.curPrice))
	}
	return []huh.Field{
		huh.NewSelect[string]().Key("price").Title("New price").Options(opts...).Value(&f.price).Height(8).
			Description(describe(c, "active recurring prices in "+strings.ToUpper(f.currency)+" from the cache", "price", fe)),
		huh.NewInput().Key("quantity").Title("Quantity").Value(&f.quantity).Validate(validQuantity).
			Description(describe(c, "", "quantity", fe)),
		huh.NewSelect[string]().Key("proration").Title("Proration").
			Options(optionsOf("", billing.ProrationBehaviors...)...).Value(&f.proration).
			Description(describe(c, "the upcoming invoice is previewed before you confirm", "proration", fe)),
	}
}

func validQuantity(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("the quantity is a whole number above zero")
	}
	return nil
}

func (f *planForm) request() billing.PlanChangeRequest {
	q, _ := strconv.ParseInt(strings.TrimSpace(f.quantity), 10, 64)
	return billing.PlanChangeRequest{Subscription: f.id, Price: f.price, Quantity: q, Proration: f.proration}
}

func (f *planForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	req := f.request()
	p, err := c.Money.PreparePlanChange(ctx, c.Operator, req)
	if err != nil {
		return nil, nil, err
	}
	pv, err := c.Money.PreviewPlanChange(ctx, c.Operator, req)
	if err != nil {
		// The plan's own lines carry the prorations; the full preview is extra.
		p.Warnings = append(p.Warnings, "full invoice preview unavailable: "+billing.ExplainAction(err))
		return p, nil, nil
	}
	return p, &pv, nil
}
