package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// Cancel modes.
const (
	CancelNow         = "now"           // ends the subscription immediately
	CancelAtPeriodEnd = "at_period_end" // keeps it until the paid period ends
	CancelUndo        = "undo"          // removes a pending cancel at period end
)

// CancelRequest is what the cancel form collects.
type CancelRequest struct {
	Subscription string
	// Mode is CancelNow, CancelAtPeriodEnd or CancelUndo.
	Mode string
	// Comment is kept in cancellation_details[comment].
	Comment string
}

// PauseBehaviors are Stripe's pause_collection behaviours.
var PauseBehaviors = []string{"keep_as_draft", "mark_uncollectible", "void"}

// PauseRequest is what the pause-collection form collects.
type PauseRequest struct {
	Subscription string
	// Resume clears pause_collection; otherwise collection is paused.
	Resume bool
	// Behavior is one of PauseBehaviors (pausing only).
	Behavior string
	// ResumesAt resumes collection automatically (zero: until resumed).
	ResumesAt time.Time
}

var liveSubscription = []string{"active", "trialing", "past_due", "unpaid", "incomplete", "paused"}

// PrepareCancel plans a cancellation now, at period end, or the undo of
// a cancellation at period end.
func (a *Actions) PrepareCancel(ctx context.Context, op Operator, req CancelRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionCancel, req.Subscription, &err)
	p, err := a.start(ctx, op, ActionCancel, strings.TrimSpace(req.Subscription), "subscription")
	if err != nil || p.Earlier {
		return p, err
	}
	sub, err := a.fresh(ctx, p, storage.KindSubscription, p.Target, "status", "cancel_at_period_end", "current_period_end")
	if err != nil {
		return nil, err
	}
	status := str(sub, "status")
	if !contains(liveSubscription, status) {
		return nil, fieldErrf("subscription", "subscription %s is already %s", p.Target, status)
	}
	comment := strings.TrimSpace(req.Comment)
	if err := CheckText("comment", "comment", comment, true); err != nil {
		return nil, err
	}
	if len(comment) > MaxNoteLength {
		return nil, fieldErrf("comment", "at most %d characters (%d typed)", MaxNoteLength, len(comment))
	}
	periodEnd := time.Unix(num(sub, "current_period_end"), 0).UTC()
	cape := boolean(sub, "cancel_at_period_end")
	var effect string
	switch req.Mode {
	case CancelNow:
		params := &stripe.SubscriptionCancelParams{}
		if comment != "" {
			params.CancellationDetails = &stripe.SubscriptionCancelCancellationDetailsParams{Comment: stripe.String(comment)}
		}
		p.Call = Call{Method: "DELETE", Path: stripe.FormatURLPath("/v1/subscriptions/%s", p.Target), Form: formOf(params)}
		effect = "Ends now: no further invoices; the unused time is not refunded"
	case CancelAtPeriodEnd, CancelUndo:
		if req.Mode == CancelAtPeriodEnd && cape {
			return nil, fieldErrf("mode", "subscription %s already cancels at period end (%s)", p.Target, periodEnd.Format(time.DateOnly))
		}
		if req.Mode == CancelUndo && !cape {
			return nil, fieldErrf("mode", "subscription %s is not set to cancel at period end", p.Target)
		}
		params := &stripe.SubscriptionParams{CancelAtPeriodEnd: stripe.Bool(req.Mode == CancelAtPeriodEnd)}
		if comment != "" {
			params.CancellationDetails = &stripe.SubscriptionCancellationDetailsParams{Comment: stripe.String(comment)}
		}
		params.AddMetadata(IntentMetadataKey, p.Key)
		p.Call = Call{Method: "POST", Path: stripe.FormatURLPath("/v1/subscriptions/%s", p.Target), Form: formOf(params)}
		effect = "Ends on " + periodEnd.Format(time.DateOnly) + ", the end of the paid period"
		if req.Mode == CancelUndo {
			effect = "Keeps renewing: the cancellation at " + periodEnd.Format(time.DateOnly) + " is withdrawn"
		}
	default:
		return nil, fieldErrf("mode", "choose %s, %s or %s", CancelNow, CancelAtPeriodEnd, CancelUndo)
	}
	p.Currency = str(sub, "currency")
	p.Lines = []Line{
		{"Subscription", p.Target},
		a.customerLine(str(sub, "customer"), "", ""),
		{"Status", status + cancelSuffix(cape)},
		{"Plan", a.subscriptionPlans(sub)},
		{"Effect", effect},
	}
	if req.Mode != CancelUndo {
		sum, more, err := a.pendingProrations(ctx, p.Target)
		if err != nil {
			p.Warnings = append(p.Warnings, "pending prorations unknown: Stripe's upcoming invoice could not be read")
		}
		if line, warning := prorationsFate(req.Mode, sum, more, p.Currency, periodEnd); line != "" {
			p.Lines = append(p.Lines, Line{"Pending prorations", line})
			if warning != "" {
				p.Warnings = append(p.Warnings, warning)
			}
		}
	}
	p.Lines = append(p.Lines, Line{"Comment", orDash(comment)}, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

func cancelSuffix(cape bool) string {
	if cape {
		return " (cancels at period end)"
	}
	return ""
}

func (a *Actions) subscriptionPlans(sub map[string]any) string {
	items, _ := lookupPath(sub, "items.data").([]any)
	var parts []string
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			pr, _ := m["price"].(map[string]any)
			parts = append(parts, a.priceWords(pr, num(m, "quantity")))
		}
	}
	return orDash(strings.Join(parts, "; "))
}

// PreparePause plans pausing payment collection (with a behaviour and an
// optional automatic resume) or resuming it.
func (a *Actions) PreparePause(ctx context.Context, op Operator, req PauseRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionPause, req.Subscription, &err)
	p, err := a.start(ctx, op, ActionPause, strings.TrimSpace(req.Subscription), "subscription")
	if err != nil || p.Earlier {
		return p, err
	}
	sub, err := a.fresh(ctx, p, storage.KindSubscription, p.Target, "status", "pause_collection.behavior", "pause_collection.resumes_at")
	if err != nil {
		return nil, err
	}
	status := str(sub, "status")
	if !contains([]string{"active", "trialing", "past_due", "unpaid"}, status) {
		return nil, fieldErrf("subscription", "subscription %s is %s: collection can be paused only on a live subscription", p.Target, status)
	}
	paused := lookupPath(sub, "pause_collection") != nil
	params := &stripe.SubscriptionParams{}
	var effect string
	if req.Resume {
		if !paused {
			return nil, fieldErrf("subscription", "collection on %s is not paused", p.Target)
		}
		params.AddExtra("pause_collection", "")
		effect = "Resume collection: the next invoices are charged as usual"
	} else {
		b := strings.TrimSpace(req.Behavior)
		if !contains(PauseBehaviors, b) {
			return nil, fieldErrf("behavior", "choose one of %s", strings.Join(PauseBehaviors, ", "))
		}
		if paused && str(sub, "pause_collection.behavior") == b && num(sub, "pause_collection.resumes_at") == unixOrZero(req.ResumesAt) {
			return nil, fieldErrf("behavior", "collection is already paused with %s", b)
		}
		pc := &stripe.SubscriptionPauseCollectionParams{Behavior: stripe.String(b)}
		effect = "Pause collection (" + b + ") until resumed"
		if !req.ResumesAt.IsZero() {
			if !req.ResumesAt.After(a.stripeNow()) {
				return nil, fieldErr("resumes_at", "the automatic resume must be in the future")
			}
			pc.ResumesAt = stripe.Int64(req.ResumesAt.Unix())
			effect = "Pause collection (" + b + ") until " + req.ResumesAt.UTC().Format(time.DateOnly)
		}
		params.PauseCollection = pc
	}
	params.AddMetadata(IntentMetadataKey, p.Key)
	p.Call = Call{Method: "POST", Path: stripe.FormatURLPath("/v1/subscriptions/%s", p.Target), Form: formOf(params)}
	p.Currency = str(sub, "currency")
	now := "collecting"
	if paused {
		now = "paused (" + str(sub, "pause_collection.behavior") + ")"
	}
	p.Lines = []Line{
		{"Subscription", p.Target + " (" + status + ")"},
		a.customerLine(str(sub, "customer"), "", ""),
		{"Collection now", now},
		{"Effect", effect},
		{"Idempotency key", p.Key},
	}
	return a.finish(p)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// lookupCancel: an immediate cancellation is found when the subscription
// is canceled; the others carry the intent's metadata.
func (a *Actions) lookupCancel(ctx context.Context, in storage.Intent, call Call) (string, bool, error) {
	if call.Method != "DELETE" {
		return a.lookupMetadata(ctx, storage.KindSubscription, in)
	}
	raw, err := a.c.Retrieve(ctx, storage.KindSubscription, in.Target)
	if err != nil {
		return "", false, err
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", false, fmt.Errorf("decode %s: %w", in.Target, err)
	}
	return in.Target, str(obj, "status") == "canceled", nil
}
