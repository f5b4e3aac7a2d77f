package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// TestFormChecksOnTheField: what billing would refuse after the form is
// sent is refused on the field itself, under it, in the one "✗" style:
// a credit note above what is left to credit, an email without a domain,
// an item with a description and no amount (the cursor stays on that
// amount). Clearing a customer's email is warned of on the confirmation.
// Before, the credit note and the item were refused only after submit
// (the item's error left under Amount 2 while the cursor went on), and
// the email error read `* "maya@" is not an email address` at the bottom.
func TestFormChecksOnTheField(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	t.Run("credit note over what is left", func(t *testing.T) {
		inv := openOneOff(t, e, 900)
		f := open(t, e.Session(actenv.Admin), billing.ActionCreditNote, inv)
		tm := runAt(t, f, 80, 24)
		focus(t, f, "amount")
		typeText(tm, "10")
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "can still be credited")
		if s := f.Screen(); f.Focused() != "amount" || !strings.Contains(s, "✗ At most "+money.Format(900, "usd")+" can still be credited on this invoice") {
			t.Fatalf("credit note of 10 left the field (%s):\n%s", f.Focused(), s)
		}
	})
	t.Run("email", func(t *testing.T) {
		cus := liveCustomer(e)
		f := open(t, e.Session(supportOp), billing.ActionCustomerEdit, cus)
		tm := runAt(t, f, 80, 24)
		focus(t, f, "email")
		clearField(tm)
		typeText(tm, "maya@")
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "is not an email address")
		s := f.Screen()
		if f.Focused() != "email" || !strings.Contains(s, `✗ "maya@" is not an email address`) || strings.Contains(s, `* "maya@"`) {
			t.Fatalf("email check (%s):\n%s", f.Focused(), s)
		}
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if strings.Contains(l, "is not an email address") && (i < 2 || !strings.Contains(strings.Join(lines[max(0, i-3):i], "\n"), "Email")) {
				t.Fatalf("the error is not under the Email field:\n%s", s)
			}
		}
		// Cleared: the confirmation warns that nothing is emailed any more.
		clearField(tm)
		submitForm(t, tm, f)
		waitState(t, f, "confirm")
		if s := strings.Join(strings.Fields(f.Screen()), " "); !strings.Contains(s, "invoices and receipts will no longer be emailed") {
			t.Fatalf("clearing the email is not warned of:\n%s", f.Screen())
		}
	})
	t.Run("item without amount", func(t *testing.T) {
		cus := e.Find(storage.KindCustomer, "usd", func(m map[string]any) bool { return actenv.Str(m, "currency") == "usd" })
		f := open(t, e.Session(actenv.Admin), billing.ActionInvoiceCreate, cus)
		tm := runAt(t, f, pagetest.Width, pagetest.Height)
		focus(t, f, "items[0].description")
		typeText(tm, "Workshop")
		press(tm, tea.KeyEnter)
		focus(t, f, "items[0].amount")
		typeText(tm, "10")
		press(tm, tea.KeyEnter)
		focus(t, f, "items[1].description")
		typeText(tm, "Travel")
		press(tm, tea.KeyEnter)
		focus(t, f, "items[1].amount")
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "Enter an amount")
		if f.Focused() != "items[1].amount" || f.State() != "form" {
			t.Fatalf("an item without amount let the cursor go to %s (%s):\n%s", f.Focused(), f.State(), f.Screen())
		}
	})
}
