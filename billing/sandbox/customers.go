package sandbox

import (
	"fmt"
	"strings"
)

func (s *Server) custID(i int32) string { return s.ids.id(kCustomer, uint32(i)) }

func (s *Server) customerName(i int) string {
	c := &s.customers[i]
	if c.ext != nil && c.ext.name != nil {
		return *c.ext.name
	}
	first, last, _ := s.personFor(i)
	return first + " " + last
}

func (s *Server) customerEmail(i int) string {
	c := &s.customers[i]
	if c.ext != nil && c.ext.email != nil {
		return *c.ext.email
	}
	first, last, dom := s.personFor(i)
	return fmt.Sprintf("%s.%s%d@%s", strings.ToLower(first), strings.ToLower(last), i%97, dom)
}

func strOrNil(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func (s *Server) renderCustomer(i int) map[string]any {
	c := &s.customers[i]
	id := s.custID(int32(i))
	if c.deleted {
		return map[string]any{"id": id, "object": "customer", "deleted": true}
	}
	var desc, phone, addr any
	var meta map[string]string
	if c.ext != nil {
		desc, phone, meta, addr = strOrNil(c.ext.description), strOrNil(c.ext.phone), c.ext.meta, renderAddress(c.ext.address)
	}
	var cur, pm any
	if c.hasCur {
		cur = currencyCodes[c.cur]
	}
	if c.pm != pmNone {
		pm = pmIDs[c.pm]
	}
	delinquent := s.delinquent(int32(i))
	return map[string]any{
		"id": id, "object": "customer", "address": addr, "balance": c.balance, "created": c.created,
		"currency": cur, "default_source": nil, "delinquent": delinquent, "description": desc, "discount": s.renderDiscount(id),
		"email": s.customerEmail(i), "invoice_prefix": strings.ToUpper(id[4:12]),
		"invoice_settings": map[string]any{"custom_fields": nil, "default_payment_method": pm, "footer": nil, "rendering_options": nil},
		"livemode":         false, "metadata": metaJSON(meta), "name": s.customerName(i), "next_invoice_sequence": c.nextInv,
		"phone": phone, "preferred_locales": []any{}, "shipping": nil, "tax_exempt": "none", "test_clock": nil,
	}
}

// customerByID resolves a live customer from a path id.
func (s *Server) customerByID(id string) (int32, *apiError) {
	i, ok := s.ids.parse(kCustomer, id)
	if !ok || int(i) >= len(s.customers) {
		return 0, missing("customer", id)
	}
	return int32(i), nil
}

// customerParam resolves a live customer given in a parameter.
func (s *Server) customerParam(param, id string) (int32, *apiError) {
	i, ok := s.ids.parse(kCustomer, id)
	if !ok || int(i) >= len(s.customers) || s.customers[i].deleted {
		return 0, missingParam("customer", param, id)
	}
	return int32(i), nil
}

func (s *Server) listCustomers(c *call) (any, *apiError) {
	email := c.p.str("email")
	return c.list(listSpec{url: "/v1/customers", kind: kCustomer, what: "customer", n: len(s.customers),
		created: func(i int) int64 { return s.customers[i].created },
		match: func(i int) bool {
			return !s.customers[i].deleted && (email == "" || s.customerEmail(i) == email)
		},
		render: s.renderCustomer})
}

func (s *Server) getCustomer(c *call) (any, *apiError) {
	i, e := s.customerByID(c.id())
	if e != nil {
		return nil, e
	}
	return s.renderCustomer(int(i)), nil
}

func (s *Server) createCustomer(c *call) (any, *apiError) {
	cu := customer{created: s.unix(), pm: pmNone, lastSub: -1, lastInv: -1, lastCharge: -1, lastTxn: -1, nextInv: 1, ext: &customerExt{}}
	name, email := c.p.str("name"), c.p.str("email")
	cu.ext.name, cu.ext.email = &name, &email
	s.customers = append(s.customers, cu)
	i := int32(len(s.customers) - 1)
	if _, e := s.applyCustomerParams(c, i); e != nil {
		s.customers = s.customers[:i]
		return nil, e
	}
	obj := s.renderCustomer(int(i))
	s.emit("customer.created", obj, nil, c.evReq())
	if b := s.customers[i].balance; b != 0 {
		s.customers[i].balance = 0
		s.addBalanceTxn(i, b, s.customers[i].cur, btAdjustment, -1, "", nil, c.evReq(), false)
	}
	return s.renderCustomer(int(i)), nil
}

// applyCustomerParams applies update parameters and returns the previous
// values of the changed attributes.
func (s *Server) applyCustomerParams(c *call, i int32) (map[string]any, *apiError) {
	cu := &s.customers[i]
	cur := -1
	if cu.hasCur {
		cur = int(cu.cur)
	}
	coup, promo, discount, e := s.discountRequest(c, i, cur)
	if e != nil {
		return nil, e
	}
	before := s.renderCustomer(int(i))
	prev := map[string]any{}
	if cu.ext == nil {
		cu.ext = &customerExt{}
	}
	for _, f := range []struct {
		key string
		dst **string
	}{{"name", &cu.ext.name}, {"email", &cu.ext.email}, {"description", &cu.ext.description}, {"phone", &cu.ext.phone}} {
		if v, ok := c.p.strp(f.key); ok {
			if f.key == "email" && v != "" && !plausibleEmail(v) {
				return nil, invalidRequest("email", "Invalid email address: %s", v)
			}
			prev[f.key] = before[f.key]
			vv := v
			*f.dst = &vv
		}
	}
	if addr, changed, e := c.p.address(cu.ext.address); e != nil {
		return nil, e
	} else if changed {
		prev["address"] = before["address"]
		cu.ext.address = addr
	}
	if v, ok := c.p.strp("invoice_settings[default_payment_method]"); ok {
		pm := pmNone
		if v != "" {
			var found bool
			if pm, found = pmIndex(v); !found {
				return nil, missingParam("PaymentMethod", "invoice_settings[default_payment_method]", v)
			}
		}
		prev["invoice_settings"] = before["invoice_settings"]
		cu.pm = pm
	}
	if v, ok := c.p.strp("currency"); ok {
		cur, found := currencyIndex(v)
		if !found {
			return nil, invalidRequest("currency", "Invalid currency: %s", v)
		}
		prev["currency"] = before["currency"]
		cu.cur, cu.hasCur = cur, true
	}
	if m, changed := c.p.metadata(cu.ext.meta); changed {
		prev["metadata"] = before["metadata"]
		cu.ext.meta = m
	}
	if b, ok, e := c.p.int("balance"); e != nil {
		return nil, e
	} else if ok {
		prev["balance"] = cu.balance
		cu.balance = b
	}
	if discount {
		prev["discount"] = s.applyDiscount(s.custID(i), i, -1, coup, promo, c.evReq())
	}
	return prev, nil
}

func (s *Server) updateCustomer(c *call) (any, *apiError) {
	i, e := s.customerByID(c.id())
	if e != nil {
		return nil, e
	}
	if s.customers[i].deleted {
		return nil, missing("customer", c.id())
	}
	oldBalance := s.customers[i].balance
	prev, e := s.applyCustomerParams(c, i)
	if e != nil {
		return nil, e
	}
	if nb := s.customers[i].balance; nb != oldBalance {
		// Stripe records a balance change as an adjustment transaction.
		s.customers[i].balance = oldBalance
		delete(prev, "balance")
		if len(prev) > 0 {
			s.emit("customer.updated", s.renderCustomer(int(i)), prev, c.evReq())
		}
		s.addBalanceTxn(i, nb-oldBalance, s.customers[i].cur, btAdjustment, -1, "", nil, c.evReq(), false)
	} else if len(prev) > 0 {
		s.emit("customer.updated", s.renderCustomer(int(i)), prev, c.evReq())
	}
	return s.renderCustomer(int(i)), nil
}

func (s *Server) deleteCustomer(c *call) (any, *apiError) {
	i, e := s.customerByID(c.id())
	if e != nil {
		return nil, e
	}
	if s.customers[i].deleted {
		return nil, missing("customer", c.id())
	}
	for j := s.customers[i].lastSub; j >= 0; j = s.subs[j].prevCust {
		if st := s.subs[j].status; st != stCanceled && st != stIncompleteExpired {
			s.cancelSub(j, 1, c.evReq())
		}
	}
	full := s.renderCustomer(int(i))
	s.customers[i].deleted = true
	s.emit("customer.deleted", full, nil, c.evReq())
	return map[string]any{"id": c.id(), "object": "customer", "deleted": true}, nil
}

// delinquent reports whether one of the customer's subscriptions is in
// dunning (past_due or unpaid).
func (s *Server) delinquent(cust int32) bool {
	for j := s.customers[cust].lastSub; j >= 0; j = s.subs[j].prevCust {
		if st := s.subs[j].status; st == stPastDue || st == stUnpaid {
			return true
		}
	}
	return false
}

// announceDelinquency emits customer.updated when the customer's
// delinquent flag is no longer was, as Stripe does.
func (s *Server) announceDelinquency(cust int32, was bool, req *eventRequest) {
	if s.delinquent(cust) != was {
		s.emit("customer.updated", s.renderCustomer(int(cust)), map[string]any{"delinquent": was}, req)
	}
}
