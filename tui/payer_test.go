package tui

import (
	"strings"
	"testing"

	"github.com/paydesk/paydesk/tui/common"
)

// TestPaymentsAndRefundsNameTheCustomer: the Payments view and :refunds
// show the customer's email, as Invoices and Disputes do. Before, both
// showed bare cus_ ids, so support could not tell whose payment a row was.
func TestPaymentsAndRefundsNameTheCustomer(t *testing.T) {
	for _, open := range []func(m *Model){
		func(m *Model) { drive(m, keys("9")...) },
		func(m *Model) { typeCommand(m, "refunds") },
	} {
		m := start(session(nil, func(*common.Common) {}), 140, 30)
		open(m)
		rows := 0
		for _, l := range strings.Split(m.View(), "\n") {
			if !strings.Contains(l, "ch_") && !strings.Contains(l, "re_") {
				continue
			}
			rows++
			if strings.Contains(l, "cus_") || !strings.Contains(l, "@") {
				t.Errorf("row without the customer's email: %q", l)
			}
		}
		if rows == 0 {
			t.Fatalf("no rows:\n%s", m.View())
		}
	}
}
