package webhooks_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/goldens"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
	"github.com/paydesk/paydesk/tui/webhooks"
)

// TestScrolledTailMarksNewDeliveries: with the cursor down the tail, a
// delivery arriving above the view is announced ("↑ 1 new · g newest") and
// the footer offers g first; g goes back to the newest and the marker goes.
func TestScrolledTailMarksNewDeliveries(t *testing.T) {
	store := fixtureStore(t)
	h := pagetest.New(webhooks.New(pagetest.Session(store, now)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(80, 16))
	t.Cleanup(func() { tm.Quit() })
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 9) // the oldest row: the view scrolls
	waitFor(t, tm, "↑")
	sub := store.Subscribe(4)
	defer sub.Close()
	d := storage.Delivery{At: at(12, 0, 5).UnixNano(), Source: "webhook", Status: 200}
	if _, err := store.ApplyEvent(event("evt_09", "invoice.paid", at(12, 0, 5), object("in_F", nil), storage.APIVersion), &d); err != nil {
		t.Fatal(err)
	}
	change, _ := sub.Next() // what the store announced, as the root would forward it
	tm.Send(common.LiveMsg{Change: change})
	waitFor(t, tm, "↑ 1 new · g newest")
	p := listPage(t, h)
	if help := p.ShortHelp(); len(help) == 0 || help[0].Help().Key != "g" {
		t.Errorf("footer does not offer g first while scrolled: %v", help)
	}
	typeKeys(tm, "g")
	waitFor(t, tm, "> "+clockOf(at(12, 0, 5)))
	h = final(t, tm)
	if v := h.View(); strings.Contains(v, "↑") {
		t.Errorf("marker still shown at the newest row:\n%s", v)
	}
}

// TestDuplicateSaysWhy: the second delivery of evt_03 (a webhook retry,
// or the same event fetched by catch-up) says which row applied it.
func TestDuplicateSaysWhy(t *testing.T) {
	tm, _ := start(t, pagetest.Session(fixtureStore(t), now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 5) // evt_03's retry
	waitFor(t, tm, "already applied by seq 3 (webhook "+clockOf(at(11, 40, 0))+"); not applied twice")
	final(t, tm)
}

// TestGoldenList80x24: at 80 columns the tail keeps time, verdict, the
// whole event type, object and latency; source (nearly always "webhook")
// gives way first and the selection line names it (the selected row's
// reason is there too).
func TestGoldenList80x24(t *testing.T) {
	h := pagetest.New(webhooks.New(pagetest.Session(fixtureStore(t), now)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { tm.Quit() })
	waitFor(t, tm, "in_F")
	h = final(t, tm)
	v := h.View()
	for _, want := range []string{"LATENCY", "customer.subscription.updated ", "invoice.payment_failed ", "seq 10 · evt_08 · catch-up"} {
		if !strings.Contains(v, want) {
			t.Errorf("80 columns lack %q:\n%s", want, v)
		}
	}
	goldens.RequireEqual(t, []byte(v))
}

// clockOf is t as the tail prints it, in the operator's zone of the tests.
func clockOf(t time.Time) string { return t.In(testclock.Zone()).Format("15:04:05") }
