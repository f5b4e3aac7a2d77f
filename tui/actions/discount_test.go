package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/goldens"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// discountConfirm opens D on sub as support and types code.
func discountConfirm(t *testing.T, e *actenv.Env, sub storage.Envelope, code string, w, h int) (*actions.Flow, *teatest.TestModel) {
	t.Helper()
	f := open(t, e.Session(supportOp), billing.ActionDiscount, sub)
	tm := runAt(t, f, w, h)
	focus(t, f, "mode")
	press(tm, tea.KeyEnter)
	focus(t, f, "code")
	typeText(tm, code)
	press(tm, tea.KeyEnter)
	return f, tm
}

func activeSubscription(e *actenv.Env) storage.Envelope {
	return e.Find(storage.KindSubscription, "active", func(m map[string]any) bool { return actenv.Str(m, "status") == "active" })
}

// TestDiscountFlow: an expired code is refused on its field; a current
// one is confirmed with its terms and applied on the sandbox.
func TestDiscountFlow(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := activeSubscription(e)
	f, tm0 := discountConfirm(t, e, sub, "BLACKFRIDAY", pagetest.Width, pagetest.Height)
	waitFor(t, tm0, "expired on")
	focus(t, f, "code")
	if f.State() != "form" {
		t.Fatalf("an expired code:\n%s", f.Screen())
	}
	f, tm := discountConfirm(t, e, sub, "SPRING25", pagetest.Width, pagetest.Height)
	waitState(t, f, "confirm")
	if !strings.Contains(f.Screen(), "25% off for 3 months") {
		t.Fatalf("confirmation:\n%s", f.Screen())
	}
	typeText(tm, "y")
	waitState(t, f, "done")
	if got := actenv.Str(e.Object(storage.KindSubscription, sub.ID), "discount.coupon.name"); got != "Spring 25%" {
		t.Fatalf("sandbox discount %q", got)
	}
}

func TestGoldenDiscountConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	f, tm := discountConfirm(t, e, activeSubscription(e), "SPRING25", pagetest.Width, pagetest.Height)
	waitState(t, f, "confirm")
	goldens.RequireEqual(t, stable(final(t, tm)))
}

func TestGoldenDiscountConfirmation80x24(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	f, tm := discountConfirm(t, e, activeSubscription(e), "SPRING25", 80, 24)
	waitState(t, f, "confirm")
	goldens.RequireEqual(t, stable(final(t, tm)))
}

// TestDiscountCodeFieldStartsEmpty: the code field shows no example code:
// its placeholder was SPRING25, a real, active 25%-off code, drawn like a
// value in a plain terminal.
func TestDiscountCodeFieldStartsEmpty(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	f := open(t, e.Session(supportOp), billing.ActionDiscount, activeSubscription(e))
	tm := runAt(t, f, pagetest.Width, pagetest.Height)
	focus(t, f, "mode")
	press(tm, tea.KeyEnter)
	focus(t, f, "code")
	waitFor(t, tm, "for applying only")
	if strings.Contains(f.Screen(), "SPRING25") {
		t.Fatalf("the code field shows a real code:\n%s", f.Screen())
	}
}
