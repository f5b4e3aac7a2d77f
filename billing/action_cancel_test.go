package billing

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

func TestActionCancelEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true})
	ctx := context.Background()
	subID := e.activeSubscription()
	end := time.Unix(num(e.obj(storage.KindSubscription, subID), "current_period_end"), 0).UTC().Format(time.DateOnly)

	// At period end, then undo, then now.
	p := mustPlan(t)(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: CancelAtPeriodEnd, Comment: "moving to a competitor"}))
	if !strings.Contains(lineValue(p, "Effect"), end) {
		t.Fatalf("effect %q lacks the period end %s", lineValue(p, "Effect"), end)
	}
	r := mustExec(t, e.acts, p)
	if !boolean(e.obj(storage.KindSubscription, subID), "cancel_at_period_end") {
		t.Fatal("sandbox subscription does not cancel at period end")
	}
	e.waitCache(storage.KindSubscription, subID, "cancel_at_period_end", func(m map[string]any) bool { return boolean(m, "cancel_at_period_end") })
	e.checkAudit(p, r, OutcomeSucceeded)
	wantField(t, errOf(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: CancelAtPeriodEnd})), "mode")

	p = mustPlan(t)(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: CancelUndo}))
	r = mustExec(t, e.acts, p)
	e.waitCache(storage.KindSubscription, subID, "undo", func(m map[string]any) bool { return !boolean(m, "cancel_at_period_end") })
	e.checkAudit(p, r, OutcomeSucceeded)
	wantField(t, errOf(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: CancelUndo})), "mode")

	wantField(t, errOf(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: "later"})), "mode")
	p = mustPlan(t)(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: CancelNow}))
	if p.Call.Method != "DELETE" {
		t.Fatalf("cancel now sends %s", p.Call)
	}
	r = mustExec(t, e.acts, p)
	if got := str(e.obj(storage.KindSubscription, subID), "status"); got != "canceled" {
		t.Fatalf("sandbox status %q", got)
	}
	e.waitCache(storage.KindSubscription, subID, "canceled", func(m map[string]any) bool { return str(m, "status") == "canceled" })
	e.checkAudit(p, r, OutcomeSucceeded)
	wantField(t, errOf(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: subID, Mode: CancelNow})), "subscription")
}

// A DELETE whose answer was lost is refused when replayed (already
// canceled); the lookup sees the cancellation and the intent succeeds.
func TestActionCancelNowDroppedAnswer(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	subID := e.activeSubscription()
	p := mustPlan(t)(e.acts.PrepareCancel(ctx, admin, CancelRequest{Subscription: subID, Mode: CancelNow}))
	e.drop.Arm("DELETE "+p.Call.Path, 1)
	if _, err := e.acts.Execute(ctx, p); !IsOffline(err) {
		t.Fatalf("want a dropped answer, got %v", err)
	}
	r, err := e.acts.Resume(ctx, admin, p.Key)
	if err != nil || r.State != storage.IntentSucceeded || r.ResultID != subID {
		t.Fatalf("resume %+v %v", r, err)
	}
	if n := e.reqs.Count("DELETE"); n != 2 {
		t.Fatalf("sandbox saw %d DELETEs, want 2", n)
	}
	if rec := e.audit(1)[0]; rec.Outcome != OutcomeSucceeded || !strings.Contains(rec.Detail, "applied") {
		t.Fatalf("audit %+v", rec)
	}
}

func TestActionPauseEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true})
	ctx := context.Background()
	subID := e.activeSubscription()
	wantField(t, errOf(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: subID, Behavior: "forever"})), "behavior")
	wantField(t, errOf(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: subID, Resume: true})), "subscription")
	wantField(t, errOf(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: subID, Behavior: "void", ResumesAt: e.sb.Now().Add(-time.Hour)})), "resumes_at")

	resume := e.sb.Now().Add(30 * 24 * time.Hour).Truncate(time.Second)
	p := mustPlan(t)(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: subID, Behavior: "mark_uncollectible", ResumesAt: resume}))
	if !strings.Contains(p.Call.String(), "pause_collection[behavior]=mark_uncollectible") || !strings.Contains(lineValue(p, "Effect"), resume.UTC().Format(time.DateOnly)) {
		t.Fatalf("pause plan %s / %+v", p.Call, p.Lines)
	}
	r := mustExec(t, e.acts, p)
	sub := e.obj(storage.KindSubscription, subID)
	if str(sub, "pause_collection.behavior") != "mark_uncollectible" || num(sub, "pause_collection.resumes_at") != resume.Unix() {
		t.Fatalf("sandbox pause_collection %v", lookupPath(sub, "pause_collection"))
	}
	e.waitCache(storage.KindSubscription, subID, "paused", func(m map[string]any) bool { return str(m, "pause_collection.behavior") == "mark_uncollectible" })
	e.checkAudit(p, r, OutcomeSucceeded)

	p = mustPlan(t)(e.acts.PreparePause(ctx, finance, PauseRequest{Subscription: subID, Resume: true}))
	if p.Call.Get("pause_collection") != "" || !strings.Contains(p.Call.String(), "pause_collection=") {
		t.Fatalf("resume call %s", p.Call)
	}
	r = mustExec(t, e.acts, p)
	if lookupPath(e.obj(storage.KindSubscription, subID), "pause_collection") != nil {
		t.Fatal("sandbox still paused")
	}
	e.waitCache(storage.KindSubscription, subID, "resumed", func(m map[string]any) bool { return lookupPath(m, "pause_collection") == nil })
	e.checkAudit(p, r, OutcomeSucceeded)
}
