package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// TestWarningsBesideThePrompt: a plan change to a price of another billing
// interval warns that Stripe resets the cycle and invoices now. At the page
// sizes of an 80x24 and a 120x36 terminal the warning is on screen beside
// "Press y to send."; at 80x24 the confirmation is taller than the page and
// the warning was in the plan below the fold.
func TestWarningsBesideThePrompt(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := activeSub(e, "")
	m := e.Object(sub.Kind, sub.ID)
	cur := actenv.Str(m, "items.data.0.price.id")
	opts, err := e.Acts.PriceOptions(actenv.Str(m, "currency"), 200)
	if err != nil {
		t.Fatal(err)
	}
	interval := ""
	for _, o := range opts {
		if o.ID == cur {
			interval = o.Interval
		}
	}
	pick := -1
	for i, o := range opts {
		if o.Interval != interval && interval != "" {
			pick = i + 1 // after "keep the current price"
			break
		}
	}
	if pick < 0 {
		t.Fatalf("no price of another interval than %q (%s) among %d", interval, cur, len(opts))
	}
	const warning = "! the billing interval changes"
	// The body of an 80x24 and a 120x36 terminal (header and footer take 3 lines).
	for _, size := range [][2]int{{80, 21}, {120, 33}} {
		f := open(t, e.Session(actenv.Admin), billing.ActionPlanChange, sub)
		tm := runAt(t, f, size[0], size[1])
		focus(t, f, "price")
		for range pick {
			press(tm, tea.KeyDown)
		}
		press(tm, tea.KeyEnter)
		focus(t, f, "quantity")
		press(tm, tea.KeyEnter)
		focus(t, f, "proration")
		press(tm, tea.KeyEnter)
		waitState(t, f, "confirm")
		waitFor(t, tm, "Press y to send.")
		p := f.Plan()
		if len(p.Warnings) == 0 || !strings.HasPrefix("! "+p.Warnings[0], warning) {
			t.Fatalf("%dx%d: the plan does not warn of the interval: %q", size[0], size[1], p.Warnings)
		}
		s := f.Screen()
		lines := strings.Split(s, "\n")
		if len(lines) > size[1] {
			t.Fatalf("%dx%d: the page drew %d lines:\n%s", size[0], size[1], len(lines), s)
		}
		if size[0] == 80 && !strings.Contains(s, "scroll") {
			t.Fatalf("%dx%d: expected a confirmation taller than the page:\n%s", size[0], size[1], s)
		}
		w, y := -1, -1
		for i, l := range lines {
			if strings.Contains(l, warning) {
				w = i
			}
			if strings.Contains(l, "Press y to send.") {
				y = i
			}
		}
		if w < 0 || y < 0 || w > y {
			t.Fatalf("%dx%d: the warning is not on screen above the prompt:\n%s", size[0], size[1], s)
		}
	}
}
