package sandbox

func (s *Server) renderBalanceTxn(i int) map[string]any {
	t := &s.txns[i]
	var inv any
	if t.invoice >= 0 {
		inv = s.ids.id(kInvoice, uint32(t.invoice))
	}
	return map[string]any{
		"id": s.ids.id(kBalanceTxn, uint32(i)), "object": "customer_balance_transaction", "amount": t.amount,
		"created": t.created, "credit_note": nil, "currency": currencyCodes[t.currency],
		"customer": s.custID(t.customer), "description": nilIfEmpty(t.description), "ending_balance": t.endingBalance,
		"invoice": inv, "livemode": false, "metadata": metaJSON(t.meta), "type": balanceTxnTypes[t.typ],
	}
}

// addBalanceTxn changes a customer's balance through a balance transaction
// and emits customer.updated (with the balance in previous_attributes).
// Stripe has no event for a customer balance transaction itself (the
// enabled_events of a webhook endpoint list none): the customer's update is
// the only sign a consumer gets.
func (s *Server) addBalanceTxn(cust int32, amount int64, cur uint8, typ uint8, inv int32, desc string, meta map[string]string, req *eventRequest, quiet bool) int32 {
	cu := &s.customers[cust]
	prevBalance, prevCur, hadCur := cu.balance, cu.cur, cu.hasCur
	cu.balance += amount
	cu.cur, cu.hasCur = cur, true
	s.txns = append(s.txns, balanceTxn{created: s.unix(), amount: amount, endingBalance: cu.balance, customer: cust,
		prevCust: cu.lastTxn, invoice: inv, currency: cur, typ: typ, description: desc, meta: meta})
	t := int32(len(s.txns) - 1)
	cu.lastTxn = t
	if quiet {
		return t
	}
	prev := map[string]any{"balance": prevBalance}
	if !hadCur {
		prev["currency"] = nil
	} else if prevCur != cur {
		prev["currency"] = currencyCodes[prevCur]
	}
	s.emit("customer.updated", s.renderCustomer(int(cust)), prev, req)
	return t
}

func (s *Server) listBalanceTxns(c *call) (any, *apiError) {
	i, e := s.customerByID(c.id())
	if e != nil {
		return nil, e
	}
	return c.list(listSpec{url: "/v1/customers/" + c.id() + "/balance_transactions", kind: kBalanceTxn,
		what: "customer balance transaction", n: len(s.txns),
		created: func(j int) int64 { return s.txns[j].created },
		chain:   linked(s.customers[i].lastTxn, func(j int32) int32 { return s.txns[j].prevCust }),
		render:  s.renderBalanceTxn})
}

func (s *Server) getBalanceTxn(c *call) (any, *apiError) {
	i, e := s.customerByID(c.id())
	if e != nil {
		return nil, e
	}
	id := c.r.PathValue("txn")
	j, ok := s.ids.parse(kBalanceTxn, id)
	if !ok || int(j) >= len(s.txns) || s.txns[j].customer != i {
		return nil, missing("customer balance transaction", id)
	}
	return s.renderBalanceTxn(int(j)), nil
}

func (s *Server) createBalanceTxn(c *call) (any, *apiError) {
	i, e := s.customerByID(c.id())
	if e != nil {
		return nil, e
	}
	cu := &s.customers[i]
	if cu.deleted {
		return nil, missing("customer", c.id())
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
		return nil, invalidRequest("currency", "Invalid currency: %s. Stripe currently supports these currencies: usd, eur, gbp, jpy (sandbox).", code)
	}
	if cu.hasCur && cu.cur != cur {
		return nil, invalidRequest("currency", "You cannot create a balance transaction in %s for a customer whose balance is in %s.", code, currencyCodes[cu.cur])
	}
	if amount == 0 {
		return nil, invalidRequest("amount", "Amount must be non-zero.")
	}
	meta, _ := c.p.metadata(nil)
	t := s.addBalanceTxn(i, amount, cur, btAdjustment, -1, c.p.str("description"), meta, c.evReq(), false)
	return s.renderBalanceTxn(int(t)), nil
}
