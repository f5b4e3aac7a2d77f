package sandbox

import "strconv"

// Invoice items (POST/GET /v1/invoiceitems) and one-off invoices
// (POST /v1/invoices): an item waits "pending" on its customer until an
// invoice created with pending_invoice_items_behavior=include takes it as
// a line; the invoice starts as a draft (finalize, send or delete it).

// invItem is one invoice item of a customer.
type invItem struct {
	customer    int32
	created     int64
	amount      int64
	currency    uint8
	description string
	meta        map[string]string
	invoice     int32 // -1 while pending
	line        uint32
}

func (s *Server) renderInvoiceItem(k int) map[string]any {
	it := &s.invItems[k]
	var inv any
	if it.invoice >= 0 {
		inv = s.ids.id(kInvoice, uint32(it.invoice))
	}
	desc := any(nil)
	if it.description != "" {
		desc = it.description
	}
	return map[string]any{
		"id": s.ids.id(kInvoiceItem, uint32(k)), "object": "invoiceitem", "amount": it.amount,
		"currency": currencyCodes[it.currency], "customer": s.custID(it.customer), "date": it.created,
		"description": desc, "discountable": true, "discounts": []any{}, "invoice": inv, "livemode": false,
		"metadata": metaJSON(it.meta), "period": map[string]any{"end": it.created, "start": it.created},
		"plan": nil, "price": nil, "proration": false, "quantity": 1, "subscription": nil, "tax_rates": []any{},
		"test_clock": nil, "unit_amount": it.amount, "unit_amount_decimal": strconv.FormatInt(it.amount, 10),
	}
}

// createInvoiceItem serves POST /v1/invoiceitems: customer, amount (minor
// units, non-zero), currency, description, metadata.
func (s *Server) createInvoiceItem(c *call) (any, *apiError) {
	cu, e := s.customerByID(c.p.str("customer"))
	if c.p.str("customer") == "" {
		return nil, requiredParam("customer")
	}
	if e != nil {
		return nil, e
	}
	if s.customers[cu].deleted {
		return nil, missing("customer", c.p.str("customer"))
	}
	amount, ok, e := c.p.int("amount")
	if e != nil {
		return nil, e
	}
	if !ok {
		return nil, requiredParam("amount")
	}
	code := c.p.str("currency")
	if code == "" {
		return nil, requiredParam("currency")
	}
	cur, found := currencyIndex(code)
	if !found {
		return nil, invalidRequest("currency", "Invalid currency: %s", code)
	}
	if cust := &s.customers[cu]; cust.hasCur && cust.cur != cur {
		return nil, invalidRequest("currency", "The currency of this invoice item (%s) does not match the customer's currency (%s).",
			code, currencyCodes[cust.cur])
	}
	meta, _ := c.p.metadata(nil)
	s.invItems = append(s.invItems, invItem{customer: cu, created: s.unix(), amount: amount, currency: cur,
		description: c.p.str("description"), meta: meta, invoice: -1})
	k := len(s.invItems) - 1
	obj := s.renderInvoiceItem(k)
	s.emit("invoiceitem.created", obj, nil, c.evReq())
	return obj, nil
}

func (s *Server) invoiceItemByID(id string) (int, *apiError) {
	k, ok := s.ids.parse(kInvoiceItem, id)
	if !ok || int(k) >= len(s.invItems) {
		return 0, missing("invoiceitem", id)
	}
	return int(k), nil
}

func (s *Server) getInvoiceItem(c *call) (any, *apiError) {
	k, e := s.invoiceItemByID(c.id())
	if e != nil {
		return nil, e
	}
	return s.renderInvoiceItem(k), nil
}

// listInvoiceItems serves GET /v1/invoiceitems (customer, pending,
// invoice filters), newest first.
func (s *Server) listInvoiceItems(c *call) (any, *apiError) {
	var conds []func(int) bool
	if id := c.p.str("customer"); id != "" {
		cu, ok := s.ids.parse(kCustomer, id)
		conds = append(conds, func(k int) bool { return ok && s.invItems[k].customer == int32(cu) })
	}
	if v, ok, e := c.p.boolean("pending"); e != nil {
		return nil, e
	} else if ok {
		conds = append(conds, func(k int) bool { return (s.invItems[k].invoice < 0) == v })
	}
	if id := c.p.str("invoice"); id != "" {
		in, ok := s.ids.parse(kInvoice, id)
		conds = append(conds, func(k int) bool { return ok && s.invItems[k].invoice == int32(in) })
	}
	spec := listSpec{url: "/v1/invoiceitems", kind: kInvoiceItem, what: "invoiceitem", n: len(s.invItems),
		created: func(k int) int64 { return s.invItems[k].created }, render: s.renderInvoiceItem}
	if len(conds) > 0 {
		spec.match = func(k int) bool {
			for _, f := range conds {
				if !f(k) {
					return false
				}
			}
			return true
		}
	}
	return c.list(spec)
}

// createInvoice serves POST /v1/invoices: a draft for customer, with its
// pending items in the invoice's currency as lines when
// pending_invoice_items_behavior=include (the 2023-10-16 default is
// exclude: an empty draft), and metadata.
func (s *Server) createInvoice(c *call) (any, *apiError) {
	if c.p.str("customer") == "" {
		return nil, requiredParam("customer")
	}
	cu, e := s.customerByID(c.p.str("customer"))
	if e != nil {
		return nil, e
	}
	if s.customers[cu].deleted {
		return nil, missing("customer", c.p.str("customer"))
	}
	behavior := c.p.str("pending_invoice_items_behavior")
	switch behavior {
	case "", "exclude", "include":
	default:
		return nil, invalidRequest("pending_invoice_items_behavior", "Invalid pending_invoice_items_behavior: must be one of exclude or include")
	}
	cust := &s.customers[cu]
	cur, haveCur := cust.cur, cust.hasCur
	if code := c.p.str("currency"); code != "" {
		var found bool
		if cur, found = currencyIndex(code); !found {
			return nil, invalidRequest("currency", "Invalid currency: %s", code)
		}
		haveCur = true
	}
	var take []int
	if behavior == "include" {
		for k := range s.invItems {
			it := &s.invItems[k]
			if it.customer != cu || it.invoice >= 0 {
				continue
			}
			if !haveCur {
				cur, haveCur = it.currency, true
			}
			if it.currency == cur {
				take = append(take, k)
			}
		}
	}
	if !haveCur {
		cur = 0
	}
	now := s.unix()
	lines := make([]invLine, 0, len(take))
	for _, k := range take {
		it := &s.invItems[k]
		s.lineSeq++
		it.line = explicitLineBase + s.lineSeq
		lines = append(lines, invLine{id: it.line, amount: it.amount, price: -1, qty: 1, start: it.created, end: it.created,
			description: it.description})
	}
	meta, _ := c.p.metadata(nil)
	draft := s.draftInvoice(cu, -1, cur, lines, brManual, now, now)
	draft.meta = meta
	i := s.addInvoice(draft, c.evReq())
	// Stripe sends no event for the items an invoice takes in
	// (invoiceitem.updated is not an event of this API version).
	for _, k := range take {
		s.invItems[k].invoice = i
	}
	return s.renderInvoice(int(i)), nil
}
