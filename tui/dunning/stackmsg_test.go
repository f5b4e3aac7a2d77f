package dunning_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/billing/dunning/dunningtest"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/dunning"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// TestReportReachesPageUnderAnother: the computed report is a
// common.StackMsg, so the root hands it to the Dunning page even while a
// customer opened from the worklist is on top (otherwise the page stays
// "loading" and stops following live events), and the page takes it.
func TestReportReachesPageUnderAnother(t *testing.T) {
	p := dunning.New(pagetest.Session(loadedStore(t), dunningtest.Now))
	_, cmd := p.Update(common.RefreshMsg{})
	if cmd == nil {
		t.Fatal("refresh started no report")
	}
	msg := cmd()
	if _, ok := msg.(common.StackMsg); !ok {
		t.Fatalf("report answer %T is not a common.StackMsg", msg)
	}
	p.Update(msg)
	if r := p.Report(); r.Failed.Count == 0 {
		t.Fatalf("page did not take the report: %+v", r.Failed)
	}
}

// TestShortTerminalKeepsWorklist: at 80x24 (21 body lines) the figures
// give up decline-code rows so the worklist still shows its rows (before,
// the figures filled the page and not one worklist row was visible), and
// the worklist gives up KIND, LAST DECLINE and TRIES so the amount due
// fits in 80 columns.
func TestShortTerminalKeepsWorklist(t *testing.T) {
	p := dunning.New(pagetest.Session(loadedStore(t), dunningtest.Now))
	p.SetSize(80, 21)
	_, cmd := p.Update(common.RefreshMsg{})
	p.Update(cmd())
	lines := strings.Split(p.View(), "\n")
	if len(lines) > 21 {
		t.Fatalf("%d lines in a 21-line body:\n%s", len(lines), p.View())
	}
	rows, header := 0, false
	for _, l := range lines {
		if strings.Contains(l, "CUSTOMER") && strings.Contains(l, "NEXT RETRY") {
			if !strings.HasSuffix(strings.TrimRight(l, " "), "AMOUNT DUE") || ansi.StringWidth(l) > 80 {
				t.Errorf("worklist header does not fit 80 columns with AMOUNT DUE last: %q", l)
			}
			header = true
			continue
		}
		if header && (strings.HasPrefix(l, "> ") || strings.HasPrefix(l, "  sub") || strings.HasPrefix(l, "  in")) {
			rows++
		}
	}
	if want := min(len(p.Report().Work), 4); rows < want {
		t.Fatalf("%d worklist rows visible, want %d:\n%s", rows, want, p.View())
	}
}
