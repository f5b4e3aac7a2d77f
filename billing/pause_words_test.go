package billing

import (
	"context"
	"strings"
	"testing"
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
