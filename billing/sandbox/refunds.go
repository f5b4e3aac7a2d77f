package sandbox

import "net/http"

func (s *Server) renderRefund(i int) map[string]any {
	r := &s.refunds[i]
	ch := &s.charges[r.charge]
	var reason, pi any
	if r.reason != 0 {
		reason = refundReasons[r.reason]
	}
	if ch.invoice >= 0 {
		pi = s.ids.id(kPaymentIntent, uint32(ch.invoice))
	}
	return map[string]any{
		"id": s.ids.id(kRefund, uint32(i)), "object": "refund", "amount": r.amount,
		"balance_transaction": s.ids.id(kTxn, uint32(1<<30)+uint32(i)), "charge": s.ids.id(kCharge, uint32(r.charge)),
		"created": r.created, "currency": currencyCodes[r.currency],
		"destination_details": map[string]any{"type": "card", "card": map[string]any{"reference_status": "available", "reference_type": "acquirer_reference_number", "type": "refund"}},
		"metadata":            metaJSON(r.meta), "payment_intent": pi, "reason": reason, "receipt_number": nil,
		"source_transfer_reversal": nil, "status": "succeeded", "transfer_reversal": nil,
	}
}

func (s *Server) listRefunds(c *call) (any, *apiError) {
	spec := listSpec{url: "/v1/refunds", kind: kRefund, what: "refund", n: len(s.refunds),
		created: func(i int) int64 { return s.refunds[i].created }, render: s.renderRefund}
	if id := c.p.str("charge"); id != "" {
		ch, ok := s.chargeByID(id)
		spec.match = func(i int) bool { return ok && s.refunds[i].charge == ch }
	}
	if id := c.p.str("payment_intent"); id != "" {
		inv, ok := s.paymentIntentByID(id)
		spec.match = func(i int) bool { return ok && s.charges[s.refunds[i].charge].invoice == inv }
	}
	return c.list(spec)
}

func (s *Server) getRefund(c *call) (any, *apiError) {
	i, ok := s.ids.parse(kRefund, c.id())
	if !ok || int(i) >= len(s.refunds) {
		return nil, missing("refund", c.id())
	}
	return s.renderRefund(int(i)), nil
}

func (s *Server) updateRefund(c *call) (any, *apiError) {
	i, ok := s.ids.parse(kRefund, c.id())
	if !ok || int(i) >= len(s.refunds) {
		return nil, missing("refund", c.id())
	}
	before := s.renderRefund(int(i))
	if m, changed := c.p.metadata(s.refunds[i].meta); changed {
		s.refunds[i].meta = m
		s.emit("refund.updated", s.renderRefund(int(i)), map[string]any{"metadata": before["metadata"]}, c.evReq())
	}
	return s.renderRefund(int(i)), nil
}

func (s *Server) createRefund(c *call) (any, *apiError) {
	chID, piID := c.p.str("charge"), c.p.str("payment_intent")
	var ch int32
	switch {
	case chID != "" && piID != "":
		return nil, invalidRequest("charge", "You cannot specify both charge and payment_intent.")
	case chID != "":
		var ok bool
		if ch, ok = s.chargeByID(chID); !ok {
			return nil, missingParam("charge", "charge", chID)
		}
	case piID != "":
		inv, ok := s.paymentIntentByID(piID)
		if !ok {
			return nil, missingParam("payment_intent", "payment_intent", piID)
		}
		ch = s.invoices[inv].charge
		if ch < 0 || s.charges[ch].status != chSucceeded {
			return nil, invalidCode("charge_not_refundable", "payment_intent", "This PaymentIntent does not have a successful charge to refund.")
		}
		chID = s.ids.id(kCharge, uint32(ch))
	default:
		return nil, invalidRequest("", "One of the following params should be provided for this request: payment_intent or charge.")
	}
	cg := &s.charges[ch]
	if cg.status != chSucceeded {
		return nil, invalidCode("charge_not_refundable", "charge", "Charge %s has not been captured and cannot be refunded.", chID)
	}
	left := cg.amount - cg.amountRefunded
	if left <= 0 {
		return nil, invalidCode("charge_already_refunded", "charge", "Charge %s has already been refunded.", chID)
	}
	if cg.dispute >= 0 {
		if st := s.disputes[cg.dispute].status; st == dsNeedsResponse || st == dsUnderReview || st == dsLost {
			return nil, invalidCode("charge_disputed", "charge", "Charge %s has been charged back; cannot issue a refund.", chID)
		}
	}
	amount := left
	if a, ok, e := c.p.int("amount"); e != nil {
		return nil, e
	} else if ok {
		if a <= 0 {
			return nil, invalidCode("parameter_invalid_integer", "amount", "Invalid positive integer")
		}
		if a > left {
			e := invalidCode("amount_too_large", "amount", "Refund amount (%s) is greater than unrefunded amount on charge (%s)",
				formatMoney(a, cg.currency), formatMoney(left, cg.currency))
			e.status = http.StatusBadRequest
			return nil, e
		}
		amount = a
	}
	var reason uint8
	if r := c.p.str("reason"); r != "" {
		for k, n := range refundReasons {
			if k > 0 && n == r {
				reason = uint8(k)
			}
		}
		if reason == 0 {
			return nil, invalidRequest("reason", "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer")
		}
	}
	meta, _ := c.p.metadata(nil)
	i := s.addRefund(ch, amount, reason, meta, c.evReq())
	return s.renderRefund(int(i)), nil
}

// addRefund records a refund and emits charge.refunded and refund.created.
func (s *Server) addRefund(ch int32, amount int64, reason uint8, meta map[string]string, req *eventRequest) int32 {
	cg := &s.charges[ch]
	prev := map[string]any{"amount_refunded": cg.amountRefunded, "refunded": false}
	cg.amountRefunded += amount
	s.refunds = append(s.refunds, refund{created: s.unix(), amount: amount, charge: ch, currency: cg.currency, reason: reason, meta: meta})
	i := int32(len(s.refunds) - 1)
	s.emit("charge.refunded", s.renderCharge(int(ch)), prev, req)
	s.emit("refund.created", s.renderRefund(int(i)), nil, req)
	return i
}
