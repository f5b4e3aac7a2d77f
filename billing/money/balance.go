package money

// Balance words a customer balance (or a balance transaction's amount) in
// minor units the one way paydesk shows it: Stripe's sign convention is a
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
