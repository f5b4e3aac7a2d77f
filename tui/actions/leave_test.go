package actions_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// rootWith starts the whole console over env e at w x h with every
// action registered and waits for its first view.
func rootWith(t *testing.T, e *actenv.Env, w, h int) *teatest.TestModel {
	t.Helper()
	c := e.Session(actenv.Admin)
	if err := actions.Register(c.Actions); err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, tui.New(c), teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, tm, "Customers")
	return tm
}

// keyOf turns a step of a key script into a key message.
func keyOf(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// TestEscLeavesTypedWordConfirmation: on a confirmation that asks for a
// typed word (accept a dispute, delete a draft), esc closes the page
// without sending, whatever was typed before it: nothing, part of the word,
// a wrong word and enter, ? and 1 (typed into the word). Before, esc on these confirmations did nothing.
func TestEscLeavesTypedWordConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150})
	dp := openDispute(e)
	draft := oneOffDraft(t, e, 2500, "")
	targets := []struct {
		action billing.Action
		id     string
		word   string
		call   string
	}{
		{billing.ActionDisputeAccept, dp.ID, "accept", "POST /v1/disputes/" + dp.ID + "/close"},
		{billing.ActionInvoiceDelete, draft.ID, "delete", "DELETE /v1/invoices/" + draft.ID},
	}
	scripts := map[string][]string{
		"nothing":    nil,
		"part":       {"ac"},
		"wrong word": {"nope", "enter"},
		"help":       {"?", "1"},
	}
	for _, tg := range targets {
		for name, script := range scripts {
			t.Run(string(tg.action)+"/"+name, func(t *testing.T) {
				tm := rootWith(t, e, 80, 24)
				tm.Send(common.ActionRequestMsg{Action: tg.action, Target: tg.id})
				waitFor(t, tm, "Type "+tg.word)
				for _, k := range script {
					tm.Send(keyOf(k))
				}
				if len(script) > 0 && script[len(script)-1] == "enter" {
					waitFor(t, tm, "Not sent")
				}
				tm.Send(keyOf("esc"))
				waitFor(t, tm, "sort:newest") // the customers list again
				view := final(t, tm)
				if strings.Contains(view, "Confirm:") || !strings.Contains(view, "Customers") {
					t.Fatalf("esc left the confirmation open:\n%s", view)
				}
			})
		}
		if n := e.Reqs.Count(tg.call); n != 0 {
			t.Fatalf("%s: %d requests sent", tg.action, n)
		}
	}
}

// TestCtrlCCancelsFormFirst: ctrl+c on a half-typed form or an unsent
// confirmation (or q on the confirmation, where it types nothing) cancels
// it and says so, without quitting; the next one quits. Before, the first
// ctrl+c or q quit the console at once.
func TestCtrlCCancelsFormFirst(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	for _, tc := range []struct{ at, quit string }{{"form", "ctrl+c"}, {"confirmation", "ctrl+c"}, {"confirmation", "q"}} {
		t.Run(tc.at+" "+tc.quit, func(t *testing.T) {
			tm := rootWith(t, e, pagetest.Width, pagetest.Height)
			tm.Send(common.ActionRequestMsg{Action: billing.ActionRefund, Target: ch.ID})
			waitFor(t, tm, "Amount (USD)")
			typeText(tm, "5")
			if tc.at == "confirmation" {
				for range 3 {
					press(tm, tea.KeyEnter)
				}
				waitFor(t, tm, "Confirm: Refund")
			}
			tm.Send(keyOf(tc.quit))
			waitFor(t, tm, "cancelled: nothing was sent to Stripe")
			tm.Send(keyOf(tc.quit))
			view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
			if strings.Contains(view, "Amount (USD)") || strings.Contains(view, "Confirm:") {
				t.Fatalf("the form is still open after ctrl+c:\n%s", view)
			}
		})
	}
	if n := e.Reqs.Count("POST /v1/refunds"); n != 0 {
		t.Fatalf("%d refunds sent", n)
	}
}

// TestEnterBurstNeverSends: a burst of Enter keys typed through a form
// (its last field's Enter opens the confirmation) does not send it: on a
// confirmation that asks for no word Enter never sends, y does
// (common.SendKey), and the page says so. Before, the next Enter sent it.
func TestEnterBurstNeverSends(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	t.Run("refund", func(t *testing.T) {
		ch := refundableCharge(e, "usd")
		f := open(t, e.Session(actenv.Admin), billing.ActionRefund, ch)
		tm, _ := run(t, e, f)
		focus(t, f, "amount")
		typeText(tm, "3")
		for range 4 {
			press(tm, tea.KeyEnter)
		}
		waitState(t, f, "confirm")
		press(tm, tea.KeyEnter)
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "Not sent: press y to send")
		if n := e.Reqs.Count("POST /v1/refunds"); n != 0 || f.Sent() != 0 || f.State() != "confirm" {
			t.Fatalf("enter burst: %d refunds, %d sends, state %s", n, f.Sent(), f.State())
		}
		sendConfirmed(t, tm, f)
		if n := e.Reqs.Count("POST /v1/refunds"); n != 1 {
			t.Fatalf("y sent %d refunds, want 1", n)
		}
	})
	t.Run("customer edit", func(t *testing.T) {
		cus := liveCustomer(e)
		f, tm := editCustomer(t, e.Session(supportOp), cus, pagetest.Width, pagetest.Height)
		press(tm, tea.KeyEnter)
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "Not sent: press y to send")
		if n := e.Reqs.Count("POST /v1/customers/" + cus.ID); n != 0 || f.Sent() != 0 {
			t.Fatalf("enter burst: %d customer updates, %d sends", n, f.Sent())
		}
	})
	t.Run("credit", func(t *testing.T) {
		cus := liveCustomer(e)
		f, _ := creditConfirm(t, e, e.Session(actenv.Admin), cus, "2")
		waitState(t, f, "confirm")
		if !strings.Contains(f.Screen(), "Press y to send.") || strings.Contains(f.Screen(), "enter send") {
			t.Fatalf("the confirmation does not say y sends:\n%s", f.Screen())
		}
	})
}
