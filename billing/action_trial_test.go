package billing

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

func (e *actionEnv) trialingSubscription(not ...string) string {
	return e.find(storage.KindSubscription, "trialing", func(m map[string]any) bool {
		for _, n := range not {
			if str(m, "id") == n {
				return false
			}
		}
		return str(m, "status") == "trialing" && str(e.obj(storage.KindSubscription, str(m, "id")), "status") == "trialing"
	})
}

// TestActionTrialExtend: finance moves a trial's end; the confirmation
// previews the next invoice at the new date; support may not extend.
func TestActionTrialExtend(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150, webhooks: true})
	ctx := context.Background()
	sub := e.trialingSubscription()
	now := e.acts.now()
	end := time.Date(now.Year(), now.Month(), now.Day(), 9, 0, 0, 0, time.UTC).AddDate(0, 0, 30)
	req := TrialRequest{Subscription: sub, Action: ActionTrialExtend, End: end}
	if _, err := e.acts.PrepareTrial(ctx, support, req); !errors.Is(err, ErrForbidden) {
		t.Fatalf("support extended a trial: %v", err)
	}
	wantField(t, errOf(e.acts.PrepareTrial(ctx, finance, TrialRequest{Subscription: sub, Action: ActionTrialExtend, End: now.Add(-time.Hour)})), "end")
	wantField(t, errOf(e.acts.PrepareTrial(ctx, finance, TrialRequest{Subscription: sub, Action: ActionTrialExtend, End: now.AddDate(0, 0, 731)})), "end")
	wantField(t, errOf(e.acts.PrepareTrial(ctx, finance, TrialRequest{Subscription: sub, Action: ActionTrialExtend})), "end")

	p := mustPlan(t)(e.acts.PrepareTrial(ctx, finance, req))
	if !strings.Contains(p.Call.String(), "trial_end="+itoa(end.Unix())) {
		t.Fatalf("call %s", p.Call)
	}
	if got := lineValue(p, "Next invoice"); got != end.Format(time.DateTime)+" UTC" {
		t.Fatalf("next invoice at %q, want the new trial end %s", got, end)
	}
	if lineValue(p, "Next invoice total") == "" || strings.HasPrefix(lineValue(p, "Next invoice total"), "<no line") {
		t.Fatalf("no preview total: %v", p.Lines)
	}
	r := mustExec(t, e.acts, p)
	got := e.obj(storage.KindSubscription, sub)
	if num(got, "trial_end") != end.Unix() || num(got, "current_period_end") != end.Unix() || str(got, "status") != "trialing" {
		t.Fatalf("sandbox subscription after the extension: %v", got)
	}
	e.waitCache(storage.KindSubscription, sub, "trial_end", func(m map[string]any) bool { return num(m, "trial_end") == end.Unix() })
	e.checkAudit(p, r, OutcomeSucceeded)
}

// TestActionTrialEndNow: support ends a trial now; the preview shows the
// invoice due now; the subscription is active and invoiced; a second try
// is refused (no longer trialing).
func TestActionTrialEndNow(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	sub := e.trialingSubscription()
	if _, err := e.acts.PrepareTrial(ctx, viewer, TrialRequest{Subscription: sub, Action: ActionTrialEnd}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("viewer: %v", err)
	}
	p := mustPlan(t)(e.acts.PrepareTrial(ctx, support, TrialRequest{Subscription: sub, Action: ActionTrialEnd}))
	if !strings.Contains(p.Call.String(), " trial_end=now") {
		t.Fatalf("call %s", p.Call)
	}
	if p.Amount <= 0 || lineValue(p, "Next invoice amount due") != money.Format(p.Amount, p.Currency) {
		t.Fatalf("ending the trial now charges %d %s, lines %v", p.Amount, p.Currency, p.Lines)
	}
	if got, want := lineValue(p, "Next invoice"), e.acts.now().UTC().Format(time.DateTime)[:13]; !strings.HasPrefix(got, want) {
		t.Fatalf("next invoice at %q, want now (%s…)", got, want)
	}
	before := e.obj(storage.KindSubscription, sub)
	mustExec(t, e.acts, p)
	got := e.obj(storage.KindSubscription, sub)
	if str(got, "status") == "trialing" || str(got, "latest_invoice") == str(before, "latest_invoice") {
		t.Fatalf("after ending the trial now: %v", got)
	}
	wantField(t, errOf(e.acts.PrepareTrial(ctx, support, TrialRequest{Subscription: sub, Action: ActionTrialEnd})), "subscription")
	if why := NotApplicable(ActionTrialEnd, storage.KindSubscription, mustJSON(t, got)); !strings.Contains(why, "trialing") {
		t.Fatalf("NotApplicable on an active subscription: %q", why)
	}
}

func TestParseTrialEnd(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Time{
		"2026-12-31":       time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
		"2026-12-31 09:00": time.Date(2026, 12, 31, 9, 0, 0, 0, time.UTC),
	} {
		if got, err := ParseTrialEnd(in); err != nil || !got.Equal(want) {
			t.Errorf("ParseTrialEnd(%q) = %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "31/12/2026", "tomorrow", "2026-02-30"} {
		_, err := ParseTrialEnd(bad)
		wantField(t, err, "end")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTrialEndCheckedAgainstStripesClock: when the account's clock runs
// ahead of real time (the demo's sandbox, a Stripe test clock), a new trial
// end is checked against the account's time, as Stripe checks it: an end
// after real time but before the account's now is refused on the form, not
// passed on for Stripe to reject; the 730 days count from the account's now.
func TestTrialEndCheckedAgainstStripesClock(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	sub := e.trialingSubscription()
	wall := e.sb.Now().Add(-36 * time.Hour) // real time, a day and a half behind the account
	acts := NewActions(e.client, e.store, Clocks{Account: e.sb.Now, Wall: func() time.Time { return wall }})
	between := wall.Add(12 * time.Hour).Truncate(time.Second)
	wantField(t, errOf(acts.PrepareTrial(ctx, finance, TrialRequest{Subscription: sub, Action: ActionTrialExtend, End: between})), "end")
	last := e.sb.Now().AddDate(0, 0, MaxTrialDays).Add(-time.Hour).Truncate(time.Second)
	if _, err := acts.PrepareTrial(ctx, finance, TrialRequest{Subscription: sub, Action: ActionTrialExtend, End: last}); err != nil {
		t.Fatalf("an end %d days after the account's now, less an hour, refused: %v", MaxTrialDays, err)
	}
}
