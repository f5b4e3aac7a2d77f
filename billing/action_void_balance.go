package billing

import "github.com/paydesk/paydesk/billing/money"

// balanceReturned words what voiding an invoice (the invoice's fresh
// JSON) does to its customer's balance: since API 2019-12-03 Stripe gives
// back the balance the invoice applied at finalization (starting_balance
// less ending_balance, minor units) as an unapplied_from_invoice balance
// transaction (changelog 2019-12-03: customer balances returned for voided
// invoices). "" when the invoice applied none.
func balanceReturned(inv map[string]any) string {
	applied := num(inv, "ending_balance") - num(inv, "starting_balance")
	cur := str(inv, "currency")
	switch {
	case applied > 0:
		return money.Format(applied, cur) + " of customer credit applied to this invoice returns to the customer's balance"
	case applied < 0:
		return money.Format(-applied, cur) + " the customer owed, added to this invoice, returns to the customer's balance"
	}
	return ""
}

// balanceApplied words what Stripe does with a customer's balance (cus,
// the customer's fresh JSON) when it finalizes an invoice of due (minor
// units of cur, before any discount): a credit (negative balance) lowers
// the amount due, down to zero, and what is left stays on the customer; a
// balance owed is added to it. Stripe applies only a balance in the
// invoice's currency (docs: billing/customer/balance). "" when none
// applies.
func balanceApplied(cus map[string]any, cur string, due int64) string {
	bal := num(cus, "balance")
	if bal == 0 || str(cus, "currency") != cur {
		return ""
	}
	if bal < 0 {
		applied := min(-bal, max(due, 0))
		if applied == 0 {
			return ""
		}
		return money.Format(applied, cur) + " customer credit will be applied · Amount due " + money.Format(due-applied, cur)
	}
	return money.Format(bal, cur) + " the customer owes will be added · Amount due " + money.Format(due+bal, cur)
}
