package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// MaxTrialDays is how far ahead Stripe accepts a trial_end.
const MaxTrialDays = 730

func init() {
	trialSpec := func(act Action, name string, role Role) ActionSpec {
		return ActionSpec{Action: act, Name: name, Kinds: []storage.Kind{storage.KindSubscription}, MinRole: role,
			NoRepeat: "it sets the trial's end: a repeat finds it set and is refused",
			States:   []string{"trialing"}, Endpoints: []string{"POST /v1/subscriptions/%s"}, Irreversible: never,
			lookup: lookupSubscriptionMetadata}
	}
	actionSpecs = append(actionSpecs,
		trialSpec(ActionTrialEnd, "end of the trial now", RoleSupport),
		trialSpec(ActionTrialExtend, "trial extension", RoleFinance))
}

// TrialRequest is what the trial form collects: end the trial now
// (ActionTrialEnd) or move its end to End (ActionTrialExtend).
type TrialRequest struct {
	Subscription string
	Action       Action
	// End is the new end of the trial (ActionTrialExtend): in the future
	// and at most MaxTrialDays ahead.
	End time.Time
}

// ParseTrialEnd reads a new trial end typed as a date ("2026-12-31",
// the end of that day in UTC) or a date and time ("2026-12-31 09:00", UTC).
// Errors are *FieldError on "end".
func ParseTrialEnd(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Add(24*time.Hour - time.Second), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fieldErrf("end", "%q is not a date: type 2026-12-31 or 2026-12-31 09:00 (UTC)", s)
}

// PrepareTrial plans the end of a running trial now (trial_end=now) or
// its move to a new end (trial_end=<unix seconds>) on POST
// /v1/subscriptions/{id} (https://docs.stripe.com/billing/subscriptions/trials),
// and shows its effect on the next invoice from Stripe's preview (GET
// /v1/invoices/upcoming with subscription_trial_end). Errors: *FieldError
// on "subscription" (not trialing), "action" or "end" (not in the future,
// more than MaxTrialDays ahead, or the current end).
func (a *Actions) PrepareTrial(ctx context.Context, op Operator, req TrialRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, req.Action, req.Subscription, &err)
	if req.Action != ActionTrialEnd && req.Action != ActionTrialExtend {
		return nil, fieldErrf("action", "%q is not a trial action", req.Action)
	}
	p, err := a.start(ctx, op, req.Action, strings.TrimSpace(req.Subscription), "subscription")
	if err != nil || p.Earlier {
		return p, err
	}
	sub, err := a.fresh(ctx, p, storage.KindSubscription, p.Target, "status", "trial_end")
	if err != nil {
		return nil, err
	}
	if st := str(sub, "status"); st != "trialing" {
		return nil, fieldErrf("subscription", "subscription %s is %s: only a trialing subscription has a trial to change", p.Target, orDash(st))
	}
	now := a.stripeNow()
	oldEnd := time.Unix(num(sub, "trial_end"), 0).UTC()
	params := &stripe.SubscriptionParams{}
	trialEnd, effect := "now", "Trial ends now; the first paid period is invoiced at once"
	if req.Action == ActionTrialExtend {
		end := req.End.UTC().Truncate(time.Second)
		switch {
		case req.End.IsZero():
			return nil, fieldErr("end", "choose the new end of the trial")
		case !end.After(now):
			return nil, fieldErr("end", "the new end must be in the future")
		case end.After(now.Add(MaxTrialDays * 24 * time.Hour)):
			return nil, fieldErrf("end", "Stripe allows a trial to end at most %d days ahead (%s)", MaxTrialDays,
				now.Add(MaxTrialDays*24*time.Hour).UTC().Format(time.DateOnly))
		case end.Equal(oldEnd):
			return nil, fieldErr("end", "the trial already ends then")
		}
		params.TrialEnd = stripe.Int64(end.Unix())
		trialEnd = strconv.FormatInt(end.Unix(), 10)
		effect = "Trial ends " + end.Format(time.DateTime) + " UTC; billing starts then"
		if end.Before(oldEnd) {
			p.Warnings = append(p.Warnings, "the new end is earlier than the current one: this shortens the trial")
		}
	} else {
		params.AddExtra("trial_end", "now")
	}
	params.AddMetadata(IntentMetadataKey, p.Key)
	p.Call = Call{Method: "POST", Path: stripe.FormatURLPath("/v1/subscriptions/%s", p.Target), Form: formOf(params),
		Before: []Param{{"trial_end", strconv.FormatInt(oldEnd.Unix(), 10)}}}
	p.Currency = str(sub, "currency")
	p.Lines = []Line{
		{"Subscription", p.Target + " (trialing)"},
		a.customerLine(str(sub, "customer"), "", ""),
		{"Plan", a.subscriptionPlans(sub)},
		{"Current trial end", oldEnd.Format(time.DateTime) + " UTC"},
		{"Effect", effect},
	}
	p.Warnings = append(p.Warnings, pausedWarning(sub, req.Action == ActionTrialEnd)...)
	next, due, err := a.trialPreview(ctx, p.Target, trialEnd)
	switch {
	case err == nil:
		p.Lines = append(p.Lines, next...)
		if req.Action == ActionTrialEnd {
			p.Amount = due // charged now: the audit records it
		}
	case isUpcomingNone(err):
		p.Warnings = append(p.Warnings, "Stripe has no upcoming invoice for this subscription: no preview of the next invoice")
	default:
		return nil, err
	}
	p.Lines = append(p.Lines, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

// trialPreview is the next invoice with the trial ending at trialEnd
// ("now" or unix seconds), from GET /v1/invoices/upcoming, and its
// amount due (minor units).
func (a *Actions) trialPreview(ctx context.Context, sub, trialEnd string) ([]Line, int64, error) {
	raw, err := a.get(ctx, "/v1/invoices/upcoming", []Param{{"subscription", sub}, {"subscription_trial_end", trialEnd}})
	if err != nil {
		return nil, 0, fmt.Errorf("preview the next invoice: %w", err)
	}
	var inv map[string]any
	if err := json.Unmarshal(raw, &inv); err != nil {
		return nil, 0, fmt.Errorf("preview the next invoice: decode: %w", err)
	}
	cur := str(inv, "currency")
	when := num(inv, "next_payment_attempt")
	if when == 0 {
		when = num(inv, "period_end")
	}
	at := "—"
	if when > 0 {
		at = time.Unix(when, 0).UTC().Format(time.DateTime) + " UTC"
	}
	return []Line{
		{"Next invoice", at},
		{"Next invoice total", money.Format(num(inv, "total"), cur)},
		{"Next invoice amount due", money.Format(num(inv, "amount_due"), cur)},
	}, num(inv, "amount_due"), nil
}

func isUpcomingNone(err error) bool {
	var se *stripe.Error
	return errors.As(err, &se) && se.Code == "invoice_upcoming_none"
}
