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

func paste(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true} }

// TestMultiLinePasteKeepsLineBreaks: a paste into a multi-line field (a
// cancellation's comment) with the line breaks terminals send — CR LF, a
// lone CR — and LF is sent to Stripe with each as LF; a paste holding another
// control character is refused whole. Before, any CR refused the paste and
// LF became a space.
func TestMultiLinePasteKeepsLineBreaks(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	sub := activeSub(e, "")
	f := open(t, e.Session(actenv.Admin), billing.ActionCancel, sub)
	tm, h := run(t, e, f)
	focus(t, f, "mode") // at period end is preselected
	press(tm, tea.KeyEnter)
	focus(t, f, "comment")
	tm.Send(paste("Bad \x1b[2Jpaste"))
	tm.Send(paste("Moving on.\r\nPrice too high\rand\nno reply"))
	waitFor(t, tm, "no reply")
	press(tm, tea.KeyEnter)
	sendConfirmed(t, tm, f)
	got := f.Plan().Call.Get("cancellation_details[comment]")
	if want := "Moving on.\nPrice too high\nand\nno reply"; got != want {
		t.Fatalf("comment sent to Stripe %q, want %q (call %s)", got, want, f.Plan().Call)
	}
	if !actenv.Bool(e.Object(storage.KindSubscription, sub.ID), "cancel_at_period_end") {
		t.Fatal("the cancellation did not reach Stripe")
	}
	refused := false
	for _, m := range h.Routed() {
		if tm, ok := m.(common.ToastMsg); ok && strings.Contains(tm.Text, "U+001B (escape) at character 5: nothing was pasted") {
			refused = true
		}
	}
	if !refused {
		t.Fatalf("the paste with ESC was not refused by name: %v", h.Routed())
	}
}

// TestOneLinePasteRefusesLineBreaks: a paste with a line break (LF, CR LF)
// or a TAB into a one-line field (a customer's name) is refused with the
// character named and the field left as it was; before, LF was silently
// turned into a space.
func TestOneLinePasteRefusesLineBreaks(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := liveCustomer(e)
	tm := rootWith(t, e, pagetest.Width, pagetest.Height)
	tm.Send(common.ActionRequestMsg{Action: billing.ActionCustomerEdit, Target: cus.ID})
	waitFor(t, tm, "Email")
	tm.Send(paste("Chen\nSuzuki"))
	waitFor(t, tm, "The pasted text contains U+000A (newline) at character 5: nothing was pasted")
	tm.Send(paste("Chen\r\nSuzuki"))
	waitFor(t, tm, "U+000D (carriage return) at character 5: nothing was pasted")
	tm.Send(paste("Chen\tSuzuki"))
	waitFor(t, tm, "U+0009 (tab) at character 5: nothing was pasted")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
	if strings.Contains(view, "Chen Suzuki") || strings.Contains(view, "Suzuki") {
		t.Fatalf("a refused paste reached the field:\n%s", view)
	}
}
