package dunning_test

import (
	"testing"

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
