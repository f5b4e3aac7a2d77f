package billing

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

// downgradeMidPeriod moves an active subscription to a cheaper price of
// the same interval with create_prorations, which leaves a pending
// proration credit for its next invoice; it returns that credit (negative,
// minor units) as the plan change's preview counted it.
func downgradeMidPeriod(t *testing.T, e *actionEnv, subID string) int64 {
	t.Helper()
	ctx := context.Background()
	sub := e.obj(storage.KindSubscription, subID)
	cur := str(sub, "currency")
	opts, err := e.acts.PriceOptions(cur, 0)
	if err != nil {
		t.Fatal(err)
	}
	var cheaper PriceOption
	for _, o := range opts {
		if o.Interval == str(sub, "items.data.0.price.recurring.interval") && o.UnitAmount < num(sub, "items.data.0.price.unit_amount") {
			cheaper = o
			break
		}
	}
	if cheaper.ID == "" {
		t.Fatalf("no cheaper price for %s among %+v", subID, opts)
	}
	p := mustPlan(t)(e.acts.PreparePlanChange(ctx, finance, PlanChangeRequest{Subscription: subID, Price: cheaper.ID}))
	mustExec(t, e.acts, p)
	if p.Amount >= 0 {
		t.Fatalf("a downgrade left %d pending, want a credit", p.Amount)
	}
	return p.Amount
}

// Stripe's rule for pending prorations at cancellation ("Cancel a
// subscription"): canceled now they are dropped, so the confirmation says so
// and warns of a lost credit; set to cancel at period end they are
// collected on a final invoice at that end, which the sandbox then issues.
func TestCancelSaysWhatHappensToPendingProrations(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()

	plain := e.activeSubscription()
	p := mustPlan(t)(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: plain, Mode: CancelNow}))
	if v := lineValue(p, "Pending prorations"); !strings.HasPrefix(v, "<no line") || len(p.Warnings) != 0 {
		t.Fatalf("nothing pending, yet %q / %q", v, p.Warnings)
	}

	subID := e.activeSubscription(plain)
	credit := downgradeMidPeriod(t, e, subID)
	cur := str(e.obj(storage.KindSubscription, subID), "currency")
	end := time.Unix(num(e.obj(storage.KindSubscription, subID), "current_period_end"), 0).UTC()

	p = mustPlan(t)(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: CancelNow}))
	want := money.Format(-credit, cur) + " credit to the customer, removed"
	if v := lineValue(p, "Pending prorations"); !strings.HasPrefix(v, want) {
		t.Fatalf("cancel now: pending prorations %q, want %q…", v, want)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "dropped by canceling now") {
		t.Fatalf("cancel now: warnings %q", p.Warnings)
	}

	p = mustPlan(t)(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: CancelAtPeriodEnd}))
	want = money.Format(-credit, cur) + " credit to the customer, collected on the final invoice on " + end.Format(time.DateOnly)
	if v := lineValue(p, "Pending prorations"); v != want || len(p.Warnings) != 0 {
		t.Fatalf("at period end: %q / %q, want %q", v, p.Warnings, want)
	}
	mustExec(t, e.acts, p)
	// Still pending until the end.
	if sum, _, err := e.acts.pendingProrations(ctx, subID); err != nil || sum != credit {
		t.Fatalf("pending after setting cancel at period end: %d, %v; want %d", sum, err, credit)
	}

	e.sb.Advance(end.Sub(e.sb.Now()) + 2*time.Hour)
	if st := str(e.obj(storage.KindSubscription, subID), "status"); st != "canceled" {
		t.Fatalf("status after the period end %q", st)
	}
	raw, err := e.acts.get(ctx, "/v1/invoices", []Param{{"subscription", subID}, {"limit", "1"}})
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &page); err != nil || len(page.Data) != 1 {
		t.Fatalf("invoices of %s: %v %s", subID, err, raw)
	}
	final := page.Data[0]
	if num(final, "total") != credit || num(final, "period_end") != end.Unix() {
		t.Fatalf("final invoice total %d period_end %d, want %d at %d", num(final, "total"), num(final, "period_end"), credit, end.Unix())
	}
}
