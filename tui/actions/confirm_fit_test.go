package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// TestConfirmationFitsSmallTerminals: a confirmation taller than the page
// keeps its prompt on screen and scrolls the plan above it. Before, at
// 80x24 a plan change's confirmation ended above "Press y to send"
// and no key reached it, and an irreversible call's "Type cancel" prompt
// and its input were below the screen, so the word was typed blind.
func TestConfirmationFitsSmallTerminals(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	visible := func(f interface{ Screen() string }, h int) []string {
		lines := strings.Split(f.Screen(), "\n")
		if len(lines) > h {
			t.Fatalf("the page drew %d lines in a %d-line page:\n%s", len(lines), h, f.Screen())
		}
		return lines
	}

	// A plan change with its upcoming-invoice preview, 80x20.
	sub := activeSub(e, "")
	f := open(t, e.Session(actenv.Admin), billing.ActionPlanChange, sub)
	tm := runAt(t, f, 80, 20)
	focus(t, f, "price")
	press(tm, tea.KeyDown)
	press(tm, tea.KeyEnter)
	focus(t, f, "quantity")
	press(tm, tea.KeyEnter)
	focus(t, f, "proration")
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	waitFor(t, tm, "Press y to send.", "scroll")
	if s := strings.Join(visible(f, 20), "\n"); strings.Contains(s, "Amount due") {
		t.Fatalf("the preview's end should be below the fold at 80x20:\n%s", s)
	}
	// The renderer repaints changed lines only: the pinned prompt is
	// checked on the page's own view.
	onScreen := func(f interface{ Screen() string }, h int, want ...string) {
		t.Helper()
		s := strings.Join(visible(f, h), "\n")
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Fatalf("%q is not on screen:\n%s", w, s)
			}
		}
	}
	press(tm, tea.KeyEnd)
	waitFor(t, tm, "Amount due")
	onScreen(f, 20, "Amount due", "Press y to send.")
	press(tm, tea.KeyHome)
	waitFor(t, tm, "Confirm: Change the plan")
	onScreen(f, 20, "Confirm: Change the plan", "Press y to send.")

	// Cancel now: the typed word's prompt and input show at 80x12.
	sub2 := activeSub(e, sub.ID)
	g := open(t, e.Session(actenv.Admin), billing.ActionCancel, sub2)
	tm2 := runAt(t, g, 80, 12)
	focus(t, g, "mode")
	press(tm2, tea.KeyDown)
	press(tm2, tea.KeyEnter)
	focus(t, g, "comment")
	press(tm2, tea.KeyEnter)
	waitFor(t, tm2, "Type cancel", "> _")
	typeText(tm2, "canc")
	waitFor(t, tm2, "> canc_")
	onScreen(g, 12, "Type cancel", "> canc_")
	if g.Sent() != 0 {
		t.Fatal("sent before the word was complete")
	}
}
