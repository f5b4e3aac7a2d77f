package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// TestInsideRoot: the root routes an action request to the registered form, and
// while a field has focus q and digits type into it instead of quitting
// or switching views.
func TestInsideRoot(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	c := e.Session(actenv.Admin)
	if err := actions.Register(c.Actions); err != nil {
		t.Fatal(err)
	}
	if got := len(c.Actions.For("invoice")); got != 7 { // retry, void, uncollectible, send, finalize, delete, credit note
		t.Fatalf("%d invoice actions registered", got)
	}
	root := tui.New(c)
	tm := teatest.NewTestModel(t, root, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	t.Cleanup(func() { _ = tm.Quit() })
	ch := refundableCharge(e, "usd")
	waitFor(t, tm, "Customers")
	tm.Send(common.ActionRequestMsg{Action: billing.ActionRefund, Target: ch.ID})
	waitFor(t, tm, "Amount (USD)")
	typeText(tm, "q18")
	waitFor(t, tm, "q18")
	view := final(t, tm)
	if !strings.Contains(view, "Refund "+ch.ID) || !strings.Contains(view, "> q18") {
		t.Fatalf("q and digits did not type into the field:\n%s", view)
	}
}

// TestDetailPageKey: a customer's detail page lists the registered
// action and its key opens the credit form.
func TestDetailPageKey(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	c := e.Session(actenv.Admin)
	if err := actions.Register(c.Actions); err != nil {
		t.Fatal(err)
	}
	root := tui.New(c)
	tm := teatest.NewTestModel(t, root, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, tm, "Customers")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "adjust credit")
	typeText(tm, "C")
	waitFor(t, tm, "Adjust credit of cus_", "Direction")
}

// TestChargePageKey: a charge opened from the cache gets its detail page,
// whose Actions section lists R, and R opens the refund form; a viewer's
// page says why it cannot.
func TestChargePageKey(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	for _, tc := range []struct {
		name     string
		op       billing.Operator
		readOnly bool
		want     []string
	}{
		{"admin", actenv.Admin, false, []string{"Refund " + ch.ID, "Amount (USD)"}},
		{"viewer", billing.Operator{Name: "vi@desk", Role: billing.RoleViewer}, true, []string{"refund unavailable: read-only session"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.Session(tc.op)
			c.ReadOnly = tc.readOnly
			if err := actions.Register(c.Actions); err != nil {
				t.Fatal(err)
			}
			tm := teatest.NewTestModel(t, tui.New(c), teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
			t.Cleanup(func() { _ = tm.Quit() })
			waitFor(t, tm, "Customers")
			tm.Send(common.OpenObjectMsg{Kind: "", ID: ch.ID})
			waitFor(t, tm, "Charge "+ch.ID, "Refunded", "Actions")
			typeText(tm, "R")
			waitFor(t, tm, tc.want...)
		})
	}
}
