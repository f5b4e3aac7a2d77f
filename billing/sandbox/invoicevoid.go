package sandbox

// returnAppliedBalance gives back the customer balance a voided invoice
// had applied at finalization (starting_balance - ending_balance, minor
// units), as Stripe does since API 2019-12-03 (changelog: "customer
// balances returned for voided invoices"): a balance transaction of type
// unapplied_from_invoice naming the invoice, the customer's balance
// restored, and customer.updated with the previous balance. The invoice
// keeps its starting_balance and ending_balance.
func (s *Server) returnAppliedBalance(i int32, req *eventRequest) {
	in := &s.invoices[i]
	if back := in.startingBalance - in.endingBalance(); back != 0 {
		s.addBalanceTxn(in.customer, back, in.currency, btUnappliedFromInvoice, i, "", nil, req, false)
	}
}
