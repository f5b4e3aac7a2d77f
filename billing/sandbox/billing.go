package sandbox

import "net/http"

// Smart retries: delays after the 1st, 2nd and 3rd failed automatic attempt;
// the 4th failure is final.
var retryDelays = []int64{3 * day, 5 * day, 7 * day}

const (
	day  = 24 * 3600
	hour = 3600
)

// newInvoice appends a draft invoice for customer cust (and subscription
// sub, or -1), links it into the per-owner lists and emits invoice.created.
func (s *Server) newInvoice(cust, sub int32, cur uint8, lines []invLine, reason uint8, start, end int64, req *eventRequest) int32 {
	return s.addInvoice(s.draftInvoice(cust, sub, cur, lines, reason, start, end), req)
}

// draftInvoice builds (without storing it) a draft invoice of lines.
func (s *Server) draftInvoice(cust, sub int32, cur uint8, lines []invLine, reason uint8, start, end int64) invoice {
	in := invoice{customer: cust, sub: sub, created: s.unix(), periodStart: start, periodEnd: end, charge: -1,
		currency: cur, status: invDraft, reason: reason, prevSub: -1, price: -1}
	if len(lines) == 1 && !lines[0].proration && lines[0].price >= 0 && lines[0].qty <= 1<<30 && lines[0].start == start && lines[0].end == end {
		in.price, in.qty, in.total = lines[0].price, int32(lines[0].qty), lines[0].amount
	} else {
		for k := range lines {
			if lines[k].id == 0 {
				s.lineSeq++
				lines[k].id = explicitLineBase + s.lineSeq
			}
			in.total += lines[k].amount
		}
		in.lines = lines
		if in.lines == nil {
			in.lines = []invLine{}
		}
	}
	s.discountInvoice(&in, lines, in.created)
	return in
}

// addInvoice stores a built invoice, links it into the per-owner lists
// and emits invoice.created.
func (s *Server) addInvoice(in invoice, req *eventRequest) int32 {
	cust, sub := in.customer, in.sub
	cu := &s.customers[cust]
	in.prevCust = cu.lastInv
	s.invoices = append(s.invoices, in)
	i := int32(len(s.invoices) - 1)
	cu.lastInv = i
	prevLatest := int32(-1)
	if sub >= 0 {
		sb := &s.subs[sub]
		s.invoices[i].prevSub = sb.lastInv
		prevLatest = sb.latestInvoice
		sb.lastInv, sb.latestInvoice = i, i
	}
	s.emit("invoice.created", s.renderInvoice(int(i)), nil, req)
	if prevLatest >= 0 {
		// The subscription's latest_invoice changed: Stripe announces it.
		// (A new subscription's first invoice is in its created event.)
		s.emit("customer.subscription.updated", s.renderSubscription(int(sub)),
			map[string]any{"latest_invoice": s.ids.id(kInvoice, uint32(prevLatest))}, req)
	}
	s.endOnceDiscount(&s.invoices[i], req)
	return i
}

// finalizeInvoice applies the customer's balance, numbers the invoice and
// opens it (emitting invoice.finalized); zero amounts are paid at once.
func (s *Server) finalizeInvoice(i int32, req *eventRequest) {
	in := &s.invoices[i]
	cu := &s.customers[in.customer]
	cust := in.customer
	if cu.balance != 0 && (!cu.hasCur || cu.cur == in.currency) {
		in.startingBalance = cu.balance
		if delta := in.endingBalance() - in.startingBalance; delta != 0 {
			s.addBalanceTxn(cust, delta, in.currency, btAppliedToInvoice, i, "", nil, req, false)
			in = &s.invoices[i]
		}
	}
	in.number = s.customers[cust].nextInv
	s.customers[cust].nextInv++
	in.status, in.statusAt, in.finalizedAt = invOpen, s.unix(), s.unix()
	s.emit("invoice.finalized", s.renderInvoice(int(i)), nil, req)
	if s.hasPaymentIntent(int(i)) {
		s.emit("payment_intent.created", s.renderPaymentIntent(int(i)), nil, req)
	}
	if s.invoices[i].amountDue() == 0 {
		s.markPaid(i, -1, req)
	}
}

// markPaid closes invoice i as paid (by charge ch, or -1) and brings its
// subscription back to active when it was in dunning.
func (s *Server) markPaid(i, ch int32, req *eventRequest) {
	in := &s.invoices[i]
	in.status, in.statusAt, in.nextAttempt = invPaid, s.unix(), 0
	in.amountPaid = in.amountDue()
	if ch >= 0 {
		in.charge = ch
		in.lastDecline = dcNone
	}
	obj := s.renderInvoice(int(i))
	s.emit("invoice.paid", obj, nil, req)
	s.emit("invoice.payment_succeeded", obj, nil, req)
	if sub := in.sub; sub >= 0 && s.subs[sub].latestInvoice == i {
		switch st := s.subs[sub].status; st {
		case stPastDue, stUnpaid, stIncomplete:
			s.setSubStatus(sub, stActive, req)
		}
	}
}

// attemptInvoice charges the invoice's amount due on payment method pm.
// force, when not dcNone, makes an otherwise good card decline (demo
// randomness). automatic marks a scheduled (smart retry / renewal) attempt.
func (s *Server) attemptInvoice(i int32, pm, force uint8, automatic bool, req *eventRequest) *apiError {
	in := &s.invoices[i]
	if in.amountDue()-in.amountPaid <= 0 {
		s.markPaid(i, -1, req)
		return nil
	}
	dc := declineFor(pm)
	if dc == dcNone && force != dcNone {
		dc = force
	}
	in.attempts++
	if dc == dcAuthRequired {
		in.lastDecline = dc
		s.scheduleRetry(i)
		s.emit("payment_intent.requires_action", s.renderPaymentIntent(int(i)), nil, req)
		obj := s.renderInvoice(int(i))
		s.emit("invoice.payment_action_required", obj, nil, req)
		s.emit("invoice.updated", obj, map[string]any{"attempt_count": in.attempts - 1}, req)
		s.afterFailure(i, req)
		return &apiError{status: http.StatusPaymentRequired, Type: "card_error", Code: "invoice_payment_intent_requires_action",
			DocURL: docURL("invoice_payment_intent_requires_action"), DeclineCode: "authentication_required",
			Message: "This payment requires additional user action before it can be completed successfully. Payment can be completed using the PaymentIntent associated with `invoice.payment_intent`."}
	}
	cust := in.customer
	ch := charge{created: s.unix(), amount: in.amountDue() - in.amountPaid, invoice: i, customer: cust,
		prevCust: s.customers[cust].lastCharge, dispute: -1, currency: in.currency, pm: pm}
	if dc != dcNone {
		ch.status, ch.decline = chFailed, dc
	}
	s.charges = append(s.charges, ch)
	c := int32(len(s.charges) - 1)
	s.customers[cust].lastCharge = c
	in.charge = c
	if dc == dcNone {
		s.emit("charge.succeeded", s.renderCharge(int(c)), nil, req)
		s.markPaid(i, c, req)
		s.emit("payment_intent.succeeded", s.renderPaymentIntent(int(i)), nil, req)
		return nil
	}
	in.lastDecline = dc
	s.scheduleRetry(i)
	s.emit("charge.failed", s.renderCharge(int(c)), nil, req)
	s.emit("payment_intent.payment_failed", s.renderPaymentIntent(int(i)), nil, req)
	s.emit("invoice.payment_failed", s.renderInvoice(int(i)), nil, req)
	s.afterFailure(i, req)
	return cardError(dc, s.ids.id(kCharge, uint32(c)))
}

// scheduleRetry sets the next smart-retry attempt after a failure.
func (s *Server) scheduleRetry(i int32) {
	in := &s.invoices[i]
	in.nextAttempt = 0
	if in.sub < 0 || s.subs[in.sub].status == stIncomplete || in.reason == brCreate {
		return
	}
	if k := int(in.attempts) - 1; k >= 0 && k < len(retryDelays) {
		in.nextAttempt = s.unix() + retryDelays[k]
		s.schedule(in.nextAttempt, dueRetry, i)
	}
}

// afterFailure moves the invoice's subscription through dunning.
func (s *Server) afterFailure(i int32, req *eventRequest) {
	in := &s.invoices[i]
	sub := in.sub
	if sub < 0 || s.subs[sub].latestInvoice != i {
		return
	}
	st := s.subs[sub].status
	if st == stIncomplete || st == stCanceled || st == stIncompleteExpired {
		return
	}
	if int(in.attempts) > len(retryDelays) {
		if s.opts.CancelOnFinalFailure {
			s.setInvoiceStatus(i, invUncollectible, "invoice.marked_uncollectible", req)
			s.cancelSub(sub, 2, req)
			return
		}
		if st != stUnpaid {
			s.setSubStatus(sub, stUnpaid, req)
		}
		return
	}
	if st == stActive || st == stTrialing {
		s.setSubStatus(sub, stPastDue, req)
	}
}
