package actions_test

import (
	"encoding/json"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// TestCreditNoteFormSaysWhatWasRefundedOutside: a paid €9.00 invoice whose
// charge got €3.50 back by a refund made directly on it: the credit note
// form says so beside "left to credit €9.00", the refund part is held to
// the €5.50 the charge has left, and the confirmation says it again.
func TestCreditNoteFormSaysWhatWasRefundedOutside(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	api := e.Client.API()
	cus, err := api.Customers.New(&stripe.CustomerParams{Email: stripe.String("refunded@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.InvoiceItems.New(&stripe.InvoiceItemParams{Customer: stripe.String(cus.ID), Amount: stripe.Int64(900),
		Currency: stripe.String("eur"), Description: stripe.String("Workshop")}); err != nil {
		t.Fatal(err)
	}
	inv, err := api.Invoices.New(&stripe.InvoiceParams{Customer: stripe.String(cus.ID), PendingInvoiceItemsBehavior: stripe.String("include")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = api.Invoices.FinalizeInvoice(inv.ID, nil); err != nil {
		t.Fatal(err)
	}
	if inv, err = api.Invoices.Pay(inv.ID, &stripe.InvoicePayParams{PaymentMethod: stripe.String("pm_card_visa")}); err != nil || inv.Charge == nil {
		t.Fatalf("pay: %v", err)
	}
	if _, err := api.Refunds.New(&stripe.RefundParams{Charge: stripe.String(inv.Charge.ID), Amount: stripe.Int64(350)}); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(e.Object(storage.KindInvoice, inv.ID))
	if err != nil {
		t.Fatal(err)
	}
	fields, err := storage.ExtractFields(raw)
	if err != nil {
		t.Fatal(err)
	}
	env := storage.Envelope{Fields: fields, Raw: raw}

	f := open(t, e.Session(actenv.Admin), billing.ActionCreditNote, env)
	tm := runAt(t, f, 120, 40)
	focus(t, f, "amount")
	scr := strings.Join(strings.Fields(f.Screen()), " ")
	if !strings.Contains(scr, "left to credit €9.00") || !strings.Contains(scr, "€3.50 already refunded on the charge outside credit notes") {
		t.Fatalf("form:\n%s", f.Screen())
	}
	typeText(tm, "9")
	press(tm, tea.KeyEnter)
	focus(t, f, "refund_amount")
	typeText(tm, "9")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "€5.50 is left to refund on the charge")
	clearField(tm)
	typeText(tm, "5.50")
	press(tm, tea.KeyEnter)
	focus(t, f, "credit_amount")
	typeText(tm, "3.50")
	for _, field := range []string{"credit_amount", "out_of_band_amount", "reason", "memo"} {
		focus(t, f, field)
		press(tm, tea.KeyEnter)
	}
	waitState(t, f, "confirm")
	scr = strings.Join(strings.Fields(f.Screen()), " ")
	if !strings.Contains(scr, "€3.50 already refunded on the charge outside credit notes") || !strings.Contains(scr, "€12.50 goes back") {
		t.Fatalf("confirmation:\n%s", f.Screen())
	}
}
