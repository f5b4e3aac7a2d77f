package resources

import (
	"slices"
	"testing"

	"github.com/paydesk/paydesk/tui/table"
)

// TestDisputesAt80KeepCustomer: at 80 columns a page holding a
// warning_needs_response dispute (the widest status) keeps the CUSTOMER
// column; the free-text REASON goes first, as on every other list. Before,
// CUSTOMER was dropped and REASON kept.
func TestDisputesAt80KeepCustomer(t *testing.T) {
	d := Disputes()
	rows := [][]string{
		{"dp_9A3yOM06pkyBka", "warning_needs_response", "credit_not_processed", "$1,290.00", "in 4d", "isla.weber@globex.test", "2026-11-20"},
		{"dp_6tFwwCozqOXZbQ", "needs_response", "general", "£6.99", "in 2d", "layla.tan@initech.test", "2026-11-19"},
	}
	shown, widths := table.Layout(d.Columns, 80, rows)
	var titles []string
	for _, i := range shown {
		titles = append(titles, d.Columns[i].Title)
	}
	for _, want := range []string{"ID", "Status", "Amount", "Due", "Customer"} {
		if !slices.Contains(titles, want) {
			t.Fatalf("at 80 columns %v are shown (widths %v): %s is missing", titles, widths, want)
		}
	}
}
