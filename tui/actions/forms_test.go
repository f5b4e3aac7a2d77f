package actions_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// lastAudit asserts the newest audit record is the flow's plan, succeeded.
func lastAudit(t *testing.T, e *actenv.Env, f *actions.Flow) storage.AuditRecord {
	t.Helper()
	p := f.Plan()
	recs := e.Audit(1)
	if len(recs) != 1 || recs[0].Key != p.Key || recs[0].Action != string(p.Action) || recs[0].Target != p.Target ||
		recs[0].Outcome != billing.OutcomeSucceeded || !strings.HasPrefix(recs[0].RequestID, "req_") {
		t.Fatalf("audit %+v for plan %s %s", recs, p.Action, p.Key)
	}
	return recs[0]
}

func TestCreditEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	cus := e.Find(storage.KindCustomer, "usd", func(m map[string]any) bool { return actenv.Str(m, "currency") == "usd" })
	before := actenv.Num(e.Object(storage.KindCustomer, cus.ID), "balance")
	support := billing.Operator{Name: "sue@desk", Role: billing.RoleSupport}
	f := open(t, e.Session(support), billing.ActionCredit, cus)
	tm, _ := run(t, e, f)
	focus(t, f, "direction") // credit is preselected
	press(tm, tea.KeyEnter)
	focus(t, f, "amount")
	typeText(tm, "12.50")
	press(tm, tea.KeyEnter)
	focus(t, f, "description")
	typeText(tm, "late delivery")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Press y to send.")
	if !strings.Contains(f.Screen(), "$12.50 credit") {
		t.Fatalf("confirmation:\n%s", f.Screen())
	}
	sendConfirmed(t, tm, f)
	if got := actenv.Num(e.Object(storage.KindCustomer, cus.ID), "balance"); got != before-1250 {
		t.Fatalf("sandbox balance %d, want %d", got, before-1250)
	}
	e.WaitCache(storage.KindCustomer, cus.ID, "balance", func(m map[string]any) bool { return actenv.Num(m, "balance") == before-1250 })
	if a := lastAudit(t, e, f); a.Amount != -1250 || a.Operator != "sue@desk" {
		t.Fatalf("audit %+v", a)
	}
}

// activeSub finds an active single-item subscription.
func activeSub(e *actenv.Env, skip string) storage.Envelope {
	return e.Find(storage.KindSubscription, "active with one item", func(m map[string]any) bool {
		items, _ := actenv.Path(m, "items.data").([]any)
		return actenv.Str(m, "status") == "active" && len(items) == 1 && !actenv.Bool(m, "cancel_at_period_end") &&
			actenv.Path(m, "pause_collection") == nil && actenv.Str(m, "id") != skip
	})
}

// planChange opens the plan form on sub, moves the price picker down one
// and confirms with always_invoice... or the default proration.
func planChangeConfirm(t *testing.T, e *actenv.Env, sub storage.Envelope) (*actions.Flow, *teatest.TestModel) {
	t.Helper()
	f := open(t, e.Session(actenv.Admin), billing.ActionPlanChange, sub)
	tm, _ := run(t, e, f)
	focus(t, f, "price")
	press(tm, tea.KeyDown)
	press(tm, tea.KeyEnter)
	focus(t, f, "quantity")
	press(tm, tea.KeyEnter)
	focus(t, f, "proration")
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	return f, tm
}

func TestPlanChangeEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	sub := activeSub(e, "")
	oldPrice := actenv.Str(e.Object(storage.KindSubscription, sub.ID), "items.data.0.price.id")
	f, tm := planChangeConfirm(t, e, sub)
	newPrice := f.Plan().Call.Get("items[0][price]")
	if newPrice == "" || newPrice == oldPrice {
		t.Fatalf("plan keeps the price: %s", f.Plan().Call)
	}
	if s := f.Screen(); !strings.Contains(s, "Upcoming invoice with the change (preview)") || !strings.Contains(s, "Amount due") {
		t.Fatalf("no proration preview:\n%s", s)
	}
	sendConfirmed(t, tm, f)
	if got := actenv.Str(e.Object(storage.KindSubscription, sub.ID), "items.data.0.price.id"); got != newPrice {
		t.Fatalf("sandbox price %s, want %s", got, newPrice)
	}
	e.WaitCache(storage.KindSubscription, sub.ID, "new price", func(m map[string]any) bool {
		return actenv.Str(m, "items.data.0.price.id") == newPrice
	})
	lastAudit(t, e, f)
}

func TestCancelAtPeriodEndEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	sub := activeSub(e, "")
	f := open(t, e.Session(actenv.Admin), billing.ActionCancel, sub)
	tm, _ := run(t, e, f)
	focus(t, f, "mode") // at period end is preselected
	press(tm, tea.KeyEnter)
	focus(t, f, "comment")
	typeText(tm, "moving to a competitor")
	press(tm, tea.KeyEnter)
	sendConfirmed(t, tm, f)
	got := e.Object(storage.KindSubscription, sub.ID)
	if !actenv.Bool(got, "cancel_at_period_end") || actenv.Str(got, "status") != "active" {
		t.Fatalf("sandbox subscription cancel_at_period_end %v status %s", actenv.Bool(got, "cancel_at_period_end"), actenv.Str(got, "status"))
	}
	e.WaitCache(storage.KindSubscription, sub.ID, "cancel_at_period_end", func(m map[string]any) bool { return actenv.Bool(m, "cancel_at_period_end") })
	lastAudit(t, e, f)
}

// TestCancelNowNeedsItsWord: ending a subscription now cannot be undone:
// Enter alone sends nothing, typing "cancel" does, once.
func TestCancelNowNeedsItsWord(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := activeSub(e, "")
	f := open(t, e.Session(actenv.Admin), billing.ActionCancel, sub)
	tm, _ := run(t, e, f)
	focus(t, f, "mode")
	press(tm, tea.KeyDown)
	press(tm, tea.KeyEnter)
	focus(t, f, "comment")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "IRREVERSIBLE", "Type cancel")
	press(tm, tea.KeyEnter)
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Not sent: type cancel and press enter")
	if f.Sent() != 0 || actenv.Str(e.Object(storage.KindSubscription, sub.ID), "status") != "active" {
		t.Fatal("cancel now was sent without its word")
	}
	typeText(tm, "cancel")
	sendConfirmed(t, tm, f)
	if st := actenv.Str(e.Object(storage.KindSubscription, sub.ID), "status"); st != "canceled" || f.Sent() != 1 {
		t.Fatalf("after the word: status %s, sent %d", st, f.Sent())
	}
}

func TestPauseEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	sub := activeSub(e, "")
	f := open(t, e.Session(actenv.Admin), billing.ActionPause, sub)
	tm, _ := run(t, e, f)
	focus(t, f, "mode")
	press(tm, tea.KeyEnter)
	focus(t, f, "behavior")
	press(tm, tea.KeyDown) // mark_uncollectible
	press(tm, tea.KeyEnter)
	focus(t, f, "resumes_at")
	typeText(tm, actenv.Now.AddDate(0, 1, 1).Format("2006-01-02")) // a month and a day after the anchor
	press(tm, tea.KeyEnter)
	sendConfirmed(t, tm, f)
	got := e.Object(storage.KindSubscription, sub.ID)
	if actenv.Str(got, "pause_collection.behavior") != "mark_uncollectible" || actenv.Num(got, "pause_collection.resumes_at") == 0 {
		t.Fatalf("sandbox pause_collection %v", actenv.Path(got, "pause_collection"))
	}
	e.WaitCache(storage.KindSubscription, sub.ID, "paused", func(m map[string]any) bool {
		return actenv.Str(m, "pause_collection.behavior") == "mark_uncollectible"
	})
	lastAudit(t, e, f)
}

func TestInvoiceActionsEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 120})
	page, err := e.Store.List(storage.Query{Kind: storage.KindInvoice, Status: "open", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var open4 []storage.Envelope
	for _, env := range page.Items {
		if env.Amount > 0 && len(open4) < 4 {
			open4 = append(open4, env)
		}
	}
	if len(open4) < 4 {
		t.Fatalf("seed has %d open invoices", len(open4))
	}
	cases := []struct {
		act    billing.Action
		status string
	}{
		{billing.ActionInvoicePay, "paid"},
		{billing.ActionInvoiceVoid, "void"},
		{billing.ActionInvoiceUncollect, "uncollectible"},
		{billing.ActionInvoiceSend, "open"},
	}
	for i, c := range cases {
		inv := open4[i]
		if c.act == billing.ActionInvoicePay {
			params := &stripe.CustomerParams{InvoiceSettings: &stripe.CustomerInvoiceSettingsParams{DefaultPaymentMethod: stripe.String("pm_card_visa")}}
			if _, err := e.Client.API().Customers.Update(inv.Customer, params); err != nil {
				t.Fatal(err)
			}
		}
		// The dunning worklist's "retry now" goes through OpenAction.
		msg := actions.OpenAction(e.Session(actenv.Admin), c.act, inv.ID)()
		push, ok := msg.(common.PushPageMsg)
		if !ok {
			t.Fatalf("%s: OpenAction = %#v", c.act, msg)
		}
		f := push.Page.(*actions.Flow)
		tm, _ := run(t, e, f)
		waitState(t, f, "confirm")
		// Nothing on an invoice action can be edited: e reads Stripe
		// again, and its help says so instead of offering "edit".
		for _, b := range f.ShortHelp() {
			if b.Help().Key == "e" && b.Help().Desc != "read Stripe again" {
				t.Fatalf("%s: e is offered as %q on a form with nothing to edit", c.act, b.Help().Desc)
			}
		}
		if w := f.Plan().ConfirmWord(); w != "" {
			// Void and mark uncollectible are final: the word is typed.
			// An uncollectible invoice can still be paid or voided, and the
			// warning says so rather than "cannot be undone".
			final := "IRREVERSIBLE"
			if c.act == billing.ActionInvoiceUncollect {
				final = "never returns to open"
			}
			waitFor(t, tm, final, "Type "+w)
			typeText(tm, w)
		} else {
			waitFor(t, tm, "Press y to send.")
		}
		sendConfirmed(t, tm, f)
		if got := actenv.Str(e.Object(storage.KindInvoice, inv.ID), "status"); got != c.status {
			t.Fatalf("%s: sandbox status %s, want %s", c.act, got, c.status)
		}
		if c.act != billing.ActionInvoiceSend {
			e.WaitCache(storage.KindInvoice, inv.ID, c.status, func(m map[string]any) bool { return actenv.Str(m, "status") == c.status })
		}
		lastAudit(t, e, f)
		_ = tm.Quit()
	}
	// A paid invoice cannot be paid again: no form opens, the toast says why.
	msg := actions.OpenAction(e.Session(actenv.Admin), billing.ActionInvoicePay, open4[0].ID)()
	if toast, ok := msg.(common.ToastMsg); !ok || !strings.Contains(toast.Text, "invoice is paid") {
		t.Fatalf("retry on a paid invoice: %#v", msg)
	}
}

func writePDF(t *testing.T, name string, size int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte("%PDF-1.4\n"+strings.Repeat("x", size)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func openDispute(e *actenv.Env) storage.Envelope {
	return e.Find(storage.KindDispute, "needing a response", func(m map[string]any) bool {
		return strings.HasSuffix(actenv.Str(m, "status"), "needs_response") && !actenv.Bool(m, "evidence_details.past_due") &&
			actenv.Num(m, "evidence_details.submission_count") == 0
	})
}

// TestEvidenceDraftThenSubmit: a bad file path is refused on the form; a
// draft with text and a file is saved; the submission asks twice, is sent
// once, and the form is blocked afterwards.
func TestEvidenceDraftThenSubmit(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150})
	dp := openDispute(e)
	support := billing.Operator{Name: "sue@desk", Role: billing.RoleSupport}
	f := open(t, e.Session(support), billing.ActionDisputeEvidence, dp)
	tm, _ := run(t, e, f)
	focus(t, f, "access_activity_log")
	tabTo(t, tm, f, "product_description")
	typeText(tm, "Annual plan, used daily")
	tabTo(t, tm, f, "receipt")
	missing := filepath.Join(t.TempDir(), "nope.pdf")
	typeText(tm, missing)
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "no such file")
	if f.Focused() != "receipt" {
		t.Fatalf("a missing file let the form move on to %q", f.Focused())
	}
	clearField(tm)
	typeText(tm, writePDF(t, "receipt.pdf", 2048))
	submitForm(t, tm, f) // draft is preselected
	waitState(t, f, "confirm")
	if p := f.Plan(); p.ConfirmTwice || p.Call.Get("submit") != "false" || len(p.Call.Uploads) != 1 {
		t.Fatalf("draft plan %s", p.Call)
	}
	sendConfirmed(t, tm, f)
	got := e.Object(storage.KindDispute, dp.ID)
	if actenv.Str(got, "evidence.product_description") != "Annual plan, used daily" ||
		!strings.HasPrefix(actenv.Str(got, "evidence.receipt"), "file_") || actenv.Num(got, "evidence_details.submission_count") != 0 {
		t.Fatalf("sandbox evidence after the draft: %v", actenv.Path(got, "evidence"))
	}
	lastAudit(t, e, f)
	e.WaitCache(storage.KindDispute, dp.ID, "draft", func(m map[string]any) bool {
		return actenv.Str(m, "evidence.product_description") == "Annual plan, used daily"
	})
	_ = tm.Quit()

	// Submit, from a fresh form over the updated cache: the draft's text is
	// already there, so only the submission is sent.
	cached, err := e.Store.Get(storage.KindDispute, dp.ID)
	if err != nil {
		t.Fatal(err)
	}
	f = open(t, e.Session(support), billing.ActionDisputeEvidence, cached)
	tm, _ = run(t, e, f)
	focus(t, f, "access_activity_log")
	tabTo(t, tm, f, "submit")
	press(tm, tea.KeyDown)
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "IRREVERSIBLE", "Type submit")
	// Two quick Enters do not send it: the word must be typed.
	press(tm, tea.KeyEnter)
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "type submit and press enter")
	typeText(tm, "sub")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "> sub_")
	if f.Sent() != 0 || actenv.Num(e.Object(storage.KindDispute, dp.ID), "evidence_details.submission_count") != 0 {
		t.Fatal("a submission was sent without its word typed")
	}
	typeText(tm, "mit")
	press(tm, tea.KeyEnter)
	waitState(t, f, "done")
	if n := actenv.Num(e.Object(storage.KindDispute, dp.ID), "evidence_details.submission_count"); n != 1 {
		t.Fatalf("submission_count %d, want 1", n)
	}
	lastAudit(t, e, f)
	e.WaitCache(storage.KindDispute, dp.ID, "submitted", func(m map[string]any) bool {
		return actenv.Num(m, "evidence_details.submission_count") == 1
	})
	msg := actions.OpenAction(e.Session(support), billing.ActionDisputeEvidence, dp.ID)()
	if toast, ok := msg.(common.ToastMsg); !ok || !strings.Contains(toast.Text, "already submitted") {
		t.Fatalf("evidence form after the submission: %#v", msg)
	}

}

// TestInvoicePayDeclined: a declined card is worded on the confirmation,
// the refusal is audited, and Enter again does not charge twice.
func TestInvoicePayDeclined(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 120})
	page, err := e.Store.List(storage.Query{Kind: storage.KindInvoice, Status: "open", Limit: 100})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("open invoices: %v", err)
	}
	inv := page.Items[0]
	params := &stripe.CustomerParams{InvoiceSettings: &stripe.CustomerInvoiceSettingsParams{DefaultPaymentMethod: stripe.String("pm_card_chargeDeclined")}}
	if _, err := e.Client.API().Customers.Update(inv.Customer, params); err != nil {
		t.Fatal(err)
	}
	f := actions.OpenAction(e.Session(actenv.Admin), billing.ActionInvoicePay, inv.ID)().(common.PushPageMsg).Page.(*actions.Flow)
	tm, _ := run(t, e, f)
	waitFor(t, tm, "Press y to send.")
	attempts := actenv.Num(e.Object(storage.KindInvoice, inv.ID), "attempt_count")
	e.Reqs.Reset()
	typeText(tm, "y")
	// A decline is not "nothing changed": Stripe counted the attempt.
	waitFor(t, tm, "Card declined", "generic_decline", "Stripe counted this", "There is nothing to edit")
	if n := actenv.Num(e.Object(storage.KindInvoice, inv.ID), "attempt_count"); n != attempts+1 {
		t.Fatalf("attempt_count %d after a declined retry, want %d", n, attempts+1)
	}
	if f.State() != "confirm" || actenv.Str(e.Object(storage.KindInvoice, inv.ID), "status") != "open" {
		t.Fatalf("after a decline: state %s", f.State())
	}
	if recs := e.Audit(1); recs[0].Outcome != billing.OutcomeFailed || recs[0].Key != f.Plan().Key {
		t.Fatalf("audit %+v", recs[0])
	}
	typeText(tm, "y")
	time.Sleep(100 * time.Millisecond)
	if n := e.Reqs.Count("POST /v1/invoices/" + inv.ID + "/pay"); n != 1 || f.Sent() != 1 {
		t.Fatalf("%d pay requests, %d executions, want 1", n, f.Sent())
	}
}

// TestEvidenceFileChecks: the form refuses a file over the size limit, a
// type Stripe does not take and a file whose content is not what its name
// says, and stays on the field.
func TestEvidenceFileChecks(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true, Customers: 150})
	big := filepath.Join(t.TempDir(), "big.pdf")
	fh, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := fh.Truncate(billing.MaxEvidenceFile + 1); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	f := open(t, e.Session(actenv.Admin), billing.ActionDisputeEvidence, openDispute(e))
	tm, _ := run(t, nil, f)
	focus(t, f, "access_activity_log")
	tabTo(t, tm, f, "customer_signature")
	typeText(tm, big)
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "evidence files must stay under 5.0 MB")
	clearField(tm)
	typeText(tm, writePDF(t, "notes.txt", 10))
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "not a PDF, PNG or JPEG")
	// A text file named .pdf: refused by its content, before any upload.
	fake := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := os.WriteFile(fake, []byte("Dear customer, here is your receipt."), 0o600); err != nil {
		t.Fatal(err)
	}
	clearField(tm)
	typeText(tm, fake)
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "The file receipt.pdf is named .pdf but holds text/plain") // its name as it is, not capitalised
	if f.Focused() != "customer_signature" || f.State() != "form" {
		t.Fatalf("a bad file let the form go on: %s %s", f.State(), f.Focused())
	}
}
