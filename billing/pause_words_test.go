package billing

import (
	"context"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// A plan change on a subscription whose collection is paused says that
// nothing is charged and what Stripe does with the invoice instead; before,
// its confirmation read like any other ("Next invoice amount due …").
func TestPlanChangeOnPausedCollectionSaysSo(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	subID := e.activeSubscription()
	mustExec(t, e.acts, mustPlan(t)(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: subID, Behavior: "mark_uncollectible"})))
	p := mustPlan(t)(e.acts.PreparePlanChange(ctx, finance, PlanChangeRequest{Subscription: subID, Quantity: 3}))
	want := PauseWords("mark_uncollectible")
	found := false
	for _, w := range p.Warnings {
		found = found || strings.HasPrefix(w, want)
	}
	if !found {
		t.Fatalf("warnings %q lack %q", p.Warnings, want)
	}
	for _, b := range PauseBehaviors {
		if w := PauseWords(b); !strings.Contains(w, "nothing is charged") {
			t.Errorf("%s: %q", b, w)
		}
	}
}

// While collection is paused (keep_as_draft), the invoice a plan change
// makes at once (always_invoice) stays a draft and nothing is charged, as
// the confirmation says (Stripe's pause_collection applies to every invoice
// of the subscription). Before, the sandbox finalized and charged it.
func TestPausedPlanChangeInvoiceIsNotCharged(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	subID := e.activeSubscription()
	mustExec(t, e.acts, mustPlan(t)(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: subID, Behavior: "keep_as_draft"})))
	e.reqs.Reset()
	p := mustPlan(t)(e.acts.PreparePlanChange(ctx, finance, PlanChangeRequest{Subscription: subID, Quantity: 3, Proration: "always_invoice"}))
	mustExec(t, e.acts, p)
	inv := str(e.obj(storage.KindSubscription, subID), "latest_invoice")
	got := e.obj(storage.KindInvoice, inv)
	if str(got, "status") != "draft" || str(got, "billing_reason") != "subscription_update" || num(got, "amount_paid") != 0 {
		t.Fatalf("the update's invoice %s is %s (%s), paid %d: want a draft nothing charged", inv, str(got, "status"), str(got, "billing_reason"), num(got, "amount_paid"))
	}
}
