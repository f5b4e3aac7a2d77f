package billing

import "time"

// Clocks are the two times a paydesk process keeps, passed down as one
// value so that no component picks the wrong one.
//
// Account is the account's business time: due dates, dunning windows,
// retries, periods, cache stamps. It is the wall clock for a real Stripe
// account; the demo's sandbox moves it ahead (a Stripe test clock does the
// same).
//
// Wall is real time: webhook receipts and signature tolerance, event
// rates, the age of the last delivery, and money actions (plan lifetimes and
// Stripe's 24-hour idempotency-key expiry are real time even when the
// account's clock runs ahead).
type Clocks struct {
	Account func() time.Time
	Wall    func() time.Time
}

// WithDefaults fills what is unset: Account with time.Now, Wall with
// Account.
func (c Clocks) WithDefaults() Clocks {
	if c.Account == nil {
		c.Account = time.Now
	}
	if c.Wall == nil {
		c.Wall = c.Account
	}
	return c
}
