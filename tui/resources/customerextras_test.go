package resources

import (
	"testing"
	"time"
)

// expiryNow is the fixed instant of the expiry cases: 2026-11-23 12:00 UTC.
var expiryNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestExpiry(t *testing.T) {
	cases := []struct {
		month, year int
		want        string
	}{
		{10, 2026, "expired"},
		{11, 2026, "soon"}, // valid to the end of November
		{12, 2026, "soon"},
		{1, 2027, ""}, // valid to 2027-02-01, 70 days away: beyond 60
		{3, 2027, ""},
		{12, 2034, ""},
		{0, 2027, ""},
	}
	for _, c := range cases {
		if got := expiry(c.month, c.year, expiryNow); got != c.want {
			t.Errorf("%02d/%d: %q, want %q", c.month, c.year, got, c.want)
		}
	}
}
