package actions_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// TestRefundFieldErrorsKeepValues: an amount above what is refundable,
// then one with too many decimals, are refused on the amount field itself
// (billing's wording, under the field) before anything is prepared; a
// fixed amount clears the error; nothing is sent.
func TestRefundFieldErrorsKeepValues(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	f := open(t, e.Session(actenv.Admin), billing.ActionRefund, ch)
	tm, _ := run(t, e, f)
	focus(t, f, "amount")
	// The amount is checked on its field: enter does not leave it.
	typeText(tm, "99999.00")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "can be refunded")
	if view := f.Screen(); f.Focused() != "amount" || !strings.Contains(view, "✗ At most $29.00 can be refunded") {
		t.Fatalf("an amount over the refundable left the field (%s):\n%s", f.Focused(), view)
	}
	clearField(tm)
	typeText(tm, "1.234")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "digits after the point")
	if view := f.Screen(); f.Focused() != "amount" || !strings.Contains(view, "✗ At most 2 digits after the point for USD") {
		t.Fatalf("three decimals left the field (%s):\n%s", f.Focused(), view)
	}
	clearField(tm)
	typeText(tm, "3")
	press(tm, tea.KeyEnter)
	focus(t, f, "reason")
	if view := f.Screen(); strings.Contains(view, "✗") {
		t.Fatalf("a refused amount's error stayed after it was fixed:\n%s", view)
	}
	press(tm, tea.KeyDown)
	press(tm, tea.KeyDown) // duplicate
	press(tm, tea.KeyEnter)
	focus(t, f, "note")
	typeText(tm, "keep me")
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	if n := e.Reqs.Count("POST /v1/refunds"); n != 0 {
		t.Fatalf("%d refunds sent for invalid forms", n)
	}
}

// TestRefundDoubleEnter: y twice on the confirmation sends one refund.
func TestRefundDoubleEnter(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	f := open(t, e.Session(actenv.Admin), billing.ActionRefund, ch)
	tm, _ := run(t, e, f)
	focus(t, f, "amount")
	typeText(tm, "3")
	for _, field := range []string{"amount", "reason", "note"} {
		focus(t, f, field)
		press(tm, tea.KeyEnter)
	}
	waitState(t, f, "confirm")
	typeText(tm, "y")
	typeText(tm, "y")
	waitState(t, f, "done")
	press(tm, tea.KeyEnter) // closes the result page
	if n := e.Reqs.Count("POST /v1/refunds"); n != 1 || f.Sent() != 1 {
		t.Fatalf("double Enter: %d refund requests, %d executions, want 1", n, f.Sent())
	}
	if got := actenv.Num(e.Object(storage.KindCharge, ch.ID), "amount_refunded"); got != 300 {
		t.Fatalf("amount_refunded %d, want 300", got)
	}
	// Executing the same plan again replays the stored outcome.
	r, err := e.Acts.Execute(context.Background(), f.Plan())
	if err != nil || !r.Replayed || e.Reqs.Count("POST /v1/refunds") != 1 {
		t.Fatalf("re-execute: %+v %v", r, err)
	}
}

// TestViewerCannotAct: a viewer (and a read-only session) gets the reason,
// not the form; billing refuses a viewer's plan.
func TestViewerCannotAct(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	viewer := billing.Operator{Name: "vic@desk", Role: billing.RoleViewer}
	msg := actions.OpenAction(e.Session(viewer), billing.ActionRefund, ch.ID)()
	toast, ok := msg.(common.ToastMsg)
	if !ok || !strings.Contains(toast.Text, "needs the finance role") {
		t.Fatalf("viewer opening a refund: %#v", msg)
	}
	ro := e.Session(actenv.Admin)
	ro.ReadOnly = true
	if msg, ok := actions.OpenAction(ro, billing.ActionRefund, ch.ID)().(common.ToastMsg); !ok || !strings.Contains(msg.Text, "read-only") {
		t.Fatalf("read-only session opening a refund: %#v", msg)
	}
	support := billing.Operator{Name: "sue@desk", Role: billing.RoleSupport}
	if _, ok := actions.OpenAction(e.Session(support), billing.ActionCredit, ch.Customer)().(common.PushPageMsg); !ok {
		t.Fatal("support may adjust credit: the form must open")
	}
	p, err := e.Acts.PrepareRefund(context.Background(), actenv.Admin, billing.RefundRequest{Target: ch.ID, Amount: "1"})
	if err != nil {
		t.Fatal(err)
	}
	p.Operator = viewer
	if _, err := e.Acts.Execute(context.Background(), p); !errors.Is(err, billing.ErrForbidden) {
		t.Fatalf("viewer execute: %v", err)
	}
	if n := e.Reqs.Count("POST /v1/refunds"); n != 0 {
		t.Fatalf("%d refunds sent for a viewer", n)
	}
}

// TestRoleRevokedBeforeSend: the action-time check (an SSH key demoted
// while the confirmation was open) refuses the send.
func TestRoleRevokedBeforeSend(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	c := e.Session(actenv.Admin)
	var revoked atomic.Bool
	c.Authorize = func(a billing.Action) error {
		if revoked.Load() {
			return billing.Operator{Name: "ada@desk", Role: billing.RoleViewer}.Authorize(a)
		}
		return nil
	}
	f := open(t, c, billing.ActionRefund, ch)
	tm, _ := run(t, e, f)
	for _, field := range []string{"amount", "reason", "note"} {
		focus(t, f, field)
		press(tm, tea.KeyEnter)
	}
	waitState(t, f, "confirm")
	revoked.Store(true)
	typeText(tm, "y")
	waitFor(t, tm, "Not allowed now")
	if f.State() != "confirm" || f.Sent() != 0 || e.Reqs.Count("POST /v1/refunds") != 0 {
		t.Fatalf("revoked role: state %s, %d sent", f.State(), f.Sent())
	}
}

// TestRefundAnswerLost: Stripe's answer to the refund is lost; the page
// says the outcome is unknown and keeps the plan; y sends it again
// with the same key and the charge is refunded once.
func TestRefundAnswerLost(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ch := refundableCharge(e, "usd")
	f := open(t, e.Session(actenv.Admin), billing.ActionRefund, ch)
	tm, _ := run(t, e, f)
	focus(t, f, "amount")
	typeText(tm, "7")
	for _, field := range []string{"amount", "reason", "note"} {
		focus(t, f, field)
		press(tm, tea.KeyEnter)
	}
	waitState(t, f, "confirm")
	// stripe-go retries a network error itself with the same key: lose
	// every answer of its budget.
	e.Drop.Arm("POST /v1/refunds", 3)
	typeText(tm, "y")
	waitFor(t, tm, "Stripe did not answer")
	if f.State() != "confirm" {
		t.Fatalf("state %s after a lost answer", f.State())
	}
	in, err := e.Store.Intent(f.Plan().Key)
	if err != nil || in.State != storage.IntentPending {
		t.Fatalf("intent after a lost answer: %+v %v", in, err)
	}
	e.Drop.Arm("", 0)
	typeText(tm, "y")
	waitState(t, f, "done")
	if got := actenv.Num(e.Object(storage.KindCharge, ch.ID), "amount_refunded"); got != 700 {
		t.Fatalf("amount_refunded %d, want 700 (one refund)", got)
	}
	list := e.Client.API().Refunds.List(&stripe.RefundListParams{Charge: stripe.String(ch.ID)})
	n := 0
	for list.Next() {
		n++
	}
	if n != 1 || list.Err() != nil {
		t.Fatalf("%d refunds on the charge, want 1 (%v)", n, list.Err())
	}
}

// TestPlanExpired: a confirmation left open past billing.PlanTTL is not
// sent; e goes back to the kept values and a fresh plan is sent.
func TestPlanExpired(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	var offset atomic.Int64
	clock := func() time.Time { return actenv.Now.Add(time.Duration(offset.Load())) }
	c := e.Session(actenv.Admin)
	c.Money = billing.NewActions(e.Client, e.Store, billing.Clocks{Wall: clock})
	ch := refundableCharge(e, "usd")
	f := open(t, c, billing.ActionRefund, ch)
	tm, _ := run(t, e, f)
	focus(t, f, "amount")
	typeText(tm, "2.50")
	submitForm(t, tm, f)
	waitState(t, f, "confirm")
	first := f.Plan().Key
	offset.Store(int64(billing.PlanTTL + time.Minute))
	typeText(tm, "y")
	waitFor(t, tm, "too old")
	if sc := f.Screen(); !strings.Contains(sc, "Nothing was sent to Stripe.") || strings.Contains(sc, "Stripe refused") {
		t.Fatalf("an expired confirmation must not read as Stripe's refusal:\n%s", sc)
	}
	for _, b := range f.ShortHelp() {
		if b.Help().Key == "y" || b.Help().Key == "enter" {
			t.Fatalf("the footer still offers %s (%q) on a refused confirmation", b.Help().Key, b.Help().Desc)
		}
	}
	typeText(tm, "y") // refused: not sent
	time.Sleep(50 * time.Millisecond)
	if n := e.Reqs.Count("POST /v1/refunds"); n != 0 {
		t.Fatalf("%d refunds sent from an expired confirmation", n)
	}
	typeText(tm, "e")
	focus(t, f, "amount")
	if !strings.Contains(f.Screen(), "> 2.50") {
		t.Fatalf("the typed amount was lost:\n%s", f.Screen())
	}
	submitForm(t, tm, f)
	sendConfirmed(t, tm, f)
	if f.Plan().Key == first || actenv.Num(e.Object(storage.KindCharge, ch.ID), "amount_refunded") != 250 {
		t.Fatalf("fresh plan %s (first %s), refunded %d", f.Plan().Key, first, actenv.Num(e.Object(storage.KindCharge, ch.ID), "amount_refunded"))
	}
}
