// Package goldens compares a screen with its golden file under testdata, as
// charmbracelet/x/exp/golden does, but only at the anchor and zone the
// goldens were recorded at (testclock.Default, UTC): when PAYDESK_TEST_ANCHOR
// or PAYDESK_TEST_ZONE moves the clocks, dates on the screen move with them,
// so the comparison is logged as skipped while every other assertion of the
// test still runs. Update goldens with `go test ./tui/... -update`.
// Imported by tests only.
package goldens

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
)

// RequireEqual fails t when out differs from t's golden file (at the default
// anchor only).
func RequireEqual(t testing.TB, out []byte) {
	t.Helper()
	if testclock.Moved() {
		t.Logf("golden comparison skipped: clocks moved to %s %s", testclock.Anchor().Format("2006-01-02T15:04:05Z07:00"), testclock.Zone())
		return
	}
	golden.RequireEqual(t, out)
}

// SkipIfMoved skips a golden test whose steps find rows of the account
// seeded at the default anchor, when the clocks were moved.
func SkipIfMoved(t testing.TB) {
	t.Helper()
	if testclock.Moved() {
		t.Skipf("golden steps follow the account seeded at %s; clocks moved to %s %s",
			testclock.Default.Format("2006-01-02"), testclock.Anchor().Format("2006-01-02T15:04Z07:00"), testclock.Zone())
	}
}
