package actions

import "testing"

// The credit form's hint gives an example in the customer's currency: a
// yen amount has no decimals, so "25.00" told the operator to type what the
// field then refuses.
func TestAmountExampleFollowsTheCurrency(t *testing.T) {
	for cur, want := range map[string]string{"usd": "25.00", "eur": "25.00", "jpy": "2500", "kwd": "25.000", "": "25.00"} {
		if got := amountExample(cur); got != want {
			t.Errorf("amountExample(%q) = %q, want %q", cur, got, want)
		}
	}
}
