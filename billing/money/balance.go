package money

// Balance words a customer balance (a balance transaction's ending_balance)
// in minor units the one way paydesk shows it: Stripe's sign convention is a
// negative balance for credit the customer holds (applied to the next
// invoices) and a positive one for what the customer owes (added to the
// next invoice), so Balance(-2000, "eur") is "€20.00 credit",
// Balance(2000, "eur") "€20.00 owed" and Balance(0, "eur") "€0.00".
// See https://docs.stripe.com/billing/customer/balance.
func Balance(minor int64, currency string) string {
	switch {
	case minor < 0:
		return Format(-minor, currency) + " credit"
	case minor > 0:
		return Format(minor, currency) + " owed"
	}
	return Format(0, currency)
}

// Movement words a customer balance transaction's amount (minor units): a
// negative amount credits the customer, a positive one debits the balance
// (an owed amount added, or a credit used up by an invoice:
// applied_to_invoice), so Movement(-500, "eur") is "€5.00 credit",
// Movement(2500, "eur") "€25.00 debit". Worded as a balance instead, a
// credit used by an invoice read "€25.00 owed".
// See https://docs.stripe.com/api/customer_balance_transactions/object.
func Movement(minor int64, currency string) string {
	switch {
	case minor < 0:
		return Format(-minor, currency) + " credit"
	case minor > 0:
		return Format(minor, currency) + " debit"
	}
	return Format(0, currency)
}
