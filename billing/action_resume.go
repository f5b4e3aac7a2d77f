package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
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

// lookup looks for the outcome of an intent on Stripe: the object that
// carries its paydesk_intent metadata, or the target already in the state
// the call aimed at. found is false when Stripe shows no trace of it.
func (a *Actions) lookup(ctx context.Context, in storage.Intent, call Call) (id string, found bool, err error) {
	switch Action(in.Action) {
	case ActionRefund:
		return a.lookupRefund(ctx, in, call)
	case ActionCredit:
		return a.lookupCredit(ctx, in)
	case ActionPlanChange, ActionPause:
		return a.lookupMetadata(ctx, storage.KindSubscription, in)
	case ActionCancel:
		return a.lookupCancel(ctx, in, call)
	case ActionInvoicePay, ActionInvoiceVoid, ActionInvoiceUncollect, ActionInvoiceSend:
		return a.lookupInvoice(ctx, in)
	case ActionDisputeEvidence:
		return a.lookupMetadata(ctx, storage.KindDispute, in)
	}
	return "", false, fmt.Errorf("no lookup for action %q", in.Action)
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

// endpoints are the calls each action may make on its target; Execute
// and Resume refuse any other (a plan not built by Prepare).
func checkCall(act Action, target string, call Call) error {
	if target == "" {
		return fmt.Errorf("%w: no target", ErrBadPlan)
	}
	post := func(format string) string { return http.MethodPost + " " + stripe.FormatURLPath(format, target) }
	var allowed []string
	switch act {
	case ActionRefund:
		allowed = []string{http.MethodPost + " /v1/refunds"}
		if call.Get("charge") != target && call.Get("payment_intent") != target {
			return fmt.Errorf("%w: refund of %s does not name it", ErrBadPlan, target)
		}
	case ActionPlanChange, ActionPause:
		allowed = []string{post("/v1/subscriptions/%s")}
	case ActionCancel:
		allowed = []string{post("/v1/subscriptions/%s"), http.MethodDelete + " " + stripe.FormatURLPath("/v1/subscriptions/%s", target)}
	case ActionCredit:
		allowed = []string{post("/v1/customers/%s/balance_transactions")}
	case ActionInvoicePay:
		allowed = []string{post("/v1/invoices/%s/pay")}
	case ActionInvoiceVoid:
		allowed = []string{post("/v1/invoices/%s/void")}
	case ActionInvoiceUncollect:
		allowed = []string{post("/v1/invoices/%s/mark_uncollectible")}
	case ActionInvoiceSend:
		allowed = []string{post("/v1/invoices/%s/send")}
	case ActionDisputeEvidence:
		allowed = []string{post("/v1/disputes/%s")}
	default:
		return fmt.Errorf("%w: unknown action %q", ErrBadPlan, act)
	}
	if !slices.Contains(allowed, call.Method+" "+call.Path) {
		return fmt.Errorf("%w: %s cannot send %s %s", ErrBadPlan, act, call.Method, call.Path)
	}
	return nil
}
