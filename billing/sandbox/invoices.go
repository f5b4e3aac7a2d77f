package sandbox

import (
	"fmt"
	"strconv"
	"strings"
)

// defaultLineID is the id sequence of an invoice's implicit single line;
// explicit lines draw from lineSeq, which starts above it.
const explicitLineBase = 1 << 31

func (s *Server) lineDescription(pr int32, qty int64) string {
	p := &s.prices[pr]
	return fmt.Sprintf("%d × %s (at %s / %s)", qty, s.products[p.product].name, formatMoney(p.amount, p.currency), interval(p.yearly))
}

func (s *Server) invoiceLines(i int) []invLine {
	in := &s.invoices[i]
	if in.lines != nil {
		return in.lines
	}
	var item uint32
	if in.sub >= 0 && len(s.subs[in.sub].items) > 0 {
		item = s.subs[in.sub].items[0].id
	}
	return []invLine{{id: uint32(i), amount: in.subtotal(), price: in.price, qty: int64(in.qty), item: item,
		start: in.periodStart, end: in.periodEnd, description: s.lineDescription(in.price, int64(in.qty))}}
}

func (s *Server) renderLine(l invLine, sub int32, cur uint8) map[string]any {
	var subID, itemID any
	typ := "invoiceitem"
	if sub >= 0 {
		subID = s.ids.id(kSubscription, uint32(sub))
		typ = "subscription"
		if l.item != 0 || !l.proration {
			itemID = s.ids.id(kSubItem, l.item)
		}
	}
	unit := any(nil)
	if l.qty != 0 {
		unit = strconv.FormatInt(l.amount/l.qty, 10)
	}
	var priceObj, planObj any
	if l.price >= 0 {
		priceObj, planObj = s.renderPrice(int(l.price)), s.renderPlan(int(l.price))
	}
	m := map[string]any{
		"id": s.ids.id(kLine, l.id), "object": "line_item", "amount": l.amount, "amount_excluding_tax": l.amount,
		"currency": currencyCodes[cur], "description": l.description, "discount_amounts": []any{},
		"discountable": !l.proration, "discounts": []any{}, "livemode": false, "metadata": map[string]any{},
		"period": map[string]any{"end": l.end, "start": l.start}, "plan": planObj, "price": priceObj,
		"proration": l.proration, "proration_details": map[string]any{"credited_items": nil}, "quantity": l.qty,
		"subscription": subID, "tax_amounts": []any{}, "tax_rates": []any{},
		"type": typ, "unit_amount_excluding_tax": unit,
	}
	if itemID != nil { // not nullable in Stripe's spec: absent on one-off lines
		m["subscription_item"] = itemID
	}
	return m
}

func (s *Server) renderInvoice(i int) map[string]any {
	m := s.renderInvoiceBody(&s.invoices[i], s.invoiceLines(i))
	id := s.ids.id(kInvoice, uint32(i))
	m["id"] = id
	m["lines"].(map[string]any)["url"] = "/v1/invoices/" + id + "/lines"
	m["hosted_invoice_url"] = "https://invoice.stripe.com/i/sandbox/" + id
	m["invoice_pdf"] = "https://pay.stripe.com/invoice/sandbox/" + id + "/pdf"
	if s.hasPaymentIntent(i) {
		m["payment_intent"] = s.ids.id(kPaymentIntent, uint32(i))
	}
	return m
}

func (s *Server) renderInvoiceBody(in *invoice, lines []invLine) (out map[string]any) {
	data := make([]any, len(lines))
	for k, l := range lines {
		data[k] = s.renderLine(l, in.sub, in.currency)
	}
	defer func() { s.renderInvoiceDiscount(out, in, lines, data) }()
	var sub, ch, number, next, finalized, paidAt, voidedAt, uncollAt any
	if in.sub >= 0 {
		sub = s.ids.id(kSubscription, uint32(in.sub))
	}
	if in.charge >= 0 {
		ch = s.ids.id(kCharge, uint32(in.charge))
	}
	if in.status != invDraft {
		number = fmt.Sprintf("%s-%04d", s.custID(in.customer)[4:12], in.number)
		finalized = in.created
		if in.finalizedAt > 0 {
			finalized = in.finalizedAt
		}
	}
	if in.nextAttempt > 0 && in.status == invOpen {
		next = in.nextAttempt
	}
	switch in.status {
	case invPaid:
		paidAt = in.statusAt
	case invVoid:
		voidedAt = in.statusAt
	case invUncollectible:
		uncollAt = in.statusAt
	}
	paid := in.status == invPaid
	due := in.amountDue()
	remaining := due - in.amountPaid
	if in.status == invVoid || remaining < 0 {
		remaining = 0
	}
	ending := any(nil)
	if in.status != invDraft {
		ending = in.endingBalance()
	}
	var effective any
	if in.status != invDraft {
		effective = finalized // Stripe: when finalized, unless set otherwise
	}
	cust := int(in.customer)
	out = map[string]any{
		"object": "invoice", "account_country": "US", "account_name": "Paydesk Demo",
		"account_tax_ids": nil, "amount_due": due, "amount_paid": in.amountPaid, "amount_remaining": remaining,
		"amount_shipping": 0, "application": nil, "application_fee_amount": nil, "attempt_count": in.attempts,
		"attempted": in.attempts > 0 || paid, "auto_advance": in.status == invOpen || in.status == invDraft,
		"automatic_tax": map[string]any{"enabled": false, "status": nil}, "billing_reason": billingReasons[in.reason],
		"charge": ch, "collection_method": "charge_automatically", "created": in.created,
		"currency": currencyCodes[in.currency], "custom_fields": nil, "customer": s.custID(in.customer),
		"customer_address": nil, "customer_email": s.customerEmail(cust), "customer_name": s.customerName(cust),
		"customer_phone": nil, "customer_shipping": nil, "customer_tax_exempt": "none", "customer_tax_ids": []any{},
		"default_payment_method": nil, "default_source": nil, "default_tax_rates": []any{}, "description": nil,
		"discount": nil, "discounts": []any{}, "due_date": nil, "effective_at": effective, "ending_balance": ending,
		"footer": nil, "from_invoice": nil, "last_finalization_error": nil, "latest_revision": nil,
		"lines":    map[string]any{"object": "list", "data": data, "has_more": false, "total_count": len(lines), "url": ""},
		"livemode": false, "metadata": metaJSON(in.meta), "next_payment_attempt": next, "number": number,
		"on_behalf_of": nil, "paid": paid, "paid_out_of_band": false, "payment_intent": nil,
		"payment_settings": map[string]any{"default_mandate": nil, "payment_method_options": nil, "payment_method_types": nil},
		"period_end":       in.periodEnd, "period_start": in.periodStart, "post_payment_credit_notes_amount": in.postCN,
		"pre_payment_credit_notes_amount": in.preCN, "quote": nil, "receipt_number": nil, "rendering": nil,
		"shipping_cost": nil, "shipping_details": nil, "starting_balance": in.startingBalance,
		"statement_descriptor": nil, "status": invStatusNames[in.status],
		"status_transitions": map[string]any{"finalized_at": finalized, "marked_uncollectible_at": uncollAt,
			"paid_at": paidAt, "voided_at": voidedAt},
		"subscription": sub, "subscription_details": map[string]any{"metadata": map[string]any{}},
		"subtotal": in.subtotal(), "subtotal_excluding_tax": in.subtotal(), "tax": nil, "test_clock": nil, "total": in.total,
		"total_discount_amounts": []any{}, "total_excluding_tax": in.total, "total_tax_amounts": []any{},
		"transfer_data": nil, "webhooks_delivered_at": in.created,
	}
	return out
}

func (s *Server) invoiceByID(id string) (int32, *apiError) {
	i, ok := s.ids.parse(kInvoice, id)
	if !ok || int(i) >= len(s.invoices) || s.invoices[i].deleted {
		return 0, missing("invoice", id)
	}
	return int32(i), nil
}

func (s *Server) listInvoices(c *call) (any, *apiError) {
	spec := listSpec{url: "/v1/invoices", kind: kInvoice, what: "invoice", n: len(s.invoices),
		created: func(i int) int64 { return s.invoices[i].created }, render: s.renderInvoice}
	var conds []func(int) bool
	if id := c.p.str("customer"); id != "" {
		cu, ok := s.ids.parse(kCustomer, id)
		if !ok || int(cu) >= len(s.customers) {
			return listEnvelope(spec.url, nil, false), nil
		}
		spec.chain = linked(s.customers[cu].lastInv, func(j int32) int32 { return s.invoices[j].prevCust })
	}
	if id := c.p.str("subscription"); id != "" {
		sb, ok := s.ids.parse(kSubscription, id)
		if !ok || int(sb) >= len(s.subs) {
			return listEnvelope(spec.url, nil, false), nil
		}
		if spec.chain == nil {
			spec.chain = linked(s.subs[sb].lastInv, func(j int32) int32 { return s.invoices[j].prevSub })
		} else {
			conds = append(conds, func(i int) bool { return s.invoices[i].sub == int32(sb) })
		}
	}
	if st := c.p.str("status"); st != "" {
		want := -1
		for k, n := range invStatusNames {
			if n == st {
				want = k
			}
		}
		if want < 0 {
			return nil, invalidRequest("status", "Invalid status: must be one of draft, open, paid, uncollectible, or void")
		}
		conds = append(conds, func(i int) bool { return int(s.invoices[i].status) == want })
	}
	if s.invDeleted > 0 {
		conds = append(conds, func(i int) bool { return !s.invoices[i].deleted })
	}
	if len(conds) > 0 {
		spec.match = func(i int) bool {
			for _, f := range conds {
				if !f(i) {
					return false
				}
			}
			return true
		}
	}
	return c.list(spec)
}

func (s *Server) getInvoice(c *call) (any, *apiError) {
	i, e := s.invoiceByID(c.id())
	if e != nil {
		return nil, e
	}
	return s.renderInvoice(int(i)), nil
}

func (s *Server) listInvoiceLines(c *call) (any, *apiError) {
	i, e := s.invoiceByID(c.id())
	if e != nil {
		return nil, e
	}
	lines := s.invoiceLines(int(i))
	in := &s.invoices[i]
	return c.list(listSpec{url: "/v1/invoices/" + c.id() + "/lines", kind: kLine, what: "line item", n: len(lines),
		created: func(int) int64 { return in.created },
		render:  func(k int) map[string]any { return s.renderLine(lines[len(lines)-1-k], in.sub, in.currency) }})
}

// invoiceAction loads an invoice for a state change.
func (s *Server) invoiceAction(c *call, allowed ...uint8) (int32, *apiError) {
	i, e := s.invoiceByID(c.id())
	if e != nil {
		return 0, e
	}
	st := s.invoices[i].status
	for _, a := range allowed {
		if st == a {
			return i, nil
		}
	}
	switch st {
	case invPaid:
		return 0, invalidCode("invoice_already_paid", "", "Invoice is already paid")
	}
	// Stripe's state rules (docs: invoicing/integration/workflow-transitions):
	// a draft is finalized or deleted, never paid, voided or marked; a void
	// or uncollectible invoice accepts only what its allowed list says.
	var can []string
	for _, a := range allowed {
		can = append(can, invStatusNames[a])
	}
	return 0, invalidCode("invoice_not_editable", "", "This invoice is %s: this action applies only to %s invoices.",
		invStatusNames[st], strings.Join(can, " or "))
}

func (s *Server) payInvoice(c *call) (any, *apiError) {
	i, e := s.invoiceAction(c, invOpen, invUncollectible, invDraft)
	if e != nil {
		return nil, e
	}
	if s.invoices[i].status == invDraft {
		s.finalizeInvoice(i, c.evReq())
	}
	if v, ok := c.p.strp("paid_out_of_band"); ok && v == "true" {
		s.markPaid(i, -1, c.evReq())
		return s.renderInvoice(int(i)), nil
	}
	pm := s.customers[s.invoices[i].customer].pm
	if v := c.p.str("payment_method"); v != "" {
		var ok bool
		if pm, ok = pmIndex(v); !ok {
			return nil, missingParam("PaymentMethod", "payment_method", v)
		}
	}
	if e := s.attemptInvoice(i, pm, dcNone, false, c.evReq()); e != nil {
		return nil, e
	}
	return s.renderInvoice(int(i)), nil
}

func (s *Server) voidInvoice(c *call) (any, *apiError) {
	i, e := s.invoiceAction(c, invOpen, invUncollectible)
	if e != nil {
		return nil, e
	}
	s.setInvoiceStatus(i, invVoid, "invoice.voided", c.evReq())
	s.returnAppliedBalance(i, c.evReq())
	return s.renderInvoice(int(i)), nil
}

func (s *Server) markUncollectible(c *call) (any, *apiError) {
	i, e := s.invoiceAction(c, invOpen)
	if e != nil {
		return nil, e
	}
	s.setInvoiceStatus(i, invUncollectible, "invoice.marked_uncollectible", c.evReq())
	return s.renderInvoice(int(i)), nil
}

func (s *Server) sendInvoice(c *call) (any, *apiError) {
	i, e := s.invoiceAction(c, invOpen)
	if e != nil {
		return nil, e
	}
	s.emit("invoice.sent", s.renderInvoice(int(i)), nil, c.evReq())
	return s.renderInvoice(int(i)), nil
}

func (s *Server) setInvoiceStatus(i int32, st uint8, evType string, req *eventRequest) {
	in := &s.invoices[i]
	prevStatus := invStatusNames[in.status]
	in.status, in.statusAt, in.nextAttempt = st, s.unix(), 0
	obj := s.renderInvoice(int(i))
	s.emit(evType, obj, nil, req)
	s.emit("invoice.updated", obj, map[string]any{"status": prevStatus}, req)
	if st == invVoid && s.hasPaymentIntent(int(i)) {
		// Voiding an invoice cancels its payment intent.
		s.emit("payment_intent.canceled", s.renderPaymentIntent(int(i)), nil, req)
	}
}
