package sandbox

import "strconv"

func (s *Server) renderProduct(i int) map[string]any {
	p := &s.products[i]
	var def any
	for j := range s.prices {
		if int(s.prices[j].product) == i && s.prices[j].currency == curUSD && !s.prices[j].yearly {
			def = s.ids.id(kPrice, uint32(j))
			break
		}
	}
	return map[string]any{
		"id": s.ids.id(kProduct, uint32(i)), "object": "product", "active": p.active, "created": p.created,
		"default_price": def, "description": nilIfEmpty(p.desc), "features": []any{}, "images": []any{},
		"livemode": false, "metadata": metaJSON(p.meta), "name": p.name, "package_dimensions": nil,
		"shippable": nil, "statement_descriptor": nil, "tax_code": nil, "type": "service",
		"unit_label": nil, "updated": p.created, "url": nil,
	}
}

func interval(yearly bool) string {
	if yearly {
		return "year"
	}
	return "month"
}

func (s *Server) renderPrice(i int) map[string]any {
	p := &s.prices[i]
	return map[string]any{
		"id": s.ids.id(kPrice, uint32(i)), "object": "price", "active": p.active, "billing_scheme": "per_unit",
		"created": p.created, "currency": currencyCodes[p.currency], "custom_unit_amount": nil, "livemode": false,
		"lookup_key": nilIfEmpty(p.lookup), "metadata": map[string]any{}, "nickname": nilIfEmpty(p.nickname),
		"product": s.ids.id(kProduct, uint32(p.product)),
		"recurring": map[string]any{"aggregate_usage": nil, "interval": interval(p.yearly), "interval_count": 1,
			"trial_period_days": nil, "usage_type": "licensed"},
		"tax_behavior": "unspecified", "tiers_mode": nil, "transform_quantity": nil, "type": "recurring",
		"unit_amount": p.amount, "unit_amount_decimal": strconv.FormatInt(p.amount, 10),
	}
}

// renderPlan renders the legacy plan object Stripe still embeds in
// subscription items and invoice lines.
func (s *Server) renderPlan(i int) map[string]any {
	p := &s.prices[i]
	return map[string]any{
		"id": s.ids.id(kPrice, uint32(i)), "object": "plan", "active": p.active, "aggregate_usage": nil,
		"amount": p.amount, "amount_decimal": strconv.FormatInt(p.amount, 10), "billing_scheme": "per_unit",
		"created": p.created, "currency": currencyCodes[p.currency], "interval": interval(p.yearly),
		"interval_count": 1, "livemode": false, "metadata": map[string]any{}, "nickname": nilIfEmpty(p.nickname),
		"product": s.ids.id(kProduct, uint32(p.product)), "tiers_mode": nil, "transform_usage": nil,
		"trial_period_days": nil, "usage_type": "licensed",
	}
}

func metaJSON(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (s *Server) listProducts(c *call) (any, *apiError) {
	active, hasActive, e := c.p.boolean("active")
	if e != nil {
		return nil, e
	}
	return c.list(listSpec{url: "/v1/products", kind: kProduct, what: "product", n: len(s.products),
		created: func(i int) int64 { return s.products[i].created },
		match:   func(i int) bool { return !hasActive || s.products[i].active == active },
		render:  s.renderProduct})
}

func (s *Server) getProduct(c *call) (any, *apiError) {
	i, ok := s.ids.parse(kProduct, c.id())
	if !ok || int(i) >= len(s.products) {
		return nil, missing("product", c.id())
	}
	return s.renderProduct(int(i)), nil
}

func (s *Server) listPrices(c *call) (any, *apiError) {
	active, hasActive, e := c.p.boolean("active")
	if e != nil {
		return nil, e
	}
	prod := int64(-1)
	if id := c.p.str("product"); id != "" {
		i, ok := s.ids.parse(kProduct, id)
		if !ok || int(i) >= len(s.products) {
			return listEnvelope("/v1/prices", nil, false), nil
		}
		prod = int64(i)
	}
	cur := c.p.str("currency")
	typ := c.p.str("type")
	return c.list(listSpec{url: "/v1/prices", kind: kPrice, what: "price", n: len(s.prices),
		created: func(i int) int64 { return s.prices[i].created },
		match: func(i int) bool {
			p := &s.prices[i]
			return (!hasActive || p.active == active) && (prod < 0 || int64(p.product) == prod) &&
				(cur == "" || currencyCodes[p.currency] == cur) && (typ == "" || typ == "recurring")
		},
		render: s.renderPrice})
}

func (s *Server) getPrice(c *call) (any, *apiError) {
	i, ok := s.ids.parse(kPrice, c.id())
	if !ok || int(i) >= len(s.prices) {
		return nil, missing("price", c.id())
	}
	return s.renderPrice(int(i)), nil
}

// priceParam resolves a price id given in parameter param.
func (s *Server) priceParam(param, id string) (int32, *apiError) {
	i, ok := s.ids.parse(kPrice, id)
	if !ok || int(i) >= len(s.prices) {
		return 0, missingParam("price", param, id)
	}
	return int32(i), nil
}
