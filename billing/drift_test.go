package billing

import "testing"

// A drifted amount reads in its currency and a drifted time in UTC, as the
// rest of the confirmation does, never as raw minor units or Unix seconds.
func TestDriftValuesReadAsMoneyAndTime(t *testing.T) {
	t.Parallel()
	usd := map[string]any{"currency": "usd"}
	jpy := map[string]any{"currency": "jpy"}
	cases := []struct {
		path string
		v    any
		obj  map[string]any
		want string
	}{
		{"amount_refunded", float64(100), usd, "$1.00"},
		{"amount_remaining", float64(2500), jpy, "¥2,500"},
		{"balance", float64(-1999), usd, "-$19.99"},
		{"balance", float64(-1999), map[string]any{}, "-19.99"},
		{"trial_end", float64(1830254400), usd, "2027-12-31 12:00 UTC"},
		{"evidence_details.due_by", float64(1830254400), usd, "2027-12-31 12:00 UTC"},
		{"evidence_details.submission_count", float64(2), usd, "2"},
		{"status", "past_due", usd, "past_due"},
		{"trial_end", nil, usd, "none"},
	}
	for _, c := range cases {
		if got := renderField(c.path, c.v, c.obj); got != c.want {
			t.Errorf("renderField(%s, %v) = %q, want %q", c.path, c.v, got, c.want)
		}
	}
}
