package sandbox

import (
	"net/http"
	"strings"
)

// Evidence fields Stripe accepts; file fields hold file ids.
var evidenceText = []string{"access_activity_log", "billing_address", "cancellation_policy_disclosure",
	"cancellation_rebuttal", "customer_email_address", "customer_name", "customer_purchase_ip",
	"duplicate_charge_explanation", "duplicate_charge_id", "product_description", "refund_policy_disclosure",
	"refund_refusal_explanation", "service_date", "shipping_address", "shipping_carrier", "shipping_date",
	"shipping_tracking_number", "uncategorized_text"}
var evidenceFiles = []string{"cancellation_policy", "customer_communication", "customer_signature",
	"duplicate_charge_documentation", "receipt", "refund_policy", "service_documentation",
	"shipping_documentation", "uncategorized_file"}

func (s *Server) disputeOpen(st uint8) bool {
	return st == dsNeedsResponse || st == dsWarningNeedsResponse
}

func (s *Server) renderDispute(i int) map[string]any {
	d := &s.disputes[i]
	ch := &s.charges[d.charge]
	ev := map[string]any{}
	for _, k := range evidenceText {
		ev[k] = nilIfEmpty(d.evidence[k])
	}
	for _, k := range evidenceFiles {
		ev[k] = nilIfEmpty(d.evidence[k])
	}
	var pi any
	if ch.invoice >= 0 {
		pi = s.ids.id(kPaymentIntent, uint32(ch.invoice))
	}
	reason := disputeReasons[d.reason]
	return map[string]any{
		"id": s.ids.id(kDispute, uint32(i)), "object": "dispute", "amount": d.amount, "balance_transactions": []any{},
		"charge": s.ids.id(kCharge, uint32(d.charge)), "created": d.created, "currency": currencyCodes[d.currency],
		"evidence": ev,
		"evidence_details": map[string]any{"due_by": d.dueBy, "has_evidence": len(d.evidence) > 0,
			"past_due": s.disputeOpen(d.status) && s.unix() > d.dueBy, "submission_count": d.submissions},
		"is_charge_refundable": d.status == dsWarningNeedsResponse || d.status == dsWarningUnderReview,
		"livemode":             false, "metadata": metaJSON(d.meta), "network_reason_code": "10.4", "payment_intent": pi,
		"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": pmBrand[ch.pm], "network_reason_code": "10.4"}},
		"reason":                 reason, "status": disputeStatusNames[d.status],
	}
}

func (s *Server) disputeByID(id string) (int32, *apiError) {
	i, ok := s.ids.parse(kDispute, id)
	if !ok || int(i) >= len(s.disputes) {
		return 0, missing("dispute", id)
	}
	return int32(i), nil
}

func (s *Server) listDisputes(c *call) (any, *apiError) {
	spec := listSpec{url: "/v1/disputes", kind: kDispute, what: "dispute", n: len(s.disputes),
		created: func(i int) int64 { return s.disputes[i].created }, render: s.renderDispute}
	if id := c.p.str("charge"); id != "" {
		ch, ok := s.chargeByID(id)
		spec.match = func(i int) bool { return ok && s.disputes[i].charge == ch }
	}
	if id := c.p.str("payment_intent"); id != "" {
		inv, ok := s.paymentIntentByID(id)
		spec.match = func(i int) bool { return ok && s.charges[s.disputes[i].charge].invoice == inv }
	}
	return c.list(spec)
}

func (s *Server) getDispute(c *call) (any, *apiError) {
	i, e := s.disputeByID(c.id())
	if e != nil {
		return nil, e
	}
	return s.renderDispute(int(i)), nil
}

func (s *Server) updateDispute(c *call) (any, *apiError) {
	i, e := s.disputeByID(c.id())
	if e != nil {
		return nil, e
	}
	d := &s.disputes[i]
	evidence := c.p.sub("evidence")
	submit, hasSubmit, e := c.p.boolean("submit")
	if e != nil {
		return nil, e
	}
	if len(evidence) > 0 || (hasSubmit && submit) {
		if !s.disputeOpen(d.status) {
			if d.status == dsUnderReview || d.status == dsWarningUnderReview {
				return nil, invalidRequest("evidence", "This dispute has already been submitted and its evidence cannot be updated.")
			}
			return nil, invalidRequest("evidence", "This dispute is already closed.")
		}
	}
	for k, v := range evidence {
		known := false
		for _, f := range evidenceText {
			known = known || f == k
		}
		for _, f := range evidenceFiles {
			if f == k {
				known = true
				if v != "" {
					if fi, ok := s.ids.parse(kFile, v); !ok || int(fi) >= len(s.files) {
						return nil, missingParam("file", "evidence["+k+"]", v)
					}
				}
			}
		}
		if !known || strings.ContainsAny(k, "[]") {
			return nil, unknownParam("evidence[" + k + "]")
		}
		if len(v) > 20000 {
			return nil, invalidRequest("evidence["+k+"]", "Evidence text must be 20,000 characters or fewer.")
		}
	}
	before := s.renderDispute(int(i))
	prev := map[string]any{}
	if len(evidence) > 0 {
		prev["evidence"] = before["evidence"]
		prev["evidence_details"] = before["evidence_details"]
		if d.evidence == nil {
			d.evidence = map[string]string{}
		}
		for k, v := range evidence {
			if v == "" {
				delete(d.evidence, k)
			} else {
				d.evidence[k] = v
			}
		}
	}
	if m, changed := c.p.metadata(d.meta); changed {
		prev["metadata"] = before["metadata"]
		d.meta = m
	}
	if hasSubmit && submit {
		prev["status"] = before["status"]
		prev["evidence_details"] = before["evidence_details"]
		d.submissions++
		if d.status == dsWarningNeedsResponse {
			d.status = dsWarningUnderReview
		} else {
			d.status = dsUnderReview
		}
		s.schedule(s.unix()+10*day, dueDisputeDecision, i)
	}
	if len(prev) > 0 {
		s.emit("charge.dispute.updated", s.renderDispute(int(i)), prev, c.evReq())
	}
	return s.renderDispute(int(i)), nil
}

func (s *Server) closeDispute(c *call) (any, *apiError) {
	i, e := s.disputeByID(c.id())
	if e != nil {
		return nil, e
	}
	d := &s.disputes[i]
	if !s.disputeOpen(d.status) {
		return nil, &apiError{status: http.StatusBadRequest, Type: "invalid_request_error", Message: "This dispute is already closed."}
	}
	if d.status == dsWarningNeedsResponse {
		s.closeDisputeAs(i, dsWarningClosed, c.evReq())
	} else {
		s.closeDisputeAs(i, dsLost, c.evReq())
	}
	return s.renderDispute(int(i)), nil
}

func (s *Server) closeDisputeAs(i int32, st uint8, req *eventRequest) {
	d := &s.disputes[i]
	prev := disputeStatusNames[d.status]
	d.status = st
	s.emit("charge.dispute.closed", s.renderDispute(int(i)), map[string]any{"status": prev}, req)
}

// openDispute files a new dispute on a succeeded charge.
func (s *Server) openDispute(ch int32, reason uint8, warning bool, req *eventRequest) int32 {
	cg := &s.charges[ch]
	st := dsNeedsResponse
	if warning {
		st = dsWarningNeedsResponse
	}
	now := s.unix()
	s.disputes = append(s.disputes, dispute{created: now, dueBy: now + 14*day, amount: cg.amount - cg.amountRefunded,
		charge: ch, currency: cg.currency, status: st, reason: reason})
	i := int32(len(s.disputes) - 1)
	cg.dispute = i
	s.schedule(now+14*day, dueDisputeDeadline, i)
	obj := s.renderDispute(int(i))
	s.emit("charge.dispute.created", obj, nil, req)
	if !warning {
		s.emit("charge.dispute.funds_withdrawn", obj, nil, req)
	}
	return i
}
