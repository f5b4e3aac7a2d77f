package billing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/form"
)

// Tunables of the intent lifecycle.
const (
	// PlanTTL is how long a prepared plan may wait for its confirmation.
	PlanTTL = 15 * time.Minute
	// ReplayWindow is how long an intent may be re-sent blindly with its
	// key: Stripe keeps idempotency keys for 24 hours, so older intents
	// are first looked up on Stripe (see Resume).
	ReplayWindow = 23 * time.Hour
	// IntentMetadataKey is the metadata key that carries the intent's
	// idempotency key on the objects a mutation creates or updates.
	IntentMetadataKey = "paydesk_intent"
)

// Audit outcomes written by the money actions.
const (
	OutcomeSucceeded = "succeeded"
	OutcomeFailed    = "failed"
	OutcomeRefused   = "refused"
	OutcomePending   = "pending"   // no answer: will be retried with the same key
	OutcomeAbandoned = "abandoned" // pending, given up after Stripe showed no trace of it
)

// Actions performs money mutations for operators. It is safe for
// concurrent use.
//
// Every mutation takes two steps. Prepare<Action> re-reads its target from
// Stripe (never only the cache), validates the request against that fresh
// state and returns a Plan: the exact form that will be sent, lines that
// describe it in the customer's currency for the confirmation screen,
// warnings where the cache differs from Stripe, and a fresh idempotency
// key. Execute writes the plan down as a storage intent (state pending)
// before calling Stripe, sends it with the plan's idempotency key (and
// metadata paydesk_intent=<key> where the object has metadata), then
// records the outcome on the intent and in the audit log. A second Execute
// of the same plan, a retry after a network error and Resume after a
// restart all reuse the intent and its key, so Stripe applies the call at
// most once. The operator's role is checked in Prepare, Execute and Resume:
// a refused call sends nothing and leaves a "refused" audit record.
type Actions struct {
	c     *Client
	store *storage.Store
	now   func() time.Time // real time: plan ages, intents, audit, key expiry
	// stripeNow is Stripe's time for the account (Clocks.Account): what a
	// request's times are checked against on Stripe's side (a trial's or a
	// pause's end in the future, a proration date in the period, a
	// dispute's evidence due date, a coupon's redeem_by).
	stripeNow func() time.Time

	// formHook, when set (tests only), edits every mutation's form just
	// before it is sent: the contract tests add an unknown parameter.
	formHook func(*form.Values)
}

type keyLock struct {
	mu sync.Mutex
	n  int
}

// NewActions builds the money-action layer over a client and the cache.
// Plan ages, intent and audit times and Stripe's 24-hour idempotency-key
// expiry are real time: it keeps clocks.Wall (time.Now when unset), even
// when the account's clock runs ahead (the demo). What Stripe checks
// against its own time (a new trial end in the future, say) is checked
// against clocks.Account (clocks.Wall when unset), so a form never passes
// a value Stripe then refuses, nor refuses one Stripe takes.
func NewActions(c *Client, store *storage.Store, clocks Clocks) *Actions {
	if clocks.Account == nil {
		clocks.Account = clocks.Wall
	}
	clocks = clocks.WithDefaults()
	return &Actions{c: c, store: store, now: clocks.Wall, stripeNow: clocks.Account}
}

// Line is one row of a confirmation screen.
type Line struct {
	Label string
	Value string
}

// Param is one form parameter exactly as it is sent.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Upload is a local file sent to Stripe's files API (purpose
// dispute_evidence) before the call; its id becomes evidence[Field].
type Upload struct {
	Field  string `json:"field"`
	Path   string `json:"path"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	FileID string `json:"file_id,omitempty"` // set once uploaded
}

// Call is the HTTP request a plan sends. It is stored on the intent, so a
// retry or a resume after a restart sends the very same bytes. A call of
// several requests (a one-off invoice: items, invoice, finalize, send)
// lists them in Steps, in order; Method and Path then name the step that
// creates the action's object, and Execute sends the steps instead.
type Call struct {
	Method  string   `json:"method"`
	Path    string   `json:"path"`
	Form    []Param  `json:"form,omitempty"`
	Uploads []Upload `json:"uploads,omitempty"`
	Steps   []Step   `json:"steps,omitempty"`
	// Before holds the values the call replaces, as Stripe had them when
	// it was planned (a customer edit's changed fields, by form name), so
	// the intent and the audit trail can show before → after. Never sent.
	Before []Param `json:"before,omitempty"`
}

// Get returns the value of the first parameter named name.
func (c Call) Get(name string) string {
	for _, p := range c.Form {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// String renders the call as "POST /v1/refunds charge=ch_1 amount=500";
// a call of steps as its numbered steps, one a line.
func (c Call) String() string {
	if len(c.Steps) > 0 {
		lines := make([]string, len(c.Steps))
		for i, st := range c.Steps {
			lines[i] = fmt.Sprintf("%d. %s", i+1, st.call())
		}
		return strings.Join(lines, "\n")
	}
	var b strings.Builder
	b.WriteString(c.Method + " " + c.Path)
	for _, p := range c.Form {
		b.WriteString(" " + p.Name + "=" + p.Value)
	}
	for _, u := range c.Uploads {
		b.WriteString(" evidence[" + u.Field + "]=<upload " + u.Name + ">")
	}
	return b.String()
}

// Plan is a prepared mutation: what Execute will send, and what the
// confirmation screen shows.
type Plan struct {
	Action   Action
	Operator Operator
	// Target is the Stripe id acted on (charge, payment intent,
	// subscription, customer, invoice or dispute).
	Target string
	// Amount and Currency are the money moved (0 when none), in minor units.
	Amount   int64
	Currency string
	// Call is exactly what will be sent.
	Call Call
	// Lines describe the call in the customer's currency, from the fresh
	// state read from Stripe.
	Lines []Line
	// Warnings say where the fresh state differs from the cache.
	Warnings []string
	// Key is the idempotency key every attempt of this plan sends.
	Key string
	// Fresh is the target as Stripe returned it while preparing.
	Fresh json.RawMessage
	// PreparedAt is when the fresh state was read.
	PreparedAt time.Time
	// ConfirmTwice marks an irreversible call (ActionSpec.Irreversible:
	// void, mark uncollectible, cancel now, evidence submission): the
	// confirmation asks for the action's word to be typed.
	ConfirmTwice bool
	// Earlier is set when the plan is not new: it re-sends an earlier
	// intent of the same action on the same target whose answer was lost
	// and of which Stripe shows no trace, with its original Key and Call.
	Earlier bool
	// Repeats is the intent of a request of the same money (its
	// ActionSpec.Repeat identity: same action, target, amount and
	// currency, whatever the note, reason, description or metadata) that
	// succeeded within RepeatWindow, when the action makes a new object
	// each time (refund, credit, credit note, one-off invoice); a warning
	// names it. Confirm refuses such a plan unless it
	// is asked for again.
	Repeats *storage.Intent
	// sameTargets are other ids of what Target names (a refund's charge
	// and its payment intent): intents on them count in the repeat check.
	sameTargets []string
}

// Irreversible reports whether the plan's call cannot be undone once
// Stripe applied it (its ActionSpec.Irreversible, or ConfirmTwice): the
// confirmation must be deliberate, not a second Enter.
func (p *Plan) Irreversible() bool {
	return p != nil && (p.ConfirmTwice || irreversible(p.Action, p.Call))
}

// ConfirmWord is what the operator types to confirm an irreversible plan
// ("void", "cancel", "submit") or one repeating the money of a request that
// went through recently ("again"); "" when one y may send it.
func (p *Plan) ConfirmWord() string {
	if !p.Irreversible() {
		if p.Repeats != nil {
			// The same money went through recently: one y must not send it
			// again (the CLI asks for --again).
			return "again"
		}
		return ""
	}
	if s, ok := Spec(p.Action); ok && s.Word != "" {
		return s.Word
	}
	return string(p.Action)
}

// Finality says what cannot be undone about an irreversible plan, for the
// confirmation's warning ("" when the plan can be undone). Most cannot be
// undone at all; an uncollectible invoice can still be paid or voided, it
// only never returns to open.
func (p *Plan) Finality() string {
	switch {
	case p.ConfirmWord() == "":
		return ""
	case !p.Irreversible():
		return "REPEAT: the same request already went through; this sends another."
	case p.Action == ActionInvoiceUncollect:
		return "FINAL: the invoice never returns to open (it can still be paid or voided)."
	}
	return "IRREVERSIBLE: this cannot be undone."
}

// Result is the outcome of Execute or Resume.
type Result struct {
	Key    string
	Action Action
	Target string
	State  storage.IntentState
	// ResultID is the id of the object Stripe created or changed.
	ResultID  string
	RequestID string
	// Replayed is set when the outcome came from the stored intent and
	// Stripe was not called again.
	Replayed bool
	// Raw is Stripe's answer (nil when Replayed or found by a lookup).
	Raw json.RawMessage
	// Detail is the stored outcome in words (the error of a failure).
	Detail string
}

// Execute sends a prepared plan exactly once. The intent is written before
// the call; executing the same plan again returns the stored outcome of a
// finished intent without calling Stripe, and re-sends a pending one with
// the same key. A network failure leaves the intent pending (Result.State
// pending, error matching ErrOffline): retry Execute or Resume later.
// Stripe refusals mark it failed; ExplainAction words the error.
func (a *Actions) Execute(ctx context.Context, p *Plan) (Result, error) {
	if p == nil || p.Key == "" {
		return Result{}, fmt.Errorf("execute: %w: no idempotency key", ErrBadPlan)
	}
	if err := a.authorize(p.Operator, p.Action, p.Target, p.Amount, p.Currency, p.Key); err != nil {
		return Result{}, fmt.Errorf("execute %s: %w", p.Action, err)
	}
	if err := checkCall(p.Action, p.Target, p.Call); err != nil {
		return Result{}, fmt.Errorf("execute %s: %w", p.Action, err)
	}
	unlock := a.lock(p.Key)
	defer unlock()
	in, err := a.store.Intent(p.Key)
	switch {
	case err == nil:
		if in.Action != string(p.Action) || in.Target != p.Target {
			return Result{}, fmt.Errorf("execute %s: %w: key %s belongs to %s %s", p.Action, ErrBadPlan, p.Key, in.Action, in.Target)
		}
		if in.State == storage.IntentPlanned {
			// Recorded by a dry run, never sent: this is its first attempt.
			return a.sendPlanned(ctx, p, in)
		}
		if in.State != storage.IntentPending {
			return finished(in)
		}
	case errors.Is(err, storage.ErrNotFound):
		if a.now().Sub(p.PreparedAt) > PlanTTL {
			return Result{}, fmt.Errorf("execute %s: %w", p.Action, ErrPlanExpired)
		}
		params, err := json.Marshal(p.Call)
		if err != nil {
			return Result{}, fmt.Errorf("execute %s: encode call: %w", p.Action, err)
		}
		in = storage.Intent{Key: p.Key, Operator: p.Operator.Name, Action: string(p.Action), Target: p.Target,
			Params: params, Amount: p.Amount, Currency: p.Currency, State: storage.IntentPending, CreatedAt: a.now().Unix(),
			Attempts: 1} // the first attempt is counted in the same commit
		if err := a.store.CreateIntent(in); err != nil {
			return Result{}, fmt.Errorf("execute %s: %w", p.Action, err)
		}
		return a.send(ctx, in, p.Operator, "", true)
	default:
		return Result{}, fmt.Errorf("execute %s: %w", p.Action, err)
	}
	return a.send(ctx, in, p.Operator, "", false)
}

// finished returns the stored outcome of a succeeded or failed intent.
func finished(in storage.Intent) (Result, error) {
	r := resultOf(in)
	r.Replayed = true
	if in.State == storage.IntentFailed {
		return r, fmt.Errorf("%s %s: %w: %s", in.Action, in.Target, ErrAlreadyFailed, in.Error)
	}
	return r, nil
}

func resultOf(in storage.Intent) Result {
	return Result{Key: in.Key, Action: Action(in.Action), Target: in.Target, State: in.State,
		ResultID: in.ResultID, RequestID: in.RequestID, Detail: in.Error}
}

// send makes one attempt of a pending intent and records its outcome;
// counted says the attempt is already recorded on the intent.
func (a *Actions) send(ctx context.Context, in storage.Intent, op Operator, note string, counted bool) (Result, error) {
	var call Call
	if err := json.Unmarshal(in.Params, &call); err != nil {
		return resultOf(in), fmt.Errorf("%s %s: stored call: %w", in.Action, in.Target, err)
	}
	if !counted {
		in.Attempts++
		if err := a.store.UpdateIntent(in); err != nil {
			return resultOf(in), fmt.Errorf("%s %s: %w", in.Action, in.Target, err)
		}
	}
	var raw json.RawMessage
	var reqID string
	var err error
	if len(call.Steps) > 0 {
		raw, reqID, err = a.sendSteps(ctx, &in, &call)
	} else if err = a.uploadFiles(ctx, &in, &call); err == nil {
		raw, reqID, err = a.do(ctx, call, in.Key)
	}
	if err != nil && in.Attempts > 1 && !retryable(err) {
		// A replay can be refused where the first attempt went through
		// (a DELETE, an invoice already paid): look the outcome up.
		if id, found, lerr := a.lookup(ctx, in, call); lerr == nil && found {
			return a.succeed(in, op, nil, id, requestIDOf(err), joinNote(note, "a retry was refused but Stripe shows the change applied"))
		}
	}
	if err != nil {
		return a.fail(in, op, call, err, note)
	}
	id, _ := objectID(raw)
	return a.succeed(in, op, raw, id, reqID, note)
}

func (a *Actions) succeed(in storage.Intent, op Operator, raw json.RawMessage, id, reqID, note string) (Result, error) {
	in.State, in.ResultID, in.RequestID, in.Error = storage.IntentSucceeded, id, reqID, ""
	r := resultOf(in)
	r.Raw = raw
	if err := a.store.UpdateIntent(in); err != nil {
		// Stripe applied it; the intent stays pending and a resume
		// replays the same key.
		r.State = storage.IntentPending
		return r, fmt.Errorf("%s %s: succeeded on Stripe but not recorded: %w", in.Action, in.Target, err)
	}
	a.audit(in, op, OutcomeSucceeded, joinNote(describeResult(in), note))
	a.cacheEventless(raw)
	return r, nil
}

// cacheEventless writes a result object that no webhook will bring: Stripe
// sends no event for a customer balance transaction (the customer.updated
// that comes with it marks the customer, whose list is read again later),
// so the answer to the POST that made it is cached at once. Other results
// arrive with their events. A failed write only leaves the transaction to
// that later read.
func (a *Actions) cacheEventless(raw json.RawMessage) {
	if len(raw) == 0 {
		return
	}
	f, err := storage.ExtractFields(raw)
	if err != nil || f.Kind != storage.KindBalanceTransaction {
		return
	}
	_ = a.store.PutObject(raw, a.now().Unix())
}

func (a *Actions) fail(in storage.Intent, op Operator, call Call, err error, note string) (Result, error) {
	if id := requestIDOf(err); id != "" {
		in.RequestID = id
	}
	outcome := OutcomeFailed
	if retryable(err) {
		outcome = OutcomePending
		err = fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
	} else {
		in.State = storage.IntentFailed
	}
	in.Error = ExplainAction(err)
	if uerr := a.store.UpdateIntent(in); uerr != nil {
		err = errors.Join(err, uerr)
	}
	a.audit(in, op, outcome, joinNote(in.Error, note))
	return resultOf(in), fmt.Errorf("%s %s: %w", in.Action, in.Target, err)
}

func describeResult(in storage.Intent) string {
	if in.ResultID == "" || in.ResultID == in.Target {
		return ""
	}
	return "result " + in.ResultID
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// retryable reports whether the call's outcome is unknown or transient, so
// the intent stays pending and the same key is sent again later.
func retryable(err error) bool {
	if IsOffline(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	se := stripeError(err)
	if se == nil {
		return false
	}
	return se.HTTPStatusCode >= 500 || se.HTTPStatusCode == http.StatusTooManyRequests ||
		se.Code == stripe.ErrorCodeIdempotencyKeyInUse || se.Code == stripe.ErrorCodeLockTimeout
}

func requestIDOf(err error) string {
	if se := stripeError(err); se != nil {
		return se.RequestID
	}
	return ""
}

// do sends one call with the intent's key and returns Stripe's raw answer.
func (a *Actions) do(ctx context.Context, call Call, key string) (json.RawMessage, string, error) {
	body := &form.Values{}
	for _, p := range call.Form {
		body.Add(p.Name, p.Value)
	}
	if a.formHook != nil {
		a.formHook(body)
	}
	path := call.Path
	if call.Method == http.MethodDelete && !body.Empty() {
		path += "?" + body.Encode()
		body = &form.Values{}
	}
	sp := &stripe.Params{Context: ctx}
	if call.Method != http.MethodGet {
		sp.SetIdempotencyKey(key)
	}
	var out rawResource
	if err := a.c.backend.CallRaw(call.Method, path, a.c.key, body, sp, &out); err != nil {
		return nil, requestIDOf(err), wrapCall(call.Method, call.Path, err)
	}
	if out.LastResponse == nil || len(out.LastResponse.RawJSON) == 0 {
		return nil, "", fmt.Errorf("%s %s: empty response", call.Method, call.Path)
	}
	return json.RawMessage(out.LastResponse.RawJSON), out.LastResponse.RequestID, nil
}

// get reads a path with query parameters (lookups, previews).
func (a *Actions) get(ctx context.Context, path string, query []Param) (json.RawMessage, error) {
	body := &form.Values{}
	for _, q := range query {
		body.Add(q.Name, q.Value)
	}
	var out rawResource
	if err := a.c.backend.CallRaw(http.MethodGet, path, a.c.key, body, &stripe.Params{Context: ctx}, &out); err != nil {
		return nil, wrapCall(http.MethodGet, path, err)
	}
	if out.LastResponse == nil {
		return nil, fmt.Errorf("GET %s: empty response", path)
	}
	return json.RawMessage(out.LastResponse.RawJSON), nil
}

// authorize checks op's role for act and audits a refusal.
func (a *Actions) authorize(op Operator, act Action, target string, amount int64, currency, key string) error {
	err := op.Authorize(act)
	if err == nil {
		return nil
	}
	_, aerr := a.store.AppendAudit(storage.AuditRecord{At: a.now().Unix(), Operator: op.Name, Action: string(act),
		Target: target, Amount: amount, Currency: currency, Key: key, Outcome: OutcomeRefused, Detail: err.Error()})
	if aerr != nil {
		a.c.log.Warn("audit of a refused action not written", "action", string(act), "err", aerr)
	}
	return err
}

// audit records an outcome of an intent; a failure to write it is logged
// (the intent itself holds the outcome).
func (a *Actions) audit(in storage.Intent, op Operator, outcome, detail string) {
	name := op.Name
	if name != in.Operator && in.Operator != "" {
		detail = joinNote(detail, "intent of "+in.Operator)
	}
	var call Call
	_ = json.Unmarshal(in.Params, &call) // an unreadable call only costs the variant
	_, err := a.store.AppendAudit(storage.AuditRecord{At: a.now().Unix(), Operator: name, Action: in.Action,
		Target: in.Target, Amount: in.Amount, Currency: in.Currency, Key: in.Key, RequestID: in.RequestID,
		Outcome: outcome, Detail: detail, Variant: Variant(Action(in.Action), call)})
	if err != nil {
		a.c.log.Warn("audit record not written", "action", in.Action, "key", in.Key, "err", err)
	}
}

// keyLocks serialise work on one idempotency key across every Actions of
// the process (one process owns a cache file, so this covers every writer
// of its intents): a double Enter, or two SSH sessions resuming the same
// intent, run one after the other and the second sees the first's outcome.
var keyLocks = struct {
	sync.Mutex
	m map[string]*keyLock
}{m: map[string]*keyLock{}}

func (a *Actions) lock(key string) func() {
	keyLocks.Lock()
	l := keyLocks.m[key]
	if l == nil {
		l = &keyLock{}
		keyLocks.m[key] = l
	}
	l.n++
	keyLocks.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		keyLocks.Lock()
		if l.n--; l.n == 0 {
			delete(keyLocks.m, key)
		}
		keyLocks.Unlock()
	}
}

// newKey returns a fresh idempotency key: "pd_" and 24 hex digits.
func newKey() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("idempotency key: %w", err)
	}
	return "pd_" + hex.EncodeToString(b[:]), nil
}

// start is begin for a plan that will be sent: pending intents of act on
// target are resolved first (settleEarlier). A non-nil plan with Earlier
// set re-sends the earlier intent and must be returned as it is.
func (a *Actions) start(ctx context.Context, op Operator, act Action, target, field string) (*Plan, error) {
	p, err := a.begin(op, act, target, field)
	if err != nil {
		return nil, err
	}
	earlier, err := a.settleEarlier(ctx, op, act, p.Target)
	if err != nil || earlier != nil {
		return earlier, err
	}
	return p, nil
}

// begin authorizes op for act and starts a plan for target.
func (a *Actions) begin(op Operator, act Action, target, field string) (*Plan, error) {
	if err := a.authorize(op, act, target, 0, "", ""); err != nil {
		return nil, fmt.Errorf("prepare %s: %w", act, err)
	}
	if strings.TrimSpace(target) == "" {
		return nil, fieldErr(field, "choose what to act on")
	}
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	return &Plan{Action: act, Operator: op, Target: target, Key: key, PreparedAt: a.now()}, nil
}

// fresh reads kind/id from Stripe and notes where the cache differs on the
// given JSON paths.
func (a *Actions) fresh(ctx context.Context, p *Plan, kind storage.Kind, id string, paths ...string) (map[string]any, error) {
	raw, err := a.c.Retrieve(ctx, kind, id)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: read %s from Stripe: %w", p.Action, id, err)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("prepare %s: decode %s: %w", p.Action, id, err)
	}
	p.Fresh = raw
	p.Warnings = append(p.Warnings, a.drift(kind, id, obj, paths)...)
	return obj, nil
}

// lookupPath, str, num and boolean read decoded Stripe JSON through
// stripejson, the one reader of it.
var (
	lookupPath = stripejson.Lookup
	str        = stripejson.String
	num        = stripejson.Int
	boolean    = stripejson.Bool
)

// formOf encodes typed stripe-go params into the ordered form they are
// sent as (stripe-go's own encoder), dropping nothing.
func formOf(p stripe.ParamsContainer) []Param {
	body := &form.Values{}
	form.AppendTo(body, p)
	var out []Param
	for _, kv := range strings.Split(body.Encode(), "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		out = append(out, Param{Name: k, Value: v})
	}
	return out
}

// Pending lists up to limit intents whose outcome is unknown, newest first:
// show them after a restart and resolve each with Resume.
func (a *Actions) Pending(limit int) ([]storage.Intent, error) {
	if limit <= 0 {
		limit = 100
	}
	ins, err := a.store.Intents(storage.IntentPending, limit)
	if err != nil {
		return nil, fmt.Errorf("pending intents: %w", err)
	}
	return ins, nil
}

// Intent returns the stored intent of a key (the form polls it to show
// "pending" until the webhook arrives).
func (a *Actions) Intent(key string) (storage.Intent, error) {
	return a.store.Intent(key)
}

// setParam replaces or appends name in a parameter list.
func setParam(ps []Param, name, value string) []Param {
	for i := range ps {
		if ps[i].Name == name {
			ps[i].Value = value
			return ps
		}
	}
	return append(ps, Param{name, value})
}
