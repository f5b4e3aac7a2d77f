package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/audit"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/goldens"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// seedWhat runs, through billing against the sandbox, the actions whose
// audit lines used to read alike or say nothing of what was done: a
// customer edit, a trial moved and one ended, a discount applied and
// removed, a credit note split between refund and balance credit and a
// billing-portal link. It returns the customer edit's old email and the
// trial's new end.
func seedWhat(t *testing.T, e *actenv.Env) (oldEmail string, trialEnd time.Time, cnCur string) {
	t.Helper()
	ctx := context.Background()
	op := actenv.Admin
	// execute sends a prepared plan and fails the test on any error.
	execute := func(p *billing.Plan, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Acts.Execute(ctx, p); err != nil {
			t.Fatalf("execute %s: %v", p.Action, err)
		}
	}
	cus := e.Find(storage.KindCustomer, "with an email", func(m map[string]any) bool {
		return actenv.Str(m, "email") != "" && actenv.Str(m, "currency") == "usd"
	})
	oldEmail = actenv.Str(e.Object(storage.KindCustomer, cus.ID), "email")
	execute(e.Acts.PrepareCustomerEdit(ctx, op, billing.CustomerEditRequest{Customer: cus.ID,
		Fields: map[string]string{"email": "maya@example.com"}}))
	execute(e.Acts.PreparePortalLink(ctx, op, billing.PortalRequest{Customer: cus.ID}))

	trialing := map[string]bool{}
	trial := func() string {
		env := e.Find(storage.KindSubscription, "trialing", func(m map[string]any) bool {
			return actenv.Str(m, "status") == "trialing" && !trialing[actenv.Str(m, "id")]
		})
		trialing[env.ID] = true
		return env.ID
	}
	d := actenv.Now.UTC().AddDate(0, 0, 20)
	trialEnd = time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, time.UTC)
	execute(e.Acts.PrepareTrial(ctx, op, billing.TrialRequest{Subscription: trial(), Action: billing.ActionTrialExtend, End: trialEnd}))
	execute(e.Acts.PrepareTrial(ctx, op, billing.TrialRequest{Subscription: trial(), Action: billing.ActionTrialEnd}))

	sub := e.Find(storage.KindSubscription, "active without a discount", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "active" && m["discount"] == nil
	})
	execute(e.Acts.PrepareDiscount(ctx, op, billing.DiscountRequest{Target: sub.ID, Mode: billing.DiscountApply, Code: "SPRING25"}))
	execute(e.Acts.PrepareDiscount(ctx, op, billing.DiscountRequest{Target: sub.ID, Mode: billing.DiscountRemove}))

	inv := e.Find(storage.KindInvoice, "paid with a charge", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "paid" && actenv.Str(m, "charge") != "" && actenv.Num(m, "total") >= 1000
	})
	execute(e.Acts.PrepareCreditNote(ctx, op, billing.CreditNoteRequest{Invoice: inv.ID, Amount: "6", Refund: "4", Credit: "2"}))
	return oldEmail, trialEnd, inv.Currency
}

// TestAuditSaysWhatWasDone: every record reads as the action's title
// (never the internal name, never cut at 80 columns: "Credit note",
// "Trial extension" and "End of the trial now" read apart), applying and
// removing a discount read differently, and the selected record's line
// and detail say what it changed: a customer edit's email before → after,
// a trial's new end as a UTC date, a credit note's refund and balance
// credit. Before, the column read "trial_e…" and "credit_…", a discount
// read "discount" both ways, and trial_end=1800057599 was the only trace
// of a new trial end.
func TestAuditSaysWhatWasDone(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150, NoWebhooks: true})
	oldEmail, trialEnd, cur := seedWhat(t, e)
	for _, size := range []struct{ w, h int }{{80, 24}, {pagetest.Width, pagetest.Height}} {
		h := pagetest.New(audit.New(e.Session(actenv.Admin)))
		tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(size.w, size.h))
		waitFor(t, tm, "Credit note")
		view := strings.Join(strings.Fields(final(t, tm)), " ")
		for _, want := range []string{"Customer edit", "Billing-portal link", "Trial extension", "End of the trial now",
			"Discount apply", "Discount remove", "Credit note",
			// the selected (newest) record: the credit note's split
			"refund " + money.Format(400, cur) + " · balance credit " + money.Format(200, cur)} {
			if !strings.Contains(view, want) {
				t.Errorf("%dx%d: the log lacks %q:\n%s", size.w, size.h, want, view)
			}
		}
		if strings.Contains(view, "…") && size.w == 80 && strings.Contains(view, "trial_e") {
			t.Errorf("80 columns cut the action:\n%s", view)
		}
	}
	// The detail of a record says it too: newest first, the trial's
	// extension is the fifth record and the customer edit the seventh.
	h := pagetest.New(audit.New(e.Session(actenv.Admin)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, tm, "Credit note")
	for range 4 {
		tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Audit record", "trial ends "+trialEnd.Format("2006-01-02 15:04:05")+" UTC")
	tm.Send(common.PopPageMsg{}) // esc, as the root model does it
	for range 2 {
		tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "email "+oldEmail+" → maya@example.com")
}

// TestGoldenAuditWhat80x24 draws that log at 80x24.
func TestGoldenAuditWhat80x24(t *testing.T) {
	t.Parallel()
	goldens.SkipIfMoved(t)
	e := actenv.New(t, actenv.Options{Customers: 150, NoWebhooks: true})
	seedWhat(t, e)
	h := pagetest.New(audit.New(e.Session(actenv.Admin)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Credit note")
	goldens.RequireEqual(t, stable(final(t, tm)))
}

// TestAuditDetailKeepsLineBreaks: a record's detail holding a line break
// (Stripe's messages can) shows it as a break under the value, still
// passing the sanitising boundary, not as the escape \u000a.
func TestAuditDetailKeepsLineBreaks(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	if _, err := e.Store.AppendAudit(storage.AuditRecord{At: actenv.Now.Unix(), Operator: "ada@desk", Action: string(billing.ActionRefund),
		Target: "ch_linebreak", Outcome: billing.OutcomeFailed, Detail: "Your card was declined.\nTry another card\x1b[2J"}); err != nil {
		t.Fatal(err)
	}
	h := pagetest.New(audit.New(e.Session(actenv.Admin)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	waitFor(t, tm, "ch_linebreak")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Audit record")
	view := final(t, tm)
	if strings.Contains(view, `\u000a`) || strings.Contains(view, "\x1b[2J") || !strings.Contains(view, "Try another card") {
		t.Fatalf("detail with a line break:\n%q", view)
	}
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "Your card was declined.") && strings.Contains(l, "Try another card") {
			t.Fatalf("the break was not kept:\n%s", view)
		}
	}
}
