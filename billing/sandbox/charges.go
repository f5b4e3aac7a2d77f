package sandbox

func (s *Server) chargeOutcome(ch *charge) map[string]any {
	if ch.status == chSucceeded {
		return map[string]any{"network_status": "approved_by_network", "reason": nil, "risk_level": "normal",
			"risk_score": 32, "seller_message": "Payment complete.", "type": "authorized"}
	}
	reason := any(nil)
	if dc := declineCode[ch.decline]; dc != "" {
		reason = dc
	}
	ns, typ := "declined_by_network", "issuer_declined"
	if ch.decline == dcProcessing {
		ns, typ = "not_sent_to_network", "blocked"
	}
	return map[string]any{"network_status": ns, "reason": reason, "risk_level": "normal", "risk_score": 41,
		"seller_message": "The bank did not return any further details with this decline.", "type": typ}
}

func (s *Server) renderCharge(i int) map[string]any {
	ch := &s.charges[i]
	id := s.ids.id(kCharge, uint32(i))
	ok := ch.status == chSucceeded
	var inv, pi, bt, failCode, failMsg any
	if ch.invoice >= 0 {
		inv = s.ids.id(kInvoice, uint32(ch.invoice))
		pi = s.ids.id(kPaymentIntent, uint32(ch.invoice))
	}
	if ok {
		bt = s.ids.id(kTxn, uint32(i))
	} else {
		failCode, failMsg = declineFailureCode[ch.decline], declineMessage[ch.decline]
	}
	status := "succeeded"
	if !ok {
		status = "failed"
	}
	cust := int(ch.customer)
	return map[string]any{
		"id": id, "object": "charge", "amount": ch.amount, "amount_captured": map[bool]int64{true: ch.amount}[ok],
		"amount_refunded": ch.amountRefunded, "application": nil, "application_fee": nil, "application_fee_amount": nil,
		"balance_transaction": bt,
		"billing_details": map[string]any{"address": map[string]any{"city": nil, "country": nil, "line1": nil, "line2": nil,
			"postal_code": nil, "state": nil}, "email": s.customerEmail(cust), "name": s.customerName(cust), "phone": nil},
		"calculated_statement_descriptor": "PAYDESK DEMO", "captured": ok, "created": ch.created,
		"currency": currencyCodes[ch.currency], "customer": s.custID(ch.customer), "description": "Subscription update",
		"disputed": ch.dispute >= 0, "failure_balance_transaction": nil, "failure_code": failCode, "failure_message": failMsg,
		"fraud_details": map[string]any{}, "invoice": inv, "livemode": false, "metadata": map[string]any{},
		"on_behalf_of": nil, "outcome": s.chargeOutcome(ch), "paid": ok, "payment_intent": pi,
		"payment_method": pmIDs[ch.pm],
		"payment_method_details": map[string]any{"type": "card", "card": map[string]any{
			"brand": pmBrand[ch.pm], "country": "US", "exp_month": 12, "exp_year": 2034, "funding": "credit",
			"last4": pmLast4[ch.pm], "network": pmBrand[ch.pm], "three_d_secure": nil, "wallet": nil,
			"checks": map[string]any{"address_line1_check": nil, "address_postal_code_check": nil, "cvc_check": "pass"}}},
		"receipt_email": nil, "receipt_number": nil, "receipt_url": "https://pay.stripe.com/receipts/sandbox/" + id,
		"refunded": ok && ch.amountRefunded >= ch.amount && ch.amount > 0, "review": nil, "shipping": nil,
		"source_transfer": nil, "statement_descriptor": nil, "statement_descriptor_suffix": nil, "status": status,
		"transfer_data": nil, "transfer_group": nil,
	}
}

func (s *Server) chargeByID(id string) (int32, bool) {
	i, ok := s.ids.parse(kCharge, id)
	if !ok || int(i) >= len(s.charges) {
		return 0, false
	}
	return int32(i), true
}

func (s *Server) listCharges(c *call) (any, *apiError) {
	spec := listSpec{url: "/v1/charges", kind: kCharge, what: "charge", n: len(s.charges),
		created: func(i int) int64 { return s.charges[i].created }, render: s.renderCharge}
	if id := c.p.str("customer"); id != "" {
		cu, ok := s.ids.parse(kCustomer, id)
		if !ok || int(cu) >= len(s.customers) {
			return listEnvelope(spec.url, nil, false), nil
		}
		spec.chain = linked(s.customers[cu].lastCharge, func(j int32) int32 { return s.charges[j].prevCust })
	}
	if id := c.p.str("payment_intent"); id != "" {
		inv, ok := s.ids.parse(kPaymentIntent, id)
		spec.match = func(i int) bool { return ok && s.charges[i].invoice == int32(inv) }
	}
	return c.list(spec)
}

func (s *Server) getCharge(c *call) (any, *apiError) {
	i, ok := s.chargeByID(c.id())
	if !ok {
		return nil, missing("charge", c.id())
	}
	return s.renderCharge(int(i)), nil
}

// Payment intents exist one per finalized invoice with an amount due and
// share the invoice's sequence number.
func (s *Server) hasPaymentIntent(inv int) bool {
	in := &s.invoices[inv]
	return in.status != invDraft && (in.amountDue() > 0 || in.charge >= 0)
}

func (s *Server) piStatus(in *invoice) string {
	switch in.status {
	case invPaid:
		return "succeeded"
	case invVoid:
		return "canceled"
	}
	if in.lastDecline == dcAuthRequired {
		return "requires_action"
	}
	return "requires_payment_method"
}

func (s *Server) renderPaymentIntent(i int) map[string]any {
	in := &s.invoices[i]
	id := s.ids.id(kPaymentIntent, uint32(i))
	status := s.piStatus(in)
	var latest, lastErr, nextAction, canceledAt, cancelReason any
	pm := s.customers[in.customer].pm // not attempted yet: the default
	if in.charge >= 0 {
		latest = s.ids.id(kCharge, uint32(in.charge))
		pm = s.charges[in.charge].pm // attempted: the method it was charged on
	}
	if status != "succeeded" && in.lastDecline != dcNone {
		e := map[string]any{"type": "card_error", "code": declineFailureCode[in.lastDecline],
			"message": declineMessage[in.lastDecline], "doc_url": docURL(declineFailureCode[in.lastDecline])}
		if dc := declineCode[in.lastDecline]; dc != "" {
			e["decline_code"] = dc
		}
		if in.charge >= 0 && s.charges[in.charge].status == chFailed {
			e["charge"] = s.ids.id(kCharge, uint32(in.charge))
		}
		lastErr = e
	}
	if status == "requires_action" {
		nextAction = map[string]any{"type": "use_stripe_sdk", "use_stripe_sdk": map[string]any{}}
	}
	if status == "canceled" {
		canceledAt, cancelReason = in.statusAt, "void_invoice"
	}
	received := int64(0)
	if status == "succeeded" {
		received = in.amountPaid
	}
	return map[string]any{
		"id": id, "object": "payment_intent", "amount": in.amountDue(), "amount_capturable": 0,
		"amount_details": map[string]any{"tip": map[string]any{}}, "amount_received": received, "application": nil,
		"application_fee_amount": nil, "automatic_payment_methods": nil, "canceled_at": canceledAt,
		"cancellation_reason": cancelReason, "capture_method": "automatic", "client_secret": id + "_secret_sandbox",
		"confirmation_method": "automatic", "created": in.created, "currency": currencyCodes[in.currency],
		"customer": s.custID(in.customer), "description": "Subscription update", "invoice": s.ids.id(kInvoice, uint32(i)),
		"last_payment_error": lastErr, "latest_charge": latest, "livemode": false, "metadata": map[string]any{},
		"next_action": nextAction, "on_behalf_of": nil, "payment_method": pmOrNil(pm),
		"payment_method_options": map[string]any{}, "payment_method_types": []any{"card"}, "processing": nil,
		"receipt_email": nil, "review": nil, "setup_future_usage": "off_session", "shipping": nil,
		"statement_descriptor": nil, "statement_descriptor_suffix": nil, "status": status,
		"transfer_data": nil, "transfer_group": nil,
	}
}

func pmOrNil(pm uint8) any {
	if pm == pmNone {
		return nil
	}
	return pmIDs[pm]
}

func (s *Server) paymentIntentByID(id string) (int32, bool) {
	i, ok := s.ids.parse(kPaymentIntent, id)
	if !ok || int(i) >= len(s.invoices) || !s.hasPaymentIntent(int(i)) {
		return 0, false
	}
	return int32(i), true
}

func (s *Server) getPaymentIntent(c *call) (any, *apiError) {
	i, ok := s.paymentIntentByID(c.id())
	if !ok {
		return nil, missing("payment_intent", c.id())
	}
	return s.renderPaymentIntent(int(i)), nil
}

func (s *Server) listPaymentIntents(c *call) (any, *apiError) {
	spec := listSpec{url: "/v1/payment_intents", kind: kPaymentIntent, what: "payment_intent", n: len(s.invoices),
		created: func(i int) int64 { return s.invoices[i].created },
		match:   s.hasPaymentIntent, render: s.renderPaymentIntent}
	if id := c.p.str("customer"); id != "" {
		cu, ok := s.ids.parse(kCustomer, id)
		if !ok || int(cu) >= len(s.customers) {
			return listEnvelope(spec.url, nil, false), nil
		}
		spec.chain = linked(s.customers[cu].lastInv, func(j int32) int32 { return s.invoices[j].prevCust })
	}
	return c.list(spec)
}
