package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/goldens"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// oneOffDraft creates an invoice item of amount (minor units, usd) for a
// usd customer and a one-off draft invoice that takes it, through
// stripe-go, and waits for the draft in the cache.
func oneOffDraft(t *testing.T, e *actenv.Env, amount int64, skip string) storage.Envelope {
	t.Helper()
	cus := e.Find(storage.KindCustomer, "usd", func(m map[string]any) bool {
		return actenv.Str(m, "currency") == "usd" && actenv.Str(m, "id") != skip
	})
	api := e.Client.API()
	if _, err := api.InvoiceItems.New(&stripe.InvoiceItemParams{Customer: stripe.String(cus.ID), Amount: stripe.Int64(amount),
		Currency: stripe.String("usd"), Description: stripe.String("Onboarding workshop")}); err != nil {
		t.Fatal(err)
	}
	inv, err := api.Invoices.New(&stripe.InvoiceParams{Customer: stripe.String(cus.ID),
		PendingInvoiceItemsBehavior: stripe.String("include")})
	if err != nil {
		t.Fatal(err)
	}
	e.WaitCache(storage.KindInvoice, inv.ID, "draft", func(m map[string]any) bool { return actenv.Str(m, "status") == "draft" })
	env, err := e.Store.Get(storage.KindInvoice, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// TestDraftFinalizeThenDeleteEndToEnd: a one-off draft is finalized from
// its page (no word: it is not final for the customer), another is
// deleted only once "delete" is typed; both land on Stripe once and in
// the cache by webhook.
func TestDraftFinalizeThenDeleteEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	fin := oneOffDraft(t, e, 12000, "")
	del := oneOffDraft(t, e, 3000, fin.Customer)
	support := billing.Operator{Name: "sue@desk", Role: billing.RoleSupport}
	if ok, _ := e.Session(support).CanAct(billing.ActionInvoiceFinalize); ok {
		t.Fatal("support may finalize invoices")
	}

	f := open(t, e.Session(actenv.Admin), billing.ActionInvoiceFinalize, fin)
	tm, _ := run(t, e, f)
	waitFor(t, tm, "Press y to send.")
	if s := f.Screen(); !strings.Contains(s, "draft → open") || !strings.Contains(s, "$120.00") {
		t.Fatalf("finalize confirmation:\n%s", s)
	}
	sendConfirmed(t, tm, f)
	if st := actenv.Str(e.Object(storage.KindInvoice, fin.ID), "status"); st != "open" {
		t.Fatalf("finalized draft is %s", st)
	}
	e.WaitCache(storage.KindInvoice, fin.ID, "open", func(m map[string]any) bool { return actenv.Str(m, "status") == "open" })
	lastAudit(t, e, f)
	_ = tm.Quit()

	f = open(t, e.Session(actenv.Admin), billing.ActionInvoiceDelete, del)
	tm, _ = run(t, e, f)
	waitFor(t, tm, "IRREVERSIBLE", "Type delete")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "type delete and press enter")
	if f.Sent() != 0 {
		t.Fatal("delete was sent without its word")
	}
	typeText(tm, "delete")
	sendConfirmed(t, tm, f)
	if _, err := e.Client.Retrieve(t.Context(), storage.KindInvoice, del.ID); !billing.IsNotFound(err) || f.Sent() != 1 {
		t.Fatalf("after the word: retrieve %v, sent %d", err, f.Sent())
	}
	lastAudit(t, e, f)
	// The finalized one is open now: neither key applies to it.
	for _, a := range []billing.Action{billing.ActionInvoiceFinalize, billing.ActionInvoiceDelete} {
		msg := actions.OpenAction(e.Session(actenv.Admin), a, fin.ID)()
		if toast, ok := msg.(common.ToastMsg); !ok || !strings.Contains(toast.Text, "invoice is open") {
			t.Fatalf("%s on an open invoice: %#v", a, msg)
		}
	}
}

// TestDisputeAcceptNeedsItsWord: accepting a dispute is final: Enter
// alone sends nothing, "accept" sends it once, and the dispute is lost.
func TestDisputeAcceptNeedsItsWord(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150})
	dp := openDispute(e)
	if ok, _ := e.Session(billing.Operator{Name: "sue@desk", Role: billing.RoleSupport}).CanAct(billing.ActionDisputeAccept); ok {
		t.Fatal("support may accept disputes")
	}
	f := open(t, e.Session(actenv.Admin), billing.ActionDisputeAccept, dp)
	tm, _ := run(t, e, f)
	waitFor(t, tm, "IRREVERSIBLE", "Type accept")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "type accept and press enter")
	if f.Sent() != 0 {
		t.Fatal("accept was sent without its word")
	}
	typeText(tm, "accept")
	sendConfirmed(t, tm, f)
	st := actenv.Str(e.Object(storage.KindDispute, dp.ID), "status")
	if (st != "lost" && st != "warning_closed") || f.Sent() != 1 {
		t.Fatalf("after the word: status %s, sent %d", st, f.Sent())
	}
	e.WaitCache(storage.KindDispute, dp.ID, st, func(m map[string]any) bool { return actenv.Str(m, "status") == st })
	lastAudit(t, e, f)
	// Accepting moves no money of ours: the result names the amount as
	// the disputed one, not as an amount paid or refunded.
	if screen := f.Screen(); !strings.Contains(screen, "Disputed amount") {
		t.Fatalf("result does not call the amount disputed:\n%s", screen)
	}
}

// goldenSizes are the console sizes the confirmations are drawn at.
var goldenSizes = []struct {
	name string
	w, h int
}{{"120x36", pagetest.Width, pagetest.Height}, {"80x24", 80, 24}}

func TestGoldenDisputeAcceptConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true, Customers: 150})
	dp := openDispute(e)
	for _, size := range goldenSizes {
		t.Run(size.name, func(t *testing.T) {
			f := open(t, e.Session(actenv.Admin), billing.ActionDisputeAccept, dp)
			tm := runAt(t, f, size.w, size.h)
			waitState(t, f, "confirm")
			goldens.RequireEqual(t, stable(final(t, tm)))
		})
	}
}

func TestGoldenDraftDeleteConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	draft := oneOffDraft(t, e, 4500, "")
	for _, size := range goldenSizes {
		t.Run(size.name, func(t *testing.T) {
			f := open(t, e.Session(actenv.Admin), billing.ActionInvoiceDelete, draft)
			tm := runAt(t, f, size.w, size.h)
			waitState(t, f, "confirm")
			goldens.RequireEqual(t, stable(final(t, tm)))
		})
	}
}
