package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// RepeatWindow is how long a succeeded intent makes a new plan of the
// same money (its ActionSpec.Repeat identity: same action, target, amount
// and currency, whatever the note) a repeat: Stripe's idempotency window,
// the time in which a second such request is most likely a re-run rather
// than a decision.
const RepeatWindow = 24 * time.Hour

// sameMoney is the Repeat identity of an action whose money is its amount
// on its target: the target, the amount in minor units (signed, so a
// credit adjustment's direction is part of it) and the currency. A refund
// is the charge or payment intent and the sum refunded, a credit
// adjustment the customer and the signed sum, a credit note the invoice
// and its total, a one-off invoice the customer and its items' total.
func sameMoney(target string, amount int64, currency string, _ Call) string {
	return fmt.Sprintf("%s %d %s", target, amount, strings.ToLower(currency))
}

// ErrRepeat is matched (errors.Is) by Confirm's error when the plan repeats
// the money of an action that succeeded within RepeatWindow and the operator
// did not ask for it again; the *RepeatError in the chain names it.
var ErrRepeat = errors.New("the same request succeeded recently")

// RepeatError names the earlier succeeded intent a new plan repeats.
type RepeatError struct{ Intent storage.Intent }

func (e *RepeatError) Error() string {
	return e.Words() + "; ask for it again explicitly to send another"
}

// Words names the earlier request and says nothing was sent, without the
// hint how to send another (each surface gives its own: a key, a flag).
func (e *RepeatError) Words() string {
	return repeatWords(e.Intent) + ": nothing was sent"
}

func (e *RepeatError) Unwrap() error { return ErrRepeat }

// repeatWords words an earlier succeeded intent: "an earlier refund of
// $5.00 on ch_1 (key pd_…, started … by ada@desk) succeeded as re_1".
func repeatWords(in storage.Intent) string {
	res := ""
	if in.ResultID != "" && in.ResultID != in.Target {
		res = " as " + in.ResultID
	}
	return describeIntent(in) + " succeeded" + res
}

// finish is the last step of every Prepare for a new plan:
//   - a plan identical to one a dry run recorded (RecordPlan: same action,
//     target and parameters, never sent) takes that intent's idempotency
//     key, so the key a dry run printed is the key the send uses;
//   - a plan of an action with an ActionSpec.Repeat identity that equals
//     the identity of an intent that succeeded within RepeatWindow (the
//     same money on the same target, whatever its note, reason,
//     description, memo or metadata) gets Repeats set and a warning naming
//     that intent and its result (Confirm refuses it unless asked again).
//
// Errors: reading the intents from the cache.
func (a *Actions) finish(p *Plan) (*Plan, error) {
	sig, err := callSignature(p.Call, p.Key)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", p.Action, err)
	}
	ins, err := a.store.IntentsOn(string(p.Action), p.Target, storage.IntentPlanned, storage.IntentSucceeded)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: intents on %s: %w", p.Action, p.Target, err)
	}
	if in := sameCall(ins, sig, storage.IntentPlanned, 0); in != nil {
		if err := p.rekey(in.Key); err != nil {
			return nil, fmt.Errorf("prepare %s: %w", p.Action, err)
		}
	}
	spec := mustSpec(p.Action)
	if spec.Repeat == nil {
		return p, nil
	}
	for _, alias := range p.sameTargets {
		more, err := a.store.IntentsOn(string(p.Action), alias, storage.IntentSucceeded)
		if err != nil {
			return nil, fmt.Errorf("prepare %s: intents on %s: %w", p.Action, alias, err)
		}
		ins = append(ins, more...)
	}
	if in := sameMoneyAs(ins, spec, p, a.now().Add(-RepeatWindow).Unix()); in != nil {
		p.Repeats = in
		p.Warnings = append(p.Warnings, "the same request already went through: "+repeatWords(*in)+"; confirming sends another")
	}
	return p, nil
}

// sameCall returns the first of ins (newest first) in state created at or
// after since (unix seconds) whose call has signature sig, or nil.
func sameCall(ins []storage.Intent, sig string, state storage.IntentState, since int64) *storage.Intent {
	for i, in := range ins {
		if in.State != state || in.CreatedAt < since {
			continue
		}
		var c Call
		if json.Unmarshal(in.Params, &c) != nil {
			continue
		}
		if s, err := callSignature(c, in.Key); err == nil && s == sig {
			return &ins[i]
		}
	}
	return nil
}

// sameMoneyAs returns the newest of ins that succeeded at or after since
// (unix seconds) with the same Repeat identity as p under spec, or nil; an
// intent on one of p's sameTargets counts as on p's target.
func sameMoneyAs(ins []storage.Intent, spec ActionSpec, p *Plan, since int64) *storage.Intent {
	want := spec.Repeat(p.Target, p.Amount, p.Currency, p.Call)
	var found *storage.Intent
	for i, in := range ins {
		if in.State != storage.IntentSucceeded || in.CreatedAt < since || in.Key == p.Key {
			continue
		}
		if found != nil && in.CreatedAt <= found.CreatedAt {
			continue
		}
		var c Call
		if json.Unmarshal(in.Params, &c) != nil {
			continue
		}
		target := in.Target
		if slices.Contains(p.sameTargets, target) {
			target = p.Target
		}
		if spec.Repeat(target, in.Amount, in.Currency, c) == want {
			found = &ins[i]
		}
	}
	return found
}

// callSignature is a call with everything that differs between two
// identical requests left out: its idempotency key (in the form's
// metadata and the steps' keys), the steps' results and the operator's
// name in metadata.
func callSignature(c Call, key string) (string, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encode call: %w", err)
	}
	var cp Call
	if err := json.Unmarshal(raw, &cp); err != nil {
		return "", fmt.Errorf("decode call: %w", err)
	}
	cp.Form = withoutOperator(cp.Form)
	for i := range cp.Steps {
		cp.Steps[i].ResultID = ""
		cp.Steps[i].Form = withoutOperator(cp.Steps[i].Form)
	}
	raw, err = json.Marshal(cp)
	if err != nil {
		return "", fmt.Errorf("encode call: %w", err)
	}
	if key == "" {
		return string(raw), nil
	}
	return strings.ReplaceAll(string(raw), key, "{key}"), nil
}

func withoutOperator(form []Param) []Param {
	out := form[:0:0]
	for _, p := range form {
		if p.Name != "metadata[paydesk_operator]" {
			out = append(out, p)
		}
	}
	return out
}

// rekey gives the plan the idempotency key key in place of its own,
// everywhere the key appears (the call's metadata and step keys, the
// confirmation lines).
func (p *Plan) rekey(key string) error {
	raw, err := json.Marshal(p.Call)
	if err != nil {
		return fmt.Errorf("encode call: %w", err)
	}
	var c Call
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(raw), p.Key, key)), &c); err != nil {
		return fmt.Errorf("decode call: %w", err)
	}
	for i := range p.Lines {
		p.Lines[i].Value = strings.ReplaceAll(p.Lines[i].Value, p.Key, key)
	}
	p.Call, p.Key = c, key
	return nil
}

// RecordPlan writes down a plan that was shown but not sent (the CLI's
// dry run) as a planned intent: nothing is sent, and the next Prepare of
// the identical request (same action, target and parameters) reuses its
// idempotency key, so the key printed is the key sent. A plan already
// recorded is refreshed; one whose key was sent is left alone. Errors:
// writing the cache.
func (a *Actions) RecordPlan(p *Plan) error {
	if p == nil || p.Key == "" || p.Earlier {
		return nil
	}
	params, err := json.Marshal(p.Call)
	if err != nil {
		return fmt.Errorf("record plan %s: encode call: %w", p.Action, err)
	}
	unlock := a.lock(p.Key)
	defer unlock()
	in, err := a.store.Intent(p.Key)
	switch {
	case err == nil && in.State != storage.IntentPlanned:
		return nil
	case err == nil:
		in.Params, in.Amount, in.Currency, in.Operator = params, p.Amount, p.Currency, p.Operator.Name
		err = a.store.UpdateIntent(in)
	case errors.Is(err, storage.ErrNotFound):
		err = a.store.CreateIntent(storage.Intent{Key: p.Key, Operator: p.Operator.Name, Action: string(p.Action), Target: p.Target,
			Params: params, Amount: p.Amount, Currency: p.Currency, State: storage.IntentPlanned, CreatedAt: a.now().Unix()})
	}
	if err != nil {
		return fmt.Errorf("record plan %s: %w", p.Action, err)
	}
	return nil
}

// Confirm checks a plan against what its sender asked for before Execute:
// a plan that repeats an identical request that succeeded within
// RepeatWindow (Plan.Repeats) is refused with a *RepeatError (ErrRepeat)
// unless again is set. The refusal is audited.
func (a *Actions) Confirm(p *Plan, again bool) error {
	if p == nil || p.Repeats == nil || again {
		return nil
	}
	err := &RepeatError{Intent: *p.Repeats}
	a.refused(p, err)
	return err
}

// sendPlanned makes the first attempt of a plan whose intent a dry run
// recorded: the intent becomes pending with this plan's call (the same
// request by construction: finish matched it) and is sent with its key.
func (a *Actions) sendPlanned(ctx context.Context, p *Plan, in storage.Intent) (Result, error) {
	if a.now().Sub(p.PreparedAt) > PlanTTL {
		return Result{}, fmt.Errorf("execute %s: %w", p.Action, ErrPlanExpired)
	}
	params, err := json.Marshal(p.Call)
	if err != nil {
		return Result{}, fmt.Errorf("execute %s: encode call: %w", p.Action, err)
	}
	in.Operator, in.Params, in.Amount, in.Currency = p.Operator.Name, params, p.Amount, p.Currency
	in.State, in.CreatedAt, in.Attempts = storage.IntentPending, a.now().Unix(), 1
	if err := a.store.UpdateIntent(in); err != nil {
		return Result{}, fmt.Errorf("execute %s: %w", p.Action, err)
	}
	return a.send(ctx, in, p.Operator, "", true)
}
