package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/goldens"
)

// oneOffConfirm fills the new-invoice form of a usd customer with one
// item and asks for the email.
func oneOffConfirm(t *testing.T, e *actenv.Env, cus storage.Envelope, w, h int) (*actions.Flow, *teatest.TestModel) {
	t.Helper()
	f := open(t, e.Session(actenv.Admin), billing.ActionInvoiceCreate, cus)
	tm := runAt(t, f, w, h)
	focus(t, f, "items[0].description")
	typeText(tm, "Onboarding workshop")
	press(tm, tea.KeyEnter)
	focus(t, f, "items[0].amount")
	typeText(tm, "120")
	tabTo(t, tm, f, "send")
	press(tm, tea.KeyDown) // yes
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	return f, tm
}

func usdCustomer(e *actenv.Env) storage.Envelope {
	return e.Find(storage.KindCustomer, "usd", func(m map[string]any) bool { return actenv.Str(m, "currency") == "usd" })
}

// TestOneOffInvoiceEndToEnd: the customer page's new-invoice form sends
// the item, the invoice, its finalization and its email once each.
func TestOneOffInvoiceEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	cus := usdCustomer(e)
	f, tm := oneOffConfirm(t, e, cus, 120, 36)
	if s := f.Screen(); !strings.Contains(s, "1. POST /v1/invoiceitems") || !strings.Contains(s, "/send") || !strings.Contains(s, "$120.00") {
		t.Fatalf("confirmation:\n%s", s)
	}
	sendConfirmed(t, tm, f)
	rec := lastAudit(t, e, f)
	it := e.Client.API().Invoices.List(&stripe.InvoiceListParams{Customer: stripe.String(cus.ID)})
	n := 0
	for it.Next() {
		if inv := it.Invoice(); inv.Metadata[billing.IntentMetadataKey] == rec.Key {
			n++
			if inv.Status != "open" || inv.Total != 12000 {
				t.Fatalf("invoice %s: %s %d", inv.ID, inv.Status, inv.Total)
			}
		}
	}
	if n != 1 || f.Sent() != 1 {
		t.Fatalf("%d invoices for the intent, sent %d", n, f.Sent())
	}
}

func TestGoldenOneOffInvoiceConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := usdCustomer(e)
	for _, size := range goldenSizes {
		t.Run(size.name, func(t *testing.T) {
			_, tm := oneOffConfirm(t, e, cus, size.w, size.h)
			goldens.RequireEqual(t, stable(final(t, tm)))
		})
	}
}

// TestOneOffConfirmationSaysItsSteps: the confirmation lists exactly the
// steps that will run with their keys: the invoice's key is the intent's,
// and there is no send step (nor its key) when "Email it" is no. Before,
// it read "(none for the invoice), -finalize, -send" whatever was chosen.
func TestOneOffConfirmationSaysItsSteps(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := usdCustomer(e)
	for _, send := range []bool{false, true} {
		f := open(t, e.Session(actenv.Admin), billing.ActionInvoiceCreate, cus)
		tm := runAt(t, f, 120, 36)
		focus(t, f, "items[0].description")
		typeText(tm, "Onboarding workshop")
		press(tm, tea.KeyEnter)
		focus(t, f, "items[0].amount")
		typeText(tm, "120")
		tabTo(t, tm, f, "send")
		if send {
			press(tm, tea.KeyDown) // yes
		}
		press(tm, tea.KeyEnter)
		waitState(t, f, "confirm")
		scr := strings.Join(strings.Fields(f.Screen()), " ")
		want := "Step keys item1 = key-item1 · invoice = key · finalize = key-finalize"
		if send {
			want += " · send = key-send"
		}
		if !strings.Contains(scr, want) || strings.Contains(scr, "none for the invoice") {
			t.Errorf("send %v: confirmation lacks %q:\n%s", send, want, f.Screen())
		}
		if !send && (strings.Contains(scr, "-send") || strings.Contains(scr, "/send")) {
			t.Errorf("no email asked, yet a send step:\n%s", f.Screen())
		}
		_ = tm.Quit()
	}
}

// TestCurrencyFieldLooksEmpty: on a customer without a currency the
// currency field of the one-off and credit forms starts empty and looks it
// (no "usd" placeholder drawn like a value), and says what to type. Before,
// "> usd" looked filled in and Enter answered "choose the invoice's
// currency".
func TestCurrencyFieldLooksEmpty(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := e.Find(storage.KindCustomer, "without a currency", func(m map[string]any) bool { return m["currency"] == nil })
	for _, a := range []billing.Action{billing.ActionInvoiceCreate, billing.ActionCredit} {
		f := open(t, e.Session(actenv.Admin), a, cus)
		tm := runAt(t, f, 120, 36)
		waitFor(t, tm, "three letters")
		if strings.Contains(f.Screen(), "> usd") || strings.Contains(f.Screen(), "> u\n") {
			t.Errorf("%s: the currency field looks filled in:\n%s", a, f.Screen())
		}
	}
}
