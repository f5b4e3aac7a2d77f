package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// refundConfirm opens the refund form on ch in session c, types amount,
// picks the reason down presses below "none" and types note, and waits
// for the confirmation; send types y, typ types on it (\b is backspace,
// \n enter).
func refundConfirm(t *testing.T, e *actenv.Env, c *common.Common, ch storage.Envelope, amount string, down int, note string) (f *actions.Flow, send func(), typ func(string)) {
	t.Helper()
	f = open(t, c, billing.ActionRefund, ch)
	tm, _ := run(t, e, f)
	focus(t, f, "amount")
	typeText(tm, amount)
	press(tm, tea.KeyEnter)
	focus(t, f, "reason")
	for range down {
		press(tm, tea.KeyDown)
	}
	press(tm, tea.KeyEnter)
	focus(t, f, "note")
	typeText(tm, note)
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	return f, func() { typeText(tm, "y") }, func(s string) {
		for _, r := range s {
			switch r {
			case '\b':
				press(tm, tea.KeyBackspace)
			case '\n':
				press(tm, tea.KeyEnter)
			default:
				typeText(tm, string(r))
			}
		}
	}
}

// TestConsoleRefundSameAmountOtherReasonWarns: a refund of 3.50 with
// reason "requested by customer" and a note, then another 3.50 on the same
// charge with no reason and no note: the second confirmation says the same
// request already went through and names the first refund.
func TestConsoleRefundSameAmountOtherReasonWarns(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "eur")
	c := e.Session(actenv.Admin)
	f, send, _ := refundConfirm(t, e, c, ch, "3.50", 1, "parcel late")
	if p := f.Plan(); p.Call.Get("reason") != "requested_by_customer" || p.Repeats != nil {
		t.Fatalf("first plan: %s, repeats %v", p.Call, p.Repeats)
	}
	send()
	waitState(t, f, "done")
	first := f.Plan().Key

	f2, send2, typ := refundConfirm(t, e, c, ch, "3.50", 0, "")
	scr := strings.Join(strings.Fields(f2.Screen()), " ")
	if f2.Plan().Call.Get("reason") != "" || !strings.Contains(scr, "same request already went through") || !strings.Contains(scr, first) {
		t.Fatalf("second confirmation (first key %s):\n%s", first, f2.Screen())
	}
	// One y does not send a repeat (before, it did): the word does.
	if !strings.Contains(scr, "Type again and press enter to send") {
		t.Fatalf("a repeat is confirmed like a first request:\n%s", f2.Screen())
	}
	send2() // typed as the word's first letter, not a send
	if n := e.Reqs.Count("POST /v1/refunds"); n != 1 {
		t.Fatalf("%d refunds sent, want 1", n)
	}
	typ("\bagain\n")
	waitState(t, f2, "done")
	if n := e.Reqs.Count("POST /v1/refunds"); n != 2 {
		t.Fatalf("%d refunds sent after the word, want 2", n)
	}
}
