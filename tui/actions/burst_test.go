package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// TestFormKeysInOneRead: on the credit form, enter (choose credit, go to
// the amount), 7, 5 and tab arriving together — one read, as over SSH — put
// 75 in the amount: keys that follow a key moving the focus reach the field
// the focus moved to.
func TestFormKeysInOneRead(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := liveCustomer(e)
	tm := rootWith(t, e, pagetest.Width, pagetest.Height)
	tm.Send(common.ActionRequestMsg{Action: billing.ActionCredit, Target: cus.ID})
	waitFor(t, tm, "Direction")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("75")})
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("goodwill")})
	waitFor(t, tm, "goodwill")
	view := final(t, tm)
	if !strings.Contains(view, "> 75") {
		t.Fatalf("the amount typed after enter was lost:\n%s", view)
	}
}

// TestConfirmKeysInOneRead: "yyy" read together on a refund confirmation
// sends the refund, once (it sent nothing: the three runes came as one key
// that matched no binding).
func TestConfirmKeysInOneRead(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	tm := rootWith(t, e, pagetest.Width, pagetest.Height)
	tm.Send(common.ActionRequestMsg{Action: billing.ActionRefund, Target: ch.ID})
	waitFor(t, tm, "Amount (USD)")
	typeText(tm, "5")
	for range 3 {
		press(tm, tea.KeyEnter)
	}
	waitFor(t, tm, "Confirm: Refund")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("yyy")})
	waitFor(t, tm, "Sent to Stripe")
	final(t, tm)
	if n := e.Reqs.Count("POST /v1/refunds"); n != 1 {
		t.Fatalf("yyy sent %d refunds, want 1", n)
	}
}
