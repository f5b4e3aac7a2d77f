package stripejson

import "encoding/json"

// Pricing names how a Stripe price charges when unit_amount alone does not
// say it (https://docs.stripe.com/products-prices/pricing-models): "" for a
// fixed per-unit price, PricingMetered for recurring.usage_type "metered"
// (billed on reported usage), PricingTiered for billing_scheme "tiered"
// (the unit amount depends on the quantity's tier). Such prices have
// unit_amount null: their amount is not known from the price alone.
type Pricing string

// The pricing models whose amount unit_amount does not give.
const (
	PricingFixed   Pricing = ""
	PricingMetered Pricing = "metered"
	PricingTiered  Pricing = "tiered"
)

// Tier is one tier of a tiered price; amounts in minor units, UpTo nil for
// the last ("inf") tier.
type Tier struct {
	UpTo       *int64 `json:"up_to"`
	UnitAmount *int64 `json:"unit_amount"`
	FlatAmount *int64 `json:"flat_amount"`
}

// Price is the part of a Stripe price that says what it charges.
type Price struct {
	ID            string `json:"id"`
	Nickname      string `json:"nickname"`
	LookupKey     string `json:"lookup_key"`
	Product       Ref    `json:"product"`
	Currency      string `json:"currency"`
	UnitAmount    *int64 `json:"unit_amount"`
	BillingScheme string `json:"billing_scheme"`
	TiersMode     string `json:"tiers_mode"`
	Tiers         []Tier `json:"tiers"`
	Recurring     *struct {
		Interval      string `json:"interval"`
		IntervalCount int64  `json:"interval_count"`
		UsageType     string `json:"usage_type"`
	} `json:"recurring"`
}

// Pricing says whether the price is metered, tiered or fixed. A metered
// price is reported as metered even when tiered (usage decides either way).
func (p Price) Pricing() Pricing {
	switch {
	case p.Recurring != nil && p.Recurring.UsageType == "metered":
		return PricingMetered
	case p.BillingScheme == "tiered":
		return PricingTiered
	}
	return PricingFixed
}

// SubscriptionPricing reads a subscription's raw JSON and reports the
// first usage-based or tiered model among its items (PricingFixed when every
// item has a fixed unit amount or the JSON cannot be read).
func SubscriptionPricing(raw []byte) Pricing {
	var s struct {
		Items struct {
			Data []struct {
				Price Price `json:"price"`
			} `json:"data"`
		} `json:"items"`
	}
	if json.Unmarshal(raw, &s) != nil {
		return PricingFixed
	}
	for _, it := range s.Items.Data {
		if p := it.Price.Pricing(); p != PricingFixed {
			return p
		}
	}
	return PricingFixed
}

// PricePricing reads a price's raw JSON and reports its model.
func PricePricing(raw []byte) Pricing {
	var p Price
	if json.Unmarshal(raw, &p) != nil {
		return PricingFixed
	}
	return p.Pricing()
}
