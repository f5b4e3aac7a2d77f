package sandbox

// Draft invoices: finalize and delete, as Stripe's invoice workflow
// allows them (docs: invoicing/integration/workflow-transitions): a draft
// is finalized (it gets its number, applies the customer's balance and
// opens, or is paid at once when nothing is due) or, when no subscription
// created it, deleted for good.

// finalizeDraft serves POST /v1/invoices/{id}/finalize.
func (s *Server) finalizeDraft(c *call) (any, *apiError) {
	i, e := s.invoiceAction(c, invDraft)
	if e != nil {
		return nil, e
	}
	s.finalizeInvoice(i, c.evReq())
	return s.renderInvoice(int(i)), nil
}

// deleteDraft serves DELETE /v1/invoices/{id}: one-off drafts only. It
// answers Stripe's deleted stub and emits invoice.deleted; the invoice
// then answers 404 and leaves the lists.
func (s *Server) deleteDraft(c *call) (any, *apiError) {
	i, e := s.invoiceAction(c, invDraft)
	if e != nil {
		return nil, e
	}
	if s.invoices[i].sub >= 0 {
		return nil, invalidRequest("", "You can't delete invoices created by subscriptions: finalize the invoice, then void it.")
	}
	obj := s.renderInvoice(int(i))
	s.invoices[i].deleted = true
	s.invDeleted++
	s.emit("invoice.deleted", obj, nil, c.evReq())
	return map[string]any{"id": c.id(), "object": "invoice", "deleted": true}, nil
}
