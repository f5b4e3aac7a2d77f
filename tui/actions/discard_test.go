package actions_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// TestEscAsksBeforeDiscardingEvidence: esc on the dispute evidence form with
// text typed asks first (on the page and in the status line) and keeps the
// form and the text; any other key withdraws the question and types; esc
// twice in a row closes the page, saying nothing was sent. Before, one esc
// threw the typed evidence away without a word.
func TestEscAsksBeforeDiscardingEvidence(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150})
	dp := openDispute(e)
	tm := rootWith(t, e, pagetest.Width, pagetest.Height)
	tm.Send(common.ActionRequestMsg{Action: billing.ActionDisputeEvidence, Target: dp.ID})
	waitFor(t, tm, "Dispute evidence for "+dp.ID, "Access activity log")
	typeText(tm, "Logged in twice")
	waitFor(t, tm, "Logged in twice")
	tm.Send(keyOf("esc"))
	waitFor(t, tm, "Esc again discards what you typed")
	typeText(tm, " from home")
	waitFor(t, tm, "Logged in twice from home")
	tm.Send(keyOf("esc"))
	waitFor(t, tm, "Esc again discards what you typed")
	tm.Send(keyOf("esc"))
	waitFor(t, tm, "Dispute evidence for "+dp.ID+" cancelled: nothing was sent to Stripe")
	view := final(t, tm)
	if strings.Contains(view, "Access activity log") {
		t.Fatalf("the form is still open after esc esc:\n%s", view)
	}
	if n := e.Reqs.Count("POST /v1/disputes/" + dp.ID); n != 0 {
		t.Fatalf("%d evidence requests sent", n)
	}
}

// TestEscOnFormWithoutTypingCloses: a form nothing was typed into closes on
// one esc, saying nothing was sent.
func TestEscOnFormWithoutTypingCloses(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := liveCustomer(e)
	tm := rootWith(t, e, pagetest.Width, pagetest.Height)
	tm.Send(common.ActionRequestMsg{Action: billing.ActionCredit, Target: cus.ID})
	waitFor(t, tm, "Direction")
	tm.Send(keyOf("esc"))
	waitFor(t, tm, "Adjust credit of "+cus.ID+" cancelled: nothing was sent to Stripe")
	if view := final(t, tm); strings.Contains(view, "Direction") {
		t.Fatalf("the form is still open:\n%s", view)
	}
}

// TestEscOnConfirmationSaysNothingSent: esc on a confirmation says in the
// status line that nothing was sent — at once on one with nothing typed
// (accept a dispute), and on the question and the close of one holding a
// typed amount (a refund). Before, esc closed them without a word.
func TestEscOnConfirmationSaysNothingSent(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150})
	dp := openDispute(e)
	ch := refundableCharge(e, "usd")
	t.Run("accept", func(t *testing.T) {
		tm := rootWith(t, e, pagetest.Width, pagetest.Height)
		tm.Send(common.ActionRequestMsg{Action: billing.ActionDisputeAccept, Target: dp.ID})
		waitFor(t, tm, "Type accept")
		tm.Send(keyOf("esc"))
		waitFor(t, tm, "cancelled: nothing was sent to Stripe")
		final(t, tm)
	})
	t.Run("refund", func(t *testing.T) {
		tm := refundOnRoot(t, e, ch)
		tm.Send(keyOf("esc"))
		waitFor(t, tm, "Nothing was sent to Stripe. Esc again discards")
		tm.Send(keyOf("esc"))
		waitFor(t, tm, "cancelled: nothing was sent to Stripe")
		if view := final(t, tm); strings.Contains(view, "Confirm:") {
			t.Fatalf("the confirmation is still open:\n%s", view)
		}
	})
	if n := e.Reqs.Count("POST /v1/refunds") + e.Reqs.Count("POST /v1/disputes/"+dp.ID+"/close"); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// TestEscThenSendKeyOnConfirmationSendsNothing: after esc on a confirmation
// the next key only keeps the typed text. Before, cancel-now with its word
// typed, esc and then enter ended the subscription; y right after esc on a
// refund sent it. Esc also clears the confirming word typed so far.
func TestEscThenSendKeyOnConfirmationSendsNothing(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150, NoWebhooks: true})
	t.Run("typed word then enter", func(t *testing.T) {
		sub := activeSub(e, "")
		tm := rootWith(t, e, pagetest.Width, pagetest.Height)
		tm.Send(common.ActionRequestMsg{Action: billing.ActionCancel, Target: sub.ID})
		waitFor(t, tm, "at period end")
		press(tm, tea.KeyDown) // now
		press(tm, tea.KeyEnter)
		typeText(tm, "churn")
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "Type cancel")
		typeText(tm, "cancel")
		tm.Send(keyOf("esc"))
		waitFor(t, tm, "Esc again discards what you typed")
		press(tm, tea.KeyEnter)
		press(tm, tea.KeyEnter)
		typeText(tm, "zz") // the word starts again from nothing
		waitFor(t, tm, "> zz")
		if n := e.Reqs.Count("DELETE /v1/subscriptions/" + sub.ID); n != 0 {
			t.Fatalf("esc then enter sent %d cancellations", n)
		}
		final(t, tm)
	})
	t.Run("y after esc", func(t *testing.T) {
		ch := refundableCharge(e, "usd")
		tm := refundOnRoot(t, e, ch)
		tm.Send(keyOf("esc"))
		waitFor(t, tm, "Esc again discards what you typed")
		typeText(tm, "y")
		tm.Send(keyOf("esc"))
		tm.Send(keyOf("esc"))
		waitFor(t, tm, "cancelled: nothing was sent to Stripe")
		if n := e.Reqs.Count("POST /v1/refunds"); n != 0 {
			t.Fatalf("y right after esc sent %d refunds", n)
		}
		final(t, tm)
	})
}

// TestDigitOnConfirmationKeepsIt: a view key (or : or ctrl+f) on an open
// confirmation says what to do instead of leaving it: before, "5" opened
// the Credit view and the refund, with its typed note, was gone unseen.
func TestDigitOnConfirmationKeepsIt(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	tm := refundOnRoot(t, e, ch)
	typeText(tm, "5")
	waitFor(t, tm, "A confirmation is open: y sends it, esc leaves it")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlF})
	typeText(tm, "y")
	waitFor(t, tm, "Refund") // sent from the confirmation still open
	deadline := time.Now().Add(10 * time.Second)
	for e.Reqs.Count("POST /v1/refunds") != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the confirmation was left: y did not send it")
		}
		time.Sleep(10 * time.Millisecond)
	}
	final(t, tm)
}

// refundOnRoot opens a $5.00 refund of the usd charge ch on the console's
// root and waits for its confirmation.
func refundOnRoot(t *testing.T, e *actenv.Env, ch storage.Envelope) *teatest.TestModel {
	t.Helper()
	tm := rootWith(t, e, pagetest.Width, pagetest.Height)
	tm.Send(common.ActionRequestMsg{Action: billing.ActionRefund, Target: ch.ID})
	waitFor(t, tm, "Amount (USD)")
	typeText(tm, "5")
	for range 3 {
		press(tm, tea.KeyEnter)
	}
	waitFor(t, tm, "Confirm: Refund", "Press y to send")
	return tm
}
