package sandbox

// Discounts on invoices (docs: billing/subscriptions/coupons, "Coupons and
// promotion codes"; api/invoices/object total_discount_amounts): the
// discount of an invoice is its subscription's when the subscription has
// one, which replaces the customer's; otherwise the customer's. It is
// taken off the discountable lines (not prorations): percent_off of each
// line, rounded half up; amount_off (in the invoice's currency only) at
// most the discountable subtotal, shared across the lines in proportion,
// the rounding rest on the last. subtotal is before the discount, total
// and amount_due after. A coupon of duration "once" ends with the first
// invoice it was applied to; a "repeating" one at its end.

// invoiceDiscount returns the discount invoice in gets from its
// subscription or customer at time at, and whether there is one.
func (s *Server) invoiceDiscount(in *invoice, at int64) (discountState, bool) {
	if s.discounts == nil {
		return discountState{}, false
	}
	var d *discountState
	if in.sub >= 0 {
		d = s.discounts[s.subID(in.sub)]
	}
	if d == nil {
		d = s.discounts[s.custID(in.customer)]
	}
	if d == nil || (d.end > 0 && d.end <= at) {
		return discountState{}, false
	}
	if k := &s.coupons[d.coupon]; k.percentBP == 0 && k.currency != in.currency {
		return discountState{}, false
	}
	return *d, true
}

// lineDiscounts is the discount taken off each line (0 for prorations).
func (s *Server) lineDiscounts(d discountState, lines []invLine) []int64 {
	out := make([]int64, len(lines))
	k := &s.coupons[d.coupon]
	var base int64
	last := -1
	for i, l := range lines {
		if !l.proration && l.amount > 0 {
			base += l.amount
			last = i
		}
	}
	if base <= 0 {
		return out
	}
	if k.percentBP > 0 {
		for i, l := range lines {
			if !l.proration && l.amount > 0 {
				out[i] = (l.amount*k.percentBP + 5000) / 10000
			}
		}
		return out
	}
	off := min(k.amountOff, base)
	var given int64
	for i, l := range lines {
		if !l.proration && l.amount > 0 && i != last {
			out[i] = off * l.amount / base
			given += out[i]
		}
	}
	out[last] = off - given
	return out
}

// discountInvoice applies the invoice's discount (if any) at time at: it
// records the discount on the invoice and takes its amount off total.
func (s *Server) discountInvoice(in *invoice, lines []invLine, at int64) {
	d, ok := s.invoiceDiscount(in, at)
	if !ok {
		return
	}
	var sum int64
	for _, v := range s.lineDiscounts(d, lines) {
		sum += v
	}
	in.disc, in.hasDisc, in.discount = d, true, sum
	in.total -= sum
}

// endOnceDiscount ends a "once" discount after the first invoice that used
// it (Stripe: the coupon applies to a single invoice).
func (s *Server) endOnceDiscount(in *invoice, req *eventRequest) {
	if !in.hasDisc || s.coupons[in.disc.coupon].duration != "once" {
		return
	}
	target := s.custID(in.disc.customer)
	if in.disc.subscription >= 0 {
		target = s.subID(in.disc.subscription)
	}
	if d := s.discounts[target]; d != nil && d.seq == in.disc.seq {
		prev := s.applyDiscount(target, d.customer, d.subscription, -1, -1, req)
		if d.subscription >= 0 {
			s.emit("customer.subscription.updated", s.renderSubscription(int(d.subscription)), map[string]any{"discount": prev}, req)
		} else {
			s.emit("customer.updated", s.renderCustomer(int(d.customer)), map[string]any{"discount": prev}, req)
		}
	}
}

// renderInvoiceDiscount fills an invoice's discount fields and its lines'
// discount_amounts.
func (s *Server) renderInvoiceDiscount(m map[string]any, in *invoice, lines []invLine, data []any) {
	if !in.hasDisc {
		return
	}
	obj := s.renderDiscountState(&in.disc)
	id := obj["id"]
	m["discount"], m["discounts"] = obj, []any{id}
	m["total_discount_amounts"] = []any{map[string]any{"amount": in.discount, "discount": id}}
	for k, v := range s.lineDiscounts(in.disc, lines) {
		if k < len(data) && v > 0 {
			data[k].(map[string]any)["discount_amounts"] = []any{map[string]any{"amount": v, "discount": id}}
		}
	}
}
