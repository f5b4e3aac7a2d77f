package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// TestConfirmationSanitisesStripeText: a customer name holding terminal
// control sequences (set through Stripe's API, as any customer can) reaches
// the confirmation escaped, never raw. Before, the confirmation's rows
// (names, descriptions, reasons read fresh from Stripe) were drawn as they
// came, so a name could retitle the operator's terminal.
func TestConfirmationSanitisesStripeText(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := e.Find(storage.KindCustomer, "usd", func(m map[string]any) bool { return actenv.Str(m, "currency") == "usd" })
	hostile := "Eve \x1b]0;pwned\x07\x1b[2J\u009b31m"
	if _, err := e.Client.API().Customers.Update(cus.ID, &stripe.CustomerParams{Name: stripe.String(hostile)}); err != nil {
		t.Fatal(err)
	}
	f := open(t, e.Session(actenv.Admin), billing.ActionCredit, cus)
	tm, _ := run(t, e, f)
	focus(t, f, "direction")
	press(tm, tea.KeyEnter)
	focus(t, f, "amount")
	typeText(tm, "1.00")
	press(tm, tea.KeyEnter)
	focus(t, f, "description")
	typeText(tm, "goodwill")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Press y to send.")
	screen := f.Screen()
	if !strings.Contains(screen, "Eve ") {
		t.Fatalf("the customer's name is not on the confirmation:\n%s", screen)
	}
	for _, raw := range []string{"\x1b]", "\x07", "\x1b[2J", "\u009b"} {
		if strings.Contains(screen, raw) {
			t.Fatalf("raw control sequence %q reached the confirmation:\n%q", raw, screen)
		}
	}
	final(t, tm)
}
