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
	"github.com/paydesk/paydesk/tui/resources"
)

// openOneOff is a one-off invoice of amount (usd minor units), finalized
// (open) and cached.
func openOneOff(t *testing.T, e *actenv.Env, amount int64) storage.Envelope {
	t.Helper()
	d := oneOffDraft(t, e, amount, "")
	if _, err := e.Client.API().Invoices.FinalizeInvoice(d.ID, &stripe.InvoiceFinalizeInvoiceParams{}); err != nil {
		t.Fatal(err)
	}
	e.WaitCache(storage.KindInvoice, d.ID, "open", func(m map[string]any) bool { return actenv.Str(m, "status") == "open" })
	env, err := e.Store.Get(storage.KindInvoice, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// creditNoteConfirm fills the credit note form of an open invoice.
func creditNoteConfirm(t *testing.T, e *actenv.Env, inv storage.Envelope, w, h int) (*actions.Flow, *teatest.TestModel) {
	t.Helper()
	f := open(t, e.Session(actenv.Admin), billing.ActionCreditNote, inv)
	tm := runAt(t, f, w, h)
	focus(t, f, "amount")
	typeText(tm, "12.50")
	press(tm, tea.KeyEnter)
	focus(t, f, "reason")
	press(tm, tea.KeyDown) // duplicate
	press(tm, tea.KeyEnter)
	focus(t, f, "memo")
	typeText(tm, "billed twice")
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	return f, tm
}

// TestCreditNoteThenVoidEndToEnd: a credit note on an open invoice shows
// Stripe's preview, lowers the amount due once, appears on the invoice's
// cached credit notes; voiding it takes its word and gives the amount back.
func TestCreditNoteThenVoidEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	inv := openOneOff(t, e, 5000)
	f, tm := creditNoteConfirm(t, e, inv, 120, 36)
	if s := f.Screen(); !strings.Contains(s, "(pre_payment)") || !strings.Contains(s, "$50.00 → $37.50") {
		t.Fatalf("confirmation:\n%s", s)
	}
	sendConfirmed(t, tm, f)
	if due := actenv.Num(e.Object(storage.KindInvoice, inv.ID), "amount_due"); due != 3750 {
		t.Fatalf("amount due %d", due)
	}
	rec := lastAudit(t, e, f)
	_ = tm.Quit()
	it := e.Client.API().CreditNotes.List(&stripe.CreditNoteListParams{Invoice: stripe.String(inv.ID)})
	var cn *stripe.CreditNote
	for it.Next() {
		if cn != nil {
			t.Fatal("two credit notes")
		}
		cn = it.CreditNote()
	}
	if it.Err() != nil || cn == nil {
		t.Fatalf("credit notes of %s: %v", inv.ID, it.Err())
	}
	if cn.Metadata[billing.IntentMetadataKey] != rec.Key {
		t.Fatalf("credit note metadata %v, intent %s", cn.Metadata, rec.Key)
	}
	e.WaitCache(storage.KindCreditNote, cn.ID, "issued", func(m map[string]any) bool { return actenv.Str(m, "status") == "issued" })
	env, err := e.Store.Get(storage.KindCreditNote, cn.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The invoice's page lists it from the cache, and its own page opens
	// with the void key offered.
	page := resources.Open(e.Session(actenv.Admin), storage.KindInvoice, inv.ID)
	page.SetSize(160, 200)
	page.Init()
	if v := page.View(); !strings.Contains(v, "Credit notes") || !strings.Contains(v, cn.ID) {
		t.Fatalf("invoice page does not list %s:\n%s", cn.ID, v)
	}
	cnPage := resources.Open(e.Session(actenv.Admin), storage.KindCreditNote, cn.ID)
	cnPage.SetSize(160, 60)
	cnPage.Init()
	if v := cnPage.View(); !strings.Contains(v, "Credit note") || !strings.Contains(v, "pre_payment") {
		t.Fatalf("credit note page:\n%s", v)
	}

	f = open(t, e.Session(actenv.Admin), billing.ActionCreditNoteVoid, env)
	tm, _ = run(t, e, f)
	waitFor(t, tm, "IRREVERSIBLE", "Type void")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "type void and press enter")
	if f.Sent() != 0 {
		t.Fatal("void was sent without its word")
	}
	typeText(tm, "void")
	sendConfirmed(t, tm, f)
	if due := actenv.Num(e.Object(storage.KindInvoice, inv.ID), "amount_due"); due != 5000 || f.Sent() != 1 {
		t.Fatalf("after the void: amount due %d, sent %d", due, f.Sent())
	}
	e.WaitCache(storage.KindCreditNote, cn.ID, "void", func(m map[string]any) bool { return actenv.Str(m, "status") == "void" })
	lastAudit(t, e, f)
}

func TestGoldenCreditNoteConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	inv := openOneOff(t, e, 5000)
	for _, size := range goldenSizes {
		t.Run(size.name, func(t *testing.T) {
			_, tm := creditNoteConfirm(t, e, inv, size.w, size.h)
			goldens.RequireEqual(t, stable(final(t, tm)))
		})
	}
}

// TestGoldenCreditNotePaidForm: on a paid invoice the form splits the
// amount between refund, balance credit and out of band.
func TestGoldenCreditNotePaidForm(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	inv := e.Find(storage.KindInvoice, "paid with a charge", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "paid" && actenv.Str(m, "charge") != "" && actenv.Num(m, "total") > 0
	})
	for _, size := range goldenSizes {
		t.Run(size.name, func(t *testing.T) {
			f := open(t, e.Session(actenv.Admin), billing.ActionCreditNote, inv)
			tm := runAt(t, f, size.w, size.h)
			focus(t, f, "amount")
			typeText(tm, "5")
			press(tm, tea.KeyEnter)
			focus(t, f, "refund_amount")
			typeText(tm, "5")
			goldens.RequireEqual(t, stable(final(t, tm)))
		})
	}
}

func TestGoldenCreditNoteVoidConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	inv := openOneOff(t, e, 5000)
	cn, err := e.Client.API().CreditNotes.New(&stripe.CreditNoteParams{Invoice: stripe.String(inv.ID), Amount: stripe.Int64(700)})
	if err != nil {
		t.Fatal(err)
	}
	e.WaitCache(storage.KindCreditNote, cn.ID, "issued", func(m map[string]any) bool { return actenv.Str(m, "status") == "issued" })
	env, err := e.Store.Get(storage.KindCreditNote, cn.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range goldenSizes {
		t.Run(size.name, func(t *testing.T) {
			f := open(t, e.Session(actenv.Admin), billing.ActionCreditNoteVoid, env)
			tm := runAt(t, f, size.w, size.h)
			waitState(t, f, "confirm")
			goldens.RequireEqual(t, stable(final(t, tm)))
		})
	}
}
