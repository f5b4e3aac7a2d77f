package sandbox

import "fmt"

// Credit notes (docs: api/credit_notes, billing/invoices/credit-notes),
// as API version 2023-10-16 has them: issued for an amount on an open
// invoice (pre_payment: it lowers amount_due, and an invoice credited to
// nothing left is paid) or on a paid one (post_payment: the amount is
// split between refund_amount, a new refund of the invoice's charge;
// credit_amount, a credit_note balance transaction; and
// out_of_band_amount, recorded only; the three sum to the amount). The
// total never exceeds the invoice total less earlier credit notes. Only
// a credit note on a still open invoice can be voided.

// creditNote is one issued credit note.
type creditNote struct {
	invoice   int32
	created   int64
	amount    int64
	refundAmt int64
	creditAmt int64
	oobAmt    int64
	post      bool
	void      bool
	voidedAt  int64
	reason    string
	memo      string
	meta      map[string]string
	refund    int32 // -1: none
	txn       int32 // -1: none
	seq       int   // 1-based number among the invoice's credit notes
}

// btCreditNote is the credit_note type of a customer balance transaction.
const btCreditNote uint8 = 2

var creditNoteReasons = []string{"duplicate", "fraudulent", "order_change", "product_unsatisfactory"}

func (s *Server) renderCreditNote(k int, n *creditNote) map[string]any {
	in := &s.invoices[n.invoice]
	id := s.ids.id(kCreditNote, uint32(k))
	var refund, txn, voidedAt, reason, memo, oob any
	if n.refund >= 0 {
		refund = s.ids.id(kRefund, uint32(n.refund))
	}
	if n.txn >= 0 {
		txn = s.ids.id(kBalanceTxn, uint32(n.txn))
	}
	if n.void {
		voidedAt = n.voidedAt
	}
	if n.reason != "" {
		reason = n.reason
	}
	if n.memo != "" {
		memo = n.memo
	}
	if n.post {
		oob = n.oobAmt
	}
	typ, status := "pre_payment", "issued"
	if n.post {
		typ = "post_payment"
	}
	if n.void {
		status = "void"
	}
	cur := currencyCodes[in.currency]
	number := fmt.Sprintf("%s-%04d-CN-%02d", s.custID(in.customer)[4:12], in.number, n.seq)
	line := map[string]any{
		"id": "cnli_" + id[3:], "object": "credit_note_line_item", "amount": n.amount, "amount_excluding_tax": n.amount,
		"description": "Credit for invoice " + s.ids.id(kInvoice, uint32(n.invoice)), "discount_amount": 0,
		"discount_amounts": []any{}, "livemode": false, "quantity": 1, "tax_amounts": []any{},
		"tax_rates": []any{}, "type": "custom_line_item", "unit_amount": n.amount, "unit_amount_decimal": fmt.Sprint(n.amount),
		"unit_amount_excluding_tax": fmt.Sprint(n.amount),
	}
	return map[string]any{
		"id": id, "object": "credit_note", "amount": n.amount, "amount_shipping": 0, "created": n.created,
		"currency": cur, "customer": s.custID(in.customer), "customer_balance_transaction": txn,
		"discount_amount": 0, "discount_amounts": []any{}, "effective_at": n.created,
		"invoice": s.ids.id(kInvoice, uint32(n.invoice)),
		"lines": map[string]any{"object": "list", "data": []any{line}, "has_more": false, "total_count": 1,
			"url": "/v1/credit_notes/" + id + "/lines"},
		"livemode": false, "memo": memo, "metadata": metaJSON(n.meta), "number": number, "out_of_band_amount": oob,
		"pdf": "https://pay.stripe.com/credit_notes/sandbox/" + id + "/pdf", "reason": reason, "refund": refund,
		"shipping_cost": nil, "status": status, "subtotal": n.amount, "subtotal_excluding_tax": n.amount,
		"tax_amounts": []any{}, "total": n.amount, "total_excluding_tax": n.amount, "type": typ, "voided_at": voidedAt,
	}
}

// creditNoteRequest reads and checks the parameters of a credit note
// (create and preview): Stripe's rules, its refusals.
func (s *Server) creditNoteRequest(c *call) (creditNote, *apiError) {
	id := c.p.str("invoice")
	if id == "" {
		return creditNote{}, requiredParam("invoice")
	}
	i, e := s.invoiceByID(id)
	if e != nil {
		return creditNote{}, e
	}
	in := &s.invoices[i]
	if in.status != invOpen && in.status != invPaid {
		return creditNote{}, invalidRequest("invoice", "Credit notes can only be issued on open or paid invoices; invoice %s is %s.",
			id, invStatusNames[in.status])
	}
	n := creditNote{invoice: i, created: s.unix(), post: in.status == invPaid, refund: -1, txn: -1}
	amount, ok, e := c.p.int("amount")
	if e != nil {
		return n, e
	}
	if !ok {
		return n, requiredParam("amount")
	}
	if amount <= 0 {
		return n, invalidCode("parameter_invalid_integer", "amount", "Invalid positive integer")
	}
	n.amount = amount
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"refund_amount", &n.refundAmt}, {"credit_amount", &n.creditAmt}, {"out_of_band_amount", &n.oobAmt}} {
		v, ok, e := c.p.int(f.name)
		if e != nil {
			return n, e
		}
		if ok && v < 0 {
			return n, invalidCode("parameter_invalid_integer", f.name, "Invalid non-negative integer")
		}
		if ok && v > 0 && !n.post {
			return n, invalidRequest(f.name, "%s applies only to credit notes on paid invoices: on an open invoice the credit lowers the amount due.", f.name)
		}
		*f.dst = v
	}
	left := in.total - in.preCN - in.postCN
	if !n.post {
		left = min(left, in.amountDue()-in.amountPaid)
	}
	if amount > left {
		return n, invalidRequest("amount", "The credit note amount (%s) is greater than the amount that can still be credited on invoice %s (%s).",
			formatMoney(amount, in.currency), id, formatMoney(max(left, 0), in.currency))
	}
	if n.post && n.refundAmt+n.creditAmt+n.oobAmt != amount {
		return n, invalidRequest("amount", "The sum of refund_amount, credit_amount and out_of_band_amount (%s) must equal the credit note amount (%s).",
			formatMoney(n.refundAmt+n.creditAmt+n.oobAmt, in.currency), formatMoney(amount, in.currency))
	}
	if n.refundAmt > 0 {
		if in.charge < 0 || s.charges[in.charge].status != chSucceeded {
			return n, invalidRequest("refund_amount", "Invoice %s has no successful charge to refund.", id)
		}
		cg := &s.charges[in.charge]
		if left := cg.amount - cg.amountRefunded; n.refundAmt > left {
			return n, invalidCode("amount_too_large", "refund_amount", "Refund amount (%s) is greater than unrefunded amount on charge (%s)",
				formatMoney(n.refundAmt, cg.currency), formatMoney(left, cg.currency))
		}
	}
	if r, ok := c.p.strp("reason"); ok && r != "" {
		found := false
		for _, v := range creditNoteReasons {
			found = found || v == r
		}
		if !found {
			return n, invalidRequest("reason", "Invalid reason: must be one of duplicate, fraudulent, order_change, or product_unsatisfactory")
		}
		n.reason = r
	}
	n.memo = c.p.str("memo")
	n.meta, _ = c.p.metadata(nil)
	for _, o := range s.notes {
		if o.invoice == i {
			n.seq++
		}
	}
	n.seq++
	return n, nil
}

// previewCreditNote serves GET /v1/credit_notes/preview: the credit note
// the same parameters would issue, with nothing changed.
func (s *Server) previewCreditNote(c *call) (any, *apiError) {
	n, e := s.creditNoteRequest(c)
	if e != nil {
		return nil, e
	}
	return s.renderCreditNote(len(s.notes), &n), nil
}

// createCreditNote serves POST /v1/credit_notes.
func (s *Server) createCreditNote(c *call) (any, *apiError) {
	n, e := s.creditNoteRequest(c)
	if e != nil {
		return nil, e
	}
	i := n.invoice
	req := c.evReq()
	in := &s.invoices[i]
	prev := map[string]any{"amount_due": in.amountDue(), "amount_remaining": in.amountDue() - in.amountPaid,
		"pre_payment_credit_notes_amount": in.preCN, "post_payment_credit_notes_amount": in.postCN}
	if n.post {
		in.postCN += n.amount
		if n.refundAmt > 0 {
			n.refund = s.addRefund(in.charge, n.refundAmt, 0, nil, req)
		}
		if n.creditAmt > 0 {
			n.txn = s.addBalanceTxn(in.customer, -n.creditAmt, in.currency, btCreditNote, i, "", nil, req, false)
		}
	} else {
		in.preCN += n.amount
	}
	s.notes = append(s.notes, n)
	k := len(s.notes) - 1
	obj := s.renderCreditNote(k, &s.notes[k])
	s.emit("credit_note.created", obj, nil, req)
	s.emit("invoice.updated", s.renderInvoice(int(i)), prev, req)
	if in := &s.invoices[i]; !n.post && in.amountDue()-in.amountPaid <= 0 {
		s.markPaid(i, -1, req) // credited to nothing left
	}
	return obj, nil
}

func (s *Server) creditNoteByID(id string) (int, *apiError) {
	k, ok := s.ids.parse(kCreditNote, id)
	if !ok || int(k) >= len(s.notes) {
		return 0, missing("credit_note", id)
	}
	return int(k), nil
}

func (s *Server) getCreditNote(c *call) (any, *apiError) {
	k, e := s.creditNoteByID(c.id())
	if e != nil {
		return nil, e
	}
	return s.renderCreditNote(k, &s.notes[k]), nil
}

// voidCreditNote serves POST /v1/credit_notes/{id}/void: only while its
// invoice is open; the credit is taken back from the amount due.
func (s *Server) voidCreditNote(c *call) (any, *apiError) {
	k, e := s.creditNoteByID(c.id())
	if e != nil {
		return nil, e
	}
	n := &s.notes[k]
	if n.void {
		return nil, invalidRequest("", "Credit note %s has already been voided.", c.id())
	}
	in := &s.invoices[n.invoice]
	if in.status != invOpen || n.post {
		return nil, invalidRequest("", "You can only void a credit note if the associated invoice is open; invoice %s is %s.",
			s.ids.id(kInvoice, uint32(n.invoice)), invStatusNames[in.status])
	}
	prev := map[string]any{"amount_due": in.amountDue(), "pre_payment_credit_notes_amount": in.preCN}
	in.preCN -= n.amount
	n.void, n.voidedAt = true, s.unix()
	obj := s.renderCreditNote(k, n)
	s.emit("credit_note.voided", obj, map[string]any{"status": "issued", "voided_at": nil}, c.evReq())
	s.emit("invoice.updated", s.renderInvoice(int(n.invoice)), prev, c.evReq())
	return obj, nil
}

// listCreditNotes serves GET /v1/credit_notes (invoice and customer
// filters), newest first.
func (s *Server) listCreditNotes(c *call) (any, *apiError) {
	var conds []func(int) bool
	if id := c.p.str("invoice"); id != "" {
		in, ok := s.ids.parse(kInvoice, id)
		conds = append(conds, func(k int) bool { return ok && s.notes[k].invoice == int32(in) })
	}
	if id := c.p.str("customer"); id != "" {
		cu, ok := s.ids.parse(kCustomer, id)
		conds = append(conds, func(k int) bool { return ok && s.invoices[s.notes[k].invoice].customer == int32(cu) })
	}
	spec := listSpec{url: "/v1/credit_notes", kind: kCreditNote, what: "credit_note", n: len(s.notes),
		created: func(k int) int64 { return s.notes[k].created },
		render:  func(k int) map[string]any { return s.renderCreditNote(k, &s.notes[k]) }}
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
