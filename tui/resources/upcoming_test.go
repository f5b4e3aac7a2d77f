package resources

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage/stripejson"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

const upcomingPath = "GET /v1/invoices/upcoming"

// billableSub is a cached subscription Stripe has an upcoming invoice for.
func billableSub(e *actenv.Env) storage.Envelope {
	return e.Find(storage.KindSubscription, "active, renewing", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "active" && !actenv.Bool(m, "cancel_at_period_end") && actenv.Path(m, "pause_collection") == nil
	})
}

// openSub opens the subscription page at a size that shows every section.
func openSub(c *common.Common, id string) (*Detail, tea.Cmd) {
	d := NewSubscription(c, id)
	d.SetSize(120, 200)
	return d, d.Init()
}

// answer runs a page's fetch command and hands the answer to the page.
func answer(t *testing.T, d *Detail, cmd tea.Cmd) upcomingMsg {
	t.Helper()
	if cmd == nil {
		t.Fatal("the page started no Stripe read")
	}
	msg, ok := cmd().(upcomingMsg)
	if !ok {
		t.Fatalf("the page's command answered %T, want the upcoming invoice", msg)
	}
	d.Update(msg)
	return msg
}

// TestUpcomingInvoiceFromStripe: online, the page shows the estimate
// marked as asking, then Stripe's lines, total, amount due and billing
// date from the sandbox, in one request.
func TestUpcomingInvoiceFromStripe(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := billableSub(e)
	raw, err := e.Client.UpcomingInvoice(context.Background(), sub.Customer, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	var want stripejson.Invoice
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if len(want.Lines.Data) == 0 || want.NextPaymentAttempt == 0 {
		t.Fatalf("sandbox preview of %s has no lines or date: %s", sub.ID, raw)
	}
	e.Reqs.Reset()

	d, cmd := openSub(e.Session(actenv.Admin), sub.ID)
	if v := d.View(); !strings.Contains(v, "about "+money.Format(sub.Amount, sub.Currency)) ||
		!strings.Contains(v, "(estimate from the cache, asking Stripe…)") {
		t.Fatalf("while asking, the page does not show the marked estimate:\n%s", v)
	}
	answer(t, d, cmd)
	v := d.View()
	for _, l := range want.Lines.Data {
		if !strings.Contains(v, l.Description) || !strings.Contains(v, money.Format(l.Amount, want.Currency)) {
			t.Fatalf("line %q %d missing:\n%s", l.Description, l.Amount, v)
		}
	}
	for label, value := range map[string]string{
		"Total":      money.Format(want.Total, want.Currency),
		"Amount due": money.Format(want.AmountDue, want.Currency),
		"Billed on":  format.Stamp(want.NextPaymentAttempt, testclock.Zone()),
	} {
		if !regexp.MustCompile(`(?m)^  ` + label + ` +` + regexp.QuoteMeta(value)).MatchString(v) {
			t.Fatalf("Stripe's upcoming invoice lacks %s %s:\n%s", label, value, v)
		}
	}
	if strings.Contains(v, "estimate from the cache") {
		t.Fatalf("the estimate is still shown next to Stripe's answer:\n%s", v)
	}
	if n := e.Reqs.Count(upcomingPath); n != 1 {
		t.Fatalf("%d upcoming-invoice requests, want 1", n)
	}
}

// TestUpcomingInvoiceRefetch: r and a live notice about the subscription
// (or its customer) ask again; an answer to an older request is dropped;
// notices about other objects do not ask.
func TestUpcomingInvoiceRefetch(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := billableSub(e)
	d, cmd := openSub(e.Session(actenv.Admin), sub.ID)
	first := cmd

	// r while the first read is out: the page asks again, and the first
	// answer, arriving late, is not taken.
	_, batch := d.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	if !strings.Contains(d.View(), "asking Stripe…") {
		t.Fatalf("r did not ask again:\n%s", d.View())
	}
	d.Update(first())
	if d.upcoming.state != upcomingLoading || !strings.Contains(d.View(), "asking Stripe…") {
		t.Fatalf("a stale answer was taken (state %d)", d.upcoming.state)
	}
	var again tea.Cmd
	for _, c := range batch().(tea.BatchMsg) {
		if c == nil {
			continue
		}
		if msg, ok := c().(upcomingMsg); ok {
			d.Update(msg)
			again = c
		}
	}
	if again == nil || d.upcoming.state != upcomingLoaded || !strings.Contains(d.View(), "Amount due") {
		t.Fatalf("r's read was not shown (state %d):\n%s", d.upcoming.state, d.View())
	}

	notice := func(kind storage.Kind, id string) common.LiveMsg {
		return common.LiveMsg{Change: storage.Change{Result: storage.ApplyResult{
			EventID: "evt_test", Type: "customer.subscription.updated", Kind: kind, ObjectID: id,
			Customer: sub.Customer, Verdict: storage.VerdictApplied}}}
	}
	if _, cmd := d.Update(notice(storage.KindSubscription, sub.ID)); cmd == nil || d.upcoming.state != upcomingLoading {
		t.Fatal("a notice about the subscription did not ask Stripe again")
	} else {
		answer(t, d, cmd)
	}
	if _, cmd := d.Update(notice(storage.KindCustomer, sub.Customer)); cmd == nil {
		t.Fatal("a notice about the subscription's customer (its balance) did not ask again")
	} else {
		answer(t, d, cmd)
	}
	if _, cmd := d.Update(notice(storage.KindInvoice, "in_other")); cmd != nil || d.upcoming.state != upcomingLoaded {
		t.Fatalf("a notice about another object asked again (state %d)", d.upcoming.state)
	}
}

// TestUpcomingInvoiceOfflineAndError: offline the page keeps the estimate
// and says why without asking; when Stripe's answer is lost it keeps the
// estimate with billing.Explain's wording of the error.
func TestUpcomingInvoiceOfflineAndError(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := billableSub(e)
	e.Reqs.Reset()

	off := e.Session(actenv.Admin)
	off.Offline = true
	d, cmd := openSub(off, sub.ID)
	if cmd != nil {
		t.Fatal("an offline page started a Stripe read")
	}
	if v := d.View(); !strings.Contains(v, "(estimate from the cache: offline: Stripe is unreachable)") {
		t.Fatalf("offline page:\n%s", v)
	}
	if n := e.Reqs.Count(upcomingPath); n != 0 {
		t.Fatalf("offline: %d upcoming-invoice requests", n)
	}

	// Every answer is lost (the client's own retries included).
	e.Drop.Arm(upcomingPath, 100)
	_, lost := e.Client.UpcomingInvoice(context.Background(), sub.Customer, sub.ID)
	if lost == nil {
		t.Fatal("the dropped answer was not an error")
	}
	d, cmd = openSub(e.Session(actenv.Admin), sub.ID)
	answer(t, d, cmd)
	e.Drop.Arm(upcomingPath, 0)
	if v := d.View(); !strings.Contains(v, "(estimate from the cache: "+billing.Explain(lost)+")") ||
		!strings.Contains(v, "about "+money.Format(sub.Amount, sub.Currency)) {
		t.Fatalf("after a lost answer the page does not keep the explained estimate (%q):\n%s", billing.Explain(lost), v)
	}
}

// TestUpcomingInvoiceShowsDiscounts: with a coupon on the subscription,
// its page names the discount, and Stripe's upcoming invoice leads from
// the subtotal through the discount to the total, so its lines (before
// discounts) add up. Before, neither showed the discount.
func TestUpcomingInvoiceShowsDiscounts(t *testing.T) {
	e := actenv.New(t, actenv.Options{})
	sub := billableSub(e)
	coupon := e.Find(storage.KindCoupon, "a valid percent-off coupon", func(m map[string]any) bool {
		return actenv.Path(m, "percent_off") != nil && actenv.Bool(m, "valid")
	})
	ctx := context.Background()
	p, err := e.Acts.PrepareDiscount(ctx, actenv.Admin, billing.DiscountRequest{Target: sub.ID, Mode: billing.DiscountApply, Code: coupon.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Acts.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
	e.WaitCache(storage.KindSubscription, sub.ID, "its discount", func(m map[string]any) bool { return actenv.Path(m, "discount") != nil })

	d, cmd := openSub(e.Session(actenv.Admin), sub.ID)
	answer(t, d, cmd)
	v := d.View()
	var inv stripejson.Invoice
	raw, err := e.Client.UpcomingInvoice(ctx, sub.Customer, sub.ID)
	if err != nil || json.Unmarshal(raw, &inv) != nil || len(inv.TotalDiscountAmounts) == 0 {
		t.Fatalf("sandbox preview without a discount: %v %s", err, raw)
	}
	cur := inv.Currency
	for _, re := range []string{
		`(?m)^  Discount +` + regexp.QuoteMeta(actenv.Str(e.Object(storage.KindCoupon, coupon.ID), "name")),
		`(?m)^  Subtotal +` + regexp.QuoteMeta(money.Format(inv.Subtotal, cur)),
		`(?m)^  Discount +-` + regexp.QuoteMeta(money.Format(inv.TotalDiscountAmounts[0].Amount, cur)),
		`(?m)^  Total +` + regexp.QuoteMeta(money.Format(inv.Total, cur)),
	} {
		if !regexp.MustCompile(re).MatchString(v) {
			t.Fatalf("the page lacks %s:\n%s", re, v)
		}
	}
	if inv.Subtotal-inv.TotalDiscountAmounts[0].Amount != inv.Total {
		t.Fatalf("subtotal %d - discount %d != total %d", inv.Subtotal, inv.TotalDiscountAmounts[0].Amount, inv.Total)
	}
}

// TestCustomerNextBillFollowsItsSubscriptions: a customer's page asks
// Stripe again when one of its subscriptions or invoices changes: after a
// cancel now it kept "Next bill … on 2026-12-31" until r.
func TestCustomerNextBillFollowsItsSubscriptions(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := billableSub(e)
	d := NewCustomer(e.Session(actenv.Admin), sub.Customer)
	d.SetSize(120, 200)
	asked := func(cmd tea.Cmd) bool { // runs cmd (or its batch); true when it read the upcoming invoice
		if cmd == nil {
			return false
		}
		found := false
		msg := cmd()
		msgs := []tea.Msg{msg}
		if b, ok := msg.(tea.BatchMsg); ok {
			msgs = msgs[:0]
			for _, c := range b {
				if c != nil {
					msgs = append(msgs, c())
				}
			}
		}
		for _, m := range msgs {
			if u, ok := m.(upcomingMsg); ok {
				d.Update(u)
				found = true
			}
		}
		return found
	}
	if !asked(d.Init()) {
		t.Fatal("the customer page did not ask for its next bill")
	}
	for _, kind := range []storage.Kind{storage.KindSubscription, storage.KindInvoice} {
		n := common.LiveMsg{Change: storage.Change{Result: storage.ApplyResult{EventID: "evt_test", Type: "customer.subscription.deleted",
			Kind: kind, ObjectID: "x_1", Customer: sub.Customer, Verdict: storage.VerdictApplied}}}
		if _, cmd := d.Update(n); !asked(cmd) {
			t.Fatalf("a change of the customer's %s did not ask again", kind)
		}
	}
	other := common.LiveMsg{Change: storage.Change{Result: storage.ApplyResult{EventID: "evt_other", Type: "customer.subscription.updated",
		Kind: storage.KindSubscription, ObjectID: "sub_other", Customer: "cus_other", Verdict: storage.VerdictApplied}}}
	if _, cmd := d.Update(other); cmd != nil {
		t.Fatal("another customer's subscription asked again")
	}
}
