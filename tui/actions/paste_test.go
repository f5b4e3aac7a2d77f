package actions_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// TestPasteWithControlCharactersIsRefused: a paste into a form that
// carries control characters (a terminal title sequence in a customer's
// name) is refused whole with the character named, instead of reaching the
// field with the controls silently dropped (which sent "Chen ]0;pwned…" to
// Stripe); a clean paste lands as it is.
func TestPasteWithControlCharactersIsRefused(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := liveCustomer(e)
	tm := rootWith(t, e, pagetest.Width, pagetest.Height)
	tm.Send(common.ActionRequestMsg{Action: billing.ActionCustomerEdit, Target: cus.ID})
	waitFor(t, tm, "Email")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Chen \x1b]0;pwned\x07Suzuki"), Paste: true})
	waitFor(t, tm, "nothing was pasted")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Chen Suzuki"), Paste: true})
	waitFor(t, tm, "Chen Suzuki")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
	if strings.Contains(view, "pwned") {
		t.Fatalf("the refused paste reached the form:\n%s", view)
	}
}
