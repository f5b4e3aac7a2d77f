package resources

import (
	"slices"
	"strings"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/paydesk/paydesk/tui/table"
)

// unitAmount is a price's unit amount, or what it charges by when Stripe
// leaves unit_amount null: "metered" (usage reported to Stripe) or "tiered"
// (the tiers below the items); never a made-up 0.00.
func unitAmount(p price) string {
	if p.UnitAmount != nil {
		return money.Format(*p.UnitAmount, p.Currency)
	}
	if m := p.Pricing(); m != stripejson.PricingFixed {
		return string(m)
	}
	return "-"
}

// subscriptionAmount is the amount per period of a subscription: the fixed
// items' sum (the cache's amount), with "+ metered" or "+ tiered" when some
// items are priced by usage or tier; only "metered"/"tiered" when every
// item is.
func subscriptionAmount(s subscriptionJSON, e storage.Envelope) string {
	var models []string
	fixed := false
	for _, it := range s.Items.Data {
		m := it.Price.Pricing()
		if m == stripejson.PricingFixed || it.Price.UnitAmount != nil {
			fixed = true
			continue
		}
		if !slices.Contains(models, string(m)) {
			models = append(models, string(m))
		}
	}
	model := strings.Join(models, " + ")
	switch {
	case model == "":
		return money.Format(e.Amount, e.Currency)
	case !fixed && e.Amount == 0:
		return model
	}
	return money.Format(e.Amount, e.Currency) + " + " + model
}

// tiers lists a tiered price's tiers under the items: up to how many
// units, the unit and flat amounts ("graduated": each tier prices its own
// units; "volume": the tier of the total prices every unit).
func (b *sections) tiers(p price) {
	b.heading("Tiers of " + p.label() + " (" + orDash(p.TiersMode) + ")")
	rows := make([][]string, 0, len(p.Tiers))
	from := int64(1)
	for _, t := range p.Tiers {
		upTo := "and up"
		if t.UpTo != nil {
			upTo = itoa(from) + "-" + itoa(*t.UpTo)
			from = *t.UpTo + 1
		} else {
			upTo = itoa(from) + " and up"
		}
		unit, flat := "-", "-"
		if t.UnitAmount != nil {
			unit = b.money(*t.UnitAmount, p.Currency)
		}
		if t.FlatAmount != nil {
			flat = b.money(*t.FlatAmount, p.Currency)
		}
		rows = append(rows, []string{upTo, unit, flat})
	}
	b.list(tierCols, rows, false, "no tiers in the cached price (expand tiers to see them)")
}

var tierCols = []table.Column{
	{Title: "Units", Width: 14},
	{Title: "Per unit", Width: 11, Right: true},
	{Title: "Flat", Width: 11, Right: true},
}
