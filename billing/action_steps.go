package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paydesk/paydesk/storage"
)

// Step is one request of a call of several (Call.Steps). Each step has
// its own idempotency key, stored on the intent with the call, and the id
// Stripe answered once it went through (ResultID, recorded on the intent
// before the next step is sent), so a retry or a resume continues from the
// step reached and never repeats one that went through.
type Step struct {
	// Name identifies the step ("item1", "invoice", "finalize", "send");
	// a later Path refers to a step's result as "{name}".
	Name   string  `json:"name"`
	Method string  `json:"method"`
	Path   string  `json:"path"`
	Form   []Param `json:"form,omitempty"`
	// Key is the step's idempotency key (the intent's key with a suffix;
	// the step that creates the action's object uses the intent's key).
	Key string `json:"key"`
	// Find says how a retry recognises the step as done on Stripe before
	// sending it again (Stripe forgets keys after 24 hours):
	// FindListed pages List (with Query) for the object whose
	// metadata paydesk_intent is Key; FindNotDraft retrieves the invoice
	// named in Path and counts it done once it is no longer a draft;
	// "" sends it again with its key.
	Find  string  `json:"find,omitempty"`
	List  string  `json:"list,omitempty"`
	Query []Param `json:"query,omitempty"`
	// ResultID is the id Stripe answered ("" until done).
	ResultID string `json:"result_id,omitempty"`
}

// How a retry recognises a step that went through (Step.Find).
const (
	FindListed   = "listed"
	FindNotDraft = "not_draft"
)

// call is the step as the request it sends (paths still templated).
func (s Step) call() Call { return Call{Method: s.Method, Path: s.Path, Form: s.Form} }

// resolve fills "{name}" in a step's path with that step's result.
func resolve(path string, steps []Step) (string, error) {
	for _, st := range steps {
		ref := "{" + st.Name + "}"
		if !strings.Contains(path, ref) {
			continue
		}
		if st.ResultID == "" {
			return "", fmt.Errorf("%w: %s needs step %s first", ErrBadPlan, path, st.Name)
		}
		path = strings.ReplaceAll(path, ref, st.ResultID)
	}
	if strings.Contains(path, "{") {
		return "", fmt.Errorf("%w: %s names no earlier step", ErrBadPlan, path)
	}
	return path, nil
}

// checkSteps refuses steps the action may not send: each must match one of
// its endpoints (templates as written, "{invoice}" included), and a step
// that names a customer must name the target.
func checkSteps(s ActionSpec, target string, call Call) error {
	if len(call.Steps) == 0 {
		return fmt.Errorf("%w: %s is sent as steps", ErrBadPlan, s.Action)
	}
	for _, st := range call.Steps {
		if c := st.call().Get("customer"); c != "" && c != target {
			return fmt.Errorf("%w: step %s names customer %s, not %s", ErrBadPlan, st.Name, c, target)
		}
		if st.Key == "" {
			return fmt.Errorf("%w: step %s has no idempotency key", ErrBadPlan, st.Name)
		}
		ok := false
		for _, e := range s.Endpoints {
			method, path, _ := strings.Cut(e, " ")
			ok = ok || (st.Method == method && st.Path == path)
		}
		if !ok {
			return fmt.Errorf("%w: %s cannot send %s %s", ErrBadPlan, s.Action, st.Method, st.Path)
		}
	}
	return nil
}

// sendSteps sends the steps of call not yet done, in order, each with its
// key; every step's result is recorded on the intent before the next one.
// On a retry (in.Attempts > 1) a step is first looked for on Stripe as its
// Find says. It returns the last answer (the object of the final step).
func (a *Actions) sendSteps(ctx context.Context, in *storage.Intent, call *Call) (json.RawMessage, string, error) {
	var raw json.RawMessage
	var reqID string
	last := -1
	for i := range call.Steps {
		st := &call.Steps[i]
		if st.ResultID != "" {
			last = i
			continue
		}
		path, err := resolve(st.Path, call.Steps)
		if err != nil {
			return nil, "", err
		}
		if in.Attempts > 1 {
			id, found, err := a.stepDone(ctx, st, path)
			if err != nil {
				return nil, "", fmt.Errorf("step %s: look it up: %w", st.Name, err)
			}
			if found {
				if err := a.recordStep(in, call, st, id); err != nil {
					return nil, "", err
				}
				last, raw = i, nil
				continue
			}
		}
		raw, reqID, err = a.do(ctx, Call{Method: st.Method, Path: path, Form: st.Form}, st.Key)
		if err != nil {
			return nil, reqID, fmt.Errorf("step %d of %d (%s): %w", i+1, len(call.Steps), st.Name, err)
		}
		id, err := objectID(raw)
		if err != nil {
			return nil, reqID, fmt.Errorf("step %s: %w", st.Name, err)
		}
		if err := a.recordStep(in, call, st, id); err != nil {
			return nil, reqID, err
		}
		last = i
	}
	if raw == nil && last >= 0 {
		// The last steps were found done, not sent: answer with the
		// action's object as Stripe has it now (the step Method and
		// Path of the call name: GET Path/ResultID).
		for _, st := range call.Steps {
			if st.Method == call.Method && st.Path == call.Path && st.ResultID != "" {
				got, err := a.get(ctx, call.Path+"/"+st.ResultID, nil)
				return got, "", err
			}
		}
	}
	return raw, reqID, nil
}

// recordStep stores a done step on the intent.
func (a *Actions) recordStep(in *storage.Intent, call *Call, st *Step, id string) error {
	st.ResultID = id
	params, err := json.Marshal(call)
	if err != nil {
		return fmt.Errorf("encode call: %w", err)
	}
	in.Params = params
	if err := a.store.UpdateIntent(*in); err != nil {
		return fmt.Errorf("record step %s: %w", st.Name, err)
	}
	return nil
}

// stepDone looks a step up on Stripe as its Find says.
func (a *Actions) stepDone(ctx context.Context, st *Step, path string) (string, bool, error) {
	switch st.Find {
	case FindListed:
		return a.findListed(ctx, st.List, st.Query, st.Key)
	case FindNotDraft:
		inv := strings.TrimPrefix(path, "/v1/invoices/")
		inv, _, _ = strings.Cut(inv, "/")
		raw, err := a.c.Retrieve(ctx, storage.KindInvoice, inv)
		if err != nil {
			return "", false, err
		}
		var obj map[string]any
		if err := json.Unmarshal(raw, &obj); err != nil {
			return "", false, fmt.Errorf("decode %s: %w", inv, err)
		}
		return inv, str(obj, "status") != "draft", nil
	}
	return "", false, nil
}
