package audit_test

import (
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/audit"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// A record written while the operator has another selected (a colleague's
// refund over SSH) arrives above it; enter still opens the chosen record.
func TestLiveAuditKeepsTheSelection(t *testing.T) {
	store, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	add := func(i int, op string) {
		t.Helper()
		if _, err := store.AppendAudit(storage.AuditRecord{At: testclock.Anchor().Unix() + int64(i), Operator: op,
			Action: "credit", Target: "cus_X", Amount: int64(100 * i), Currency: "usd", Outcome: "succeeded"}); err != nil {
			t.Fatal(err)
		}
	}
	add(1, "ana")
	add(2, "ben")
	add(3, "cid")
	h := pagetest.New(audit.New(pagetest.Session(store, testclock.Anchor())))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(120, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, tm, "cid")
	tm.Send(tea.KeyMsg{Type: tea.KeyDown}) // ben, record #2
	add(4, "dee")
	tm.Send(common.LiveMsg{Change: storage.Change{Op: storage.OpAudit}})
	waitFor(t, tm, "dee")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Audit record #2", "ben")
}
