package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

// Errors of a new plan made while an earlier intent of the same action on
// the same target is still pending (its answer was lost).
var (
	// ErrEarlierApplied is matched (errors.Is) when the earlier intent was
	// found applied on Stripe: it is recorded as succeeded and nothing is
	// planned or sent. The *EarlierError in the chain holds its result.
	ErrEarlierApplied = errors.New("the earlier request went through")
	// ErrEarlierUnknown is matched when Stripe could not be asked about
	// the earlier intent: nothing is planned until its outcome is known.
	ErrEarlierUnknown = errors.New("the earlier request has no known outcome")
)

// EarlierError reports the earlier pending intent that stopped a new plan.
type EarlierError struct {
	Intent storage.Intent
	// Result is the earlier intent's outcome when it was found applied.
	Result Result
	// Cause is why Stripe could not be asked (ErrEarlierUnknown only).
	Cause error
}

func (e *EarlierError) Error() string {
	in := e.Intent
	what := describeIntent(in)
	if e.Cause != nil {
		return fmt.Sprintf("%s has no known outcome and Stripe could not be asked (%s): nothing new was planned; "+
			"try again when Stripe answers, or resolve it in Audit (8, p, R)", what, ExplainAction(e.Cause))
	}
	res := ""
	if e.Result.ResultID != "" && e.Result.ResultID != in.Target {
		res = " as " + e.Result.ResultID
	}
	return fmt.Sprintf("%s went through on Stripe%s: it is now recorded as succeeded and nothing was sent again", what, res)
}

func (e *EarlierError) Unwrap() []error {
	if e.Cause != nil {
		return []error{ErrEarlierUnknown, e.Cause}
	}
	return []error{ErrEarlierApplied}
}

// describeIntent words an intent for an operator: "an earlier refund of
// $10.00 on ch_1 (key pd_…, started 2026-11-23 12:00:00 UTC by ada@desk)".
func describeIntent(in storage.Intent) string {
	amount := ""
	if in.Amount != 0 && in.Currency != "" {
		amount = " of " + money.Format(in.Amount, in.Currency)
	}
	return fmt.Sprintf("an earlier %s%s on %s (key %s, started %s by %s)", actionName(Action(in.Action)), amount, in.Target,
		in.Key, time.Unix(in.CreatedAt, 0).UTC().Format(time.DateTime+" UTC"), in.Operator)
}

// settleEarlier resolves the pending intents of act on target before a new
// plan is made, by looking each one up on Stripe (as Resume does):
//   - found applied: the intent is recorded as succeeded, audited, and an
//     *EarlierError matching ErrEarlierApplied is returned;
//   - Stripe cannot be asked: an *EarlierError matching ErrEarlierUnknown;
//   - Stripe shows no trace: the returned plan re-sends the earlier call
//     with its original key (Plan.Earlier set) instead of a new one.
//
// With no pending intent it returns (nil, nil). It holds across processes
// because intents live in the cache file.
func (a *Actions) settleEarlier(ctx context.Context, op Operator, act Action, target string) (*Plan, error) {
	pending, err := a.store.Intents(storage.IntentPending, 1<<30)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: pending intents: %w", act, err)
	}
	slices.Reverse(pending) // oldest first
	for _, in := range pending {
		if in.Action != string(act) || in.Target != target {
			continue
		}
		p, err := a.settleOne(ctx, op, in.Key)
		if p != nil || err != nil {
			return p, err
		}
	}
	return nil, nil
}

// settleOne looks one pending intent up; (nil, nil) when it turned out
// finished meanwhile.
func (a *Actions) settleOne(ctx context.Context, op Operator, key string) (*Plan, error) {
	unlock := a.lock(key)
	defer unlock()
	in, err := a.store.Intent(key)
	if err != nil {
		return nil, fmt.Errorf("earlier intent %s: %w", key, err)
	}
	if in.State != storage.IntentPending {
		return nil, nil
	}
	var call Call
	if err := json.Unmarshal(in.Params, &call); err != nil {
		return nil, fmt.Errorf("earlier intent %s: stored call: %w", key, err)
	}
	id, found, err := a.lookup(ctx, in, call)
	if err != nil {
		return nil, &EarlierError{Intent: in, Cause: err}
	}
	if found {
		r, err := a.succeed(in, op, nil, id, "", "found on Stripe when the same action was asked for again: not sent again")
		if err != nil {
			return nil, err
		}
		return nil, &EarlierError{Intent: in, Result: r}
	}
	p := &Plan{Action: Action(in.Action), Operator: op, Target: in.Target, Amount: in.Amount, Currency: in.Currency,
		Call: call, Key: in.Key, PreparedAt: a.now(), Earlier: true, ConfirmTwice: irreversible(Action(in.Action), call)}
	p.Lines = []Line{
		{"Action", actionName(p.Action) + " (the earlier request, not a new one)"},
		{"Target", in.Target},
	}
	if in.Amount != 0 && in.Currency != "" {
		p.Lines = append(p.Lines, Line{"Amount", money.Format(in.Amount, in.Currency)})
	}
	p.Lines = append(p.Lines,
		Line{"Request", call.String()},
		Line{"Started", time.Unix(in.CreatedAt, 0).UTC().Format(time.DateTime+" UTC") + " by " + in.Operator},
		Line{"Attempts so far", fmt.Sprint(in.Attempts)},
		Line{"Idempotency key", in.Key + " (original)"})
	p.Warnings = append(p.Warnings, describeIntent(in)+" lost its answer and Stripe shows no trace of it: "+
		"confirming sends that request again with its original key; nothing new was planned "+
		"(abandon it in Audit (8, p, A) to plan a different one)")
	return p, nil
}

// Abandon gives up a pending intent on behalf of op once a lookup on Stripe
// shows it never happened: it is marked failed ("abandoned") and audited,
// so a new plan on its target is no longer held back by it. When the
// lookup finds it applied, it is recorded as succeeded instead and an
// *EarlierError matching ErrEarlierApplied is returned; when Stripe cannot
// be asked, one matching ErrEarlierUnknown, and nothing changes.
func (a *Actions) Abandon(ctx context.Context, op Operator, key string) (Result, error) {
	unlock := a.lock(key)
	defer unlock()
	in, err := a.store.Intent(key)
	if err != nil {
		return Result{}, fmt.Errorf("abandon %s: %w", key, err)
	}
	if in.State != storage.IntentPending {
		return resultOf(in), fmt.Errorf("abandon %s: %w: it is %s", key, ErrBadPlan, in.State)
	}
	if err := a.authorize(op, Action(in.Action), in.Target, in.Amount, in.Currency, in.Key); err != nil {
		return resultOf(in), fmt.Errorf("abandon %s: %w", key, err)
	}
	var call Call
	if err := json.Unmarshal(in.Params, &call); err != nil {
		return resultOf(in), fmt.Errorf("abandon %s: stored call: %w", key, err)
	}
	id, found, err := a.lookup(ctx, in, call)
	if err != nil {
		return resultOf(in), fmt.Errorf("abandon %s: %w", key, &EarlierError{Intent: in, Cause: err})
	}
	if found {
		r, err := a.succeed(in, op, nil, id, "", "found on Stripe when abandoning it: recorded as succeeded")
		if err != nil {
			return r, err
		}
		return r, fmt.Errorf("abandon %s: %w", key, &EarlierError{Intent: in, Result: r})
	}
	in.State = storage.IntentFailed
	in.Error = "abandoned by " + op.Name + ": Stripe shows no trace of it"
	if err := a.store.UpdateIntent(in); err != nil {
		return resultOf(in), fmt.Errorf("abandon %s: %w", key, err)
	}
	a.audit(in, op, OutcomeAbandoned, in.Error)
	return resultOf(in), nil
}
