package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/common"
)

// TestActionOpenerHook: a money-action request (dunning's "retry now")
// reaches the opener main sets; without one the root says so.
func TestActionOpenerHook(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	old := ActionOpener
	t.Cleanup(func() { ActionOpener = old })

	ActionOpener = nil
	drive(m, common.ActionRequestMsg{Action: billing.ActionInvoicePay, Target: "in_1"})
	if !strings.Contains(m.View(), "money actions are not part of this build") {
		t.Fatalf("no opener: %s", m.View())
	}

	var got []string
	ActionOpener = func(c *common.Common, a billing.Action, target string) tea.Cmd {
		got = append(got, string(a)+" "+target+" "+c.Operator.Name)
		return common.Toast(common.ToastInfo, "opened "+target)
	}
	drive(m, common.ActionRequestMsg{Action: billing.ActionInvoicePay, Target: "in_2"})
	if len(got) != 1 || got[0] != "invoice_pay in_2 test@host" || !strings.Contains(m.View(), "opened in_2") {
		t.Fatalf("opener calls %v, view:\n%s", got, m.View())
	}
}
