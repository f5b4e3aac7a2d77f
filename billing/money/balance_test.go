package money

import "testing"

// TestBalanceWording: a customer balance reads "€20.00 credit" or "€20.00
// owed", never a signed amount, in every currency's exponent.
func TestBalanceWording(t *testing.T) {
	cases := []struct {
		minor int64
		cur   string
		want  string
	}{
		{-2000, "eur", "€20.00 credit"},
		{2000, "eur", "€20.00 owed"},
		{0, "eur", "€0.00"},
		{-1200, "jpy", "¥1,200 credit"},
		{6900, "usd", "$69.00 owed"},
	}
	for _, c := range cases {
		if got := Balance(c.minor, c.cur); got != c.want {
			t.Errorf("Balance(%d, %s) = %q, want %q", c.minor, c.cur, got, c.want)
		}
	}
}

// TestMovementWording: a balance transaction's amount reads as what it did
// to the balance: a credit, or a debit (an invoice using up a credit is a
// debit, not something "owed").
func TestMovementWording(t *testing.T) {
	cases := []struct {
		minor int64
		cur   string
		want  string
	}{
		{-500, "eur", "€5.00 credit"},
		{2500, "eur", "€25.00 debit"},
		{0, "usd", "$0.00"},
		{300, "jpy", "¥300 debit"},
	}
	for _, c := range cases {
		if got := Movement(c.minor, c.cur); got != c.want {
			t.Errorf("Movement(%d, %s) = %q, want %q", c.minor, c.cur, got, c.want)
		}
	}
}
