package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// Resume resolves a pending intent after a crash, a restart or a dropped
// session, on behalf of op (who needs the role its action requires).
// Intents younger than ReplayWindow are sent again with their key: Stripe
// replays the first answer if the first attempt got through. Older
// intents (Stripe forgets keys after 24 hours) are first looked up on
// Stripe by their paydesk_intent metadata or by the state they aimed at;
// only when nothing is found is the call sent again. Finished intents
// return their stored outcome without calling Stripe.
func (a *Actions) Resume(ctx context.Context, op Operator, key string) (Result, error) {
	unlock := a.lock(key)
	defer unlock()
	in, err := a.store.Intent(key)
	if err != nil {
		return Result{}, fmt.Errorf("resume %s: %w", key, err)
	}
	if in.State != storage.IntentPending {
		return finished(in)
	}
	act := Action(in.Action)
	if err := a.authorize(op, act, in.Target, in.Amount, in.Currency, in.Key); err != nil {
		return resultOf(in), fmt.Errorf("resume %s: %w", key, err)
	}
	var call Call
	if err := json.Unmarshal(in.Params, &call); err != nil {
		return resultOf(in), fmt.Errorf("resume %s: stored call: %w", key, err)
	}
	if err := checkCall(act, in.Target, call); err != nil {
		return resultOf(in), fmt.Errorf("resume %s: %w", key, err)
	}
	note := "resumed"
	if age := a.now().Sub(time.Unix(in.CreatedAt, 0)); age >= ReplayWindow {
		id, found, err := a.lookup(ctx, in, call)
		if err != nil {
			return resultOf(in), fmt.Errorf("resume %s: look up the outcome: %w", key, err)
		}
		if found {
			return a.succeed(in, op, nil, id, "", fmt.Sprintf("found on Stripe after %s (key expired), not sent again", age.Round(time.Minute)))
		}
		note = "key expired and nothing found on Stripe: sent again"
	}
	return a.send(ctx, in, op, note, false)
}

// lookupMetadata finds an updated object whose metadata names the intent.
func (a *Actions) lookupMetadata(ctx context.Context, kind storage.Kind, in storage.Intent) (string, bool, error) {
	raw, err := a.c.Retrieve(ctx, kind, in.Target)
	if err != nil {
		return "", false, err
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", false, fmt.Errorf("decode %s: %w", in.Target, err)
	}
	return in.Target, str(obj, "metadata."+IntentMetadataKey) == in.Key, nil
}

// findListed pages through the list endpoint path (query q, at most 20
// pages) for the object whose metadata names key: its id and true when
// found, false when the list ends (or 20 pages pass) without it.
func (a *Actions) findListed(ctx context.Context, path string, q []Param, key string) (string, bool, error) {
	for range 20 {
		raw, err := a.get(ctx, path, q)
		if err != nil {
			return "", false, err
		}
		last, found, more, err := listed(raw, key)
		if err != nil || found || !more {
			return last, found, err
		}
		q = setParam(q, "starting_after", last)
	}
	return "", false, nil
}

// listed finds, in a list answer, the object whose metadata names key.
func listed(raw json.RawMessage, key string) (string, bool, bool, error) {
	var page struct {
		HasMore bool             `json:"has_more"`
		Data    []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return "", false, false, fmt.Errorf("decode list: %w", err)
	}
	last := ""
	for _, o := range page.Data {
		last = str(o, "id")
		if str(o, "metadata."+IntentMetadataKey) == key {
			return last, true, false, nil
		}
	}
	return last, false, page.HasMore && last != "", nil
}
