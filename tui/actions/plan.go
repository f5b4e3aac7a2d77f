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
	"github.com/paydesk/paydesk/storage/stripejson"
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
	items    []subItem
	item     string // the item changed ("" with a single item)
	curPrice string
	curQty   int64

	options   []billing.PriceOption
	price     string
	quantity  string
	proration string
}

// subItem is one subscription item as the cache holds it.
type subItem struct {
	ID       string
	Price    string
	Quantity int64
}

func newPlanForm(env storage.Envelope) *planForm {
	var s stripejson.Subscription
	_ = json.Unmarshal(env.Raw, &s)
	f := &planForm{id: env.ID, customer: string(s.Customer), currency: s.Currency, status: s.Status,
		proration: billing.ProrationBehaviors[0]}
	for _, it := range s.Items.Data {
		f.items = append(f.items, subItem{ID: it.ID, Price: it.Price.ID, Quantity: ptrOr(it.Quantity, 0)})
	}
	if len(f.items) > 0 {
		f.curPrice, f.curQty = f.items[0].Price, f.items[0].Quantity
	}
	if len(f.items) > 1 {
		f.item = f.items[0].ID
	}
	if f.curQty > 0 && len(f.items) == 1 {
		f.quantity = strconv.FormatInt(f.curQty, 10)
	}
	return f
}

func (f *planForm) heading() string { return "Change the plan of " + f.id }
func (f *planForm) target() string  { return f.id }

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
	opts := []huh.Option[string]{huh.NewOption("keep the current price", "")}
	for _, o := range f.options {
		label := o.Label
		if o.ID == f.curPrice {
			label += " (current)"
		}
		opts = append(opts, huh.NewOption(label, o.ID))
	}
	var out []huh.Field
	if len(f.items) > 1 {
		var items []huh.Option[string]
		for _, it := range f.items {
			items = append(items, huh.NewOption(fmt.Sprintf("%s: %d × %s", it.ID, it.Quantity, it.Price), it.ID))
		}
		out = append(out, huh.NewSelect[string]().Key("item").Title("Item to change").Options(items...).Value(&f.item).
			Description(describe(c, "the subscription has several items", "item", fe)))
	}
	return append(out,
		huh.NewSelect[string]().Key("price").Title("New price").Options(opts...).Value(&f.price).Height(8).
			Description(describe(c, "active recurring prices in "+strings.ToUpper(f.currency)+" from the cache", "price", fe)),
		checked(c, huh.NewInput().Key("quantity").Title("Quantity").Value(&f.quantity).Placeholder("keep the current quantity"),
			"", "quantity", fe, validQuantity),
		huh.NewSelect[string]().Key("proration").Title("Proration").
			Options(optionsOf("", billing.ProrationBehaviors...)...).Value(&f.proration).
			Description(describe(c, "the upcoming invoice is previewed before you confirm", "proration", fe)),
	)
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
	return billing.PlanChangeRequest{Subscription: f.id, Item: f.item, Price: f.price, Quantity: q, Proration: f.proration}
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

// ptrOr is *p, or or when p is nil (a null Stripe field).
func ptrOr[T any](p *T, or T) T {
	if p == nil {
		return or
	}
	return *p
}
