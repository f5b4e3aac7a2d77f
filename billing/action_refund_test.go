package billing

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/paydesk/paydesk/storage"
)

// refundsOf counts the sandbox's refunds of a charge carrying key.
func (e *actionEnv) refundsOf(charge, key string) int {
	e.t.Helper()
	raw, err := e.acts.get(context.Background(), "/v1/refunds", []Param{{"charge", charge}, {"limit", "100"}})
	if err != nil {
		e.t.Fatal(err)
	}
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, r := range page.Data {
		if str(r, "metadata."+IntentMetadataKey) == key {
			n++
		}
	}
	return n
}

func TestActionRefundEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true})
	ch := e.refundableCharge("usd")
	before := e.obj(storage.KindCharge, ch)
	charged := num(before, "amount")
	ctx := context.Background()

	p := mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch, Amount: "5.25", Reason: "requested_by_customer", Note: "goodwill, ticket 42"}))
	if p.Amount != 525 || p.Currency != "usd" || p.Action != ActionRefund || p.Target != ch {
		t.Fatalf("plan %+v", p)
	}
	if !strings.HasPrefix(p.Key, "pd_") || len(p.Key) != 27 {
		t.Fatalf("key %q", p.Key)
	}
	if got := lineValue(p, "Refund"); got != "$5.25 (partial)" {
		t.Fatalf("Refund line %q", got)
	}
	if got := lineValue(p, "Refundable after"); got != money.Format(charged-525, "usd") {
		t.Fatalf("Refundable after line %q, charged %d", got, charged)
	}
	for _, want := range []string{"amount=525", "charge=" + ch, "reason=requested_by_customer", "metadata[paydesk_intent]=" + p.Key, "metadata[paydesk_note]=goodwill, ticket 42"} {
		if !strings.Contains(p.Call.String(), want) {
			t.Fatalf("call %s lacks %s", p.Call, want)
		}
	}
	if len(e.reqs.All()) == 0 || e.reqs.Count("POST") != 0 {
		t.Fatalf("prepare must read fresh state and send nothing: %v", e.reqs.All())
	}

	r := mustExec(t, e.acts, p)
	if !strings.HasPrefix(r.ResultID, "re_") || r.Replayed || len(r.Raw) == 0 {
		t.Fatalf("result %+v", r)
	}
	after := e.obj(storage.KindCharge, ch)
	if num(after, "amount_refunded") != 525 {
		t.Fatalf("sandbox charge amount_refunded = %d, want 525", num(after, "amount_refunded"))
	}
	// The signed webhooks reach webhookd, which updates the cache.
	e.waitCache(storage.KindCharge, ch, "amount_refunded 525", func(m map[string]any) bool { return num(m, "amount_refunded") == 525 })
	re := e.waitCache(storage.KindRefund, r.ResultID, "refund created", func(m map[string]any) bool { return true })
	if str(re, "metadata.paydesk_intent") != p.Key || str(re, "metadata.paydesk_note") != "goodwill, ticket 42" || num(re, "amount") != 525 {
		t.Fatalf("cached refund %v", re)
	}
	e.checkAudit(p, r, OutcomeSucceeded)
	in, err := e.store.Intent(p.Key)
	if err != nil || in.State != storage.IntentSucceeded || in.ResultID != r.ResultID || in.RequestID != r.RequestID || in.Attempts != 1 || in.Operator != finance.Name {
		t.Fatalf("intent %+v %v", in, err)
	}
}

func TestActionRefundDoubleExecuteOneRefund(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ch := e.refundableCharge("")
	p := mustPlan(t)(e.acts.PrepareRefund(context.Background(), admin, RefundRequest{Target: ch}))
	cur := p.Currency
	if full := lineValue(p, "Refund"); !strings.HasSuffix(full, "(full)") || full != money.Format(p.Amount, cur)+" (full)" {
		t.Fatalf("full refund line %q", full)
	}
	// Two Enters at once, then a third later.
	var wg sync.WaitGroup
	results := make([]Result, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = e.acts.Execute(context.Background(), p)
		}()
	}
	wg.Wait()
	third := mustExec(t, e.acts, p)
	for i, err := range errs {
		if err != nil || results[i].ResultID != third.ResultID {
			t.Fatalf("execute %d: %+v %v (third %+v)", i, results[i], err, third)
		}
	}
	if !third.Replayed || (results[0].Replayed == results[1].Replayed) {
		t.Fatalf("exactly one call must reach Stripe: %+v %+v %+v", results[0], results[1], third)
	}
	if n := e.reqs.Count("POST /v1/refunds"); n != 1 {
		t.Fatalf("sandbox saw %d refund POSTs, want 1", n)
	}
	if n := e.refundsOf(ch, p.Key); n != 1 {
		t.Fatalf("%d refunds carry the key, want 1", n)
	}
	// Fully refunded now: a new plan is refused on the amount field.
	_, err := e.acts.PrepareRefund(context.Background(), admin, RefundRequest{Target: ch})
	wantField(t, err, "amount")
}

func TestActionRefundDroppedResponseRetrySameKey(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ch := e.refundableCharge("")
	ctx := context.Background()
	p := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "1"}))
	e.drop.Arm("POST /v1/refunds", 1)
	r, err := e.acts.Execute(ctx, p)
	if err == nil || !IsOffline(err) || r.State != storage.IntentPending {
		t.Fatalf("dropped answer: %+v %v", r, err)
	}
	if !strings.Contains(ExplainAction(err), "same idempotency key") {
		t.Fatalf("ExplainAction = %q", ExplainAction(err))
	}
	if n := e.refundsOf(ch, p.Key); n != 1 {
		t.Fatalf("the dropped call reached the sandbox: want 1 refund, got %d", n)
	}
	pending, err := e.acts.Pending(10)
	if err != nil || len(pending) != 1 || pending[0].Key != p.Key {
		t.Fatalf("pending %+v %v", pending, err)
	}
	if recs := e.audit(1); recs[0].Outcome != OutcomePending || recs[0].Key != p.Key {
		t.Fatalf("audit after the drop %+v", recs[0])
	}
	r = mustExec(t, e.acts, p) // the operator presses Enter again
	if n := e.refundsOf(ch, p.Key); n != 1 {
		t.Fatalf("retry with the same key: %d refunds, want 1", n)
	}
	if n := e.reqs.Count("POST /v1/refunds"); n != 2 {
		t.Fatalf("sandbox saw %d refund POSTs, want 2 (one replayed)", n)
	}
	in, _ := e.store.Intent(p.Key)
	if in.Attempts != 2 || in.State != storage.IntentSucceeded || in.ResultID != r.ResultID {
		t.Fatalf("intent %+v", in)
	}
	e.checkAudit(p, r, OutcomeSucceeded)
}

func TestActionRefundCrashThenResume(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ch := e.refundableCharge("")
	ctx := context.Background()
	p := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "2"}))
	e.drop.Arm("POST /v1/refunds", 1)
	if _, err := e.acts.Execute(ctx, p); !IsOffline(err) {
		t.Fatalf("want a network error, got %v", err)
	}
	e.reopen() // crash + restart: only the cache file survives
	pending, err := e.acts.Pending(10)
	if err != nil || len(pending) != 1 || pending[0].Key != p.Key || pending[0].Amount != p.Amount || pending[0].Operator != admin.Name {
		t.Fatalf("pending after restart %+v %v", pending, err)
	}
	// A viewer cannot resolve it.
	if _, err := e.acts.Resume(ctx, viewer, p.Key); !errors.Is(err, ErrForbidden) {
		t.Fatalf("viewer resume: %v", err)
	}
	r, err := e.acts.Resume(ctx, finance, p.Key)
	if err != nil || r.State != storage.IntentSucceeded || !strings.HasPrefix(r.ResultID, "re_") {
		t.Fatalf("resume %+v %v", r, err)
	}
	if n := e.refundsOf(ch, p.Key); n != 1 {
		t.Fatalf("after resume %d refunds, want 1", n)
	}
	if pending, _ := e.acts.Pending(10); len(pending) != 0 {
		t.Fatalf("still pending %+v", pending)
	}
	rec := e.audit(1)[0]
	if rec.Operator != finance.Name || rec.Outcome != OutcomeSucceeded || rec.RequestID == "" || !strings.Contains(rec.Detail, "intent of "+admin.Name) {
		t.Fatalf("audit %+v", rec)
	}
	// Resuming a finished intent answers from the cache file.
	before := len(e.reqs.All())
	r2, err := e.acts.Resume(ctx, finance, p.Key)
	if err != nil || !r2.Replayed || r2.ResultID != r.ResultID || len(e.reqs.All()) != before {
		t.Fatalf("second resume %+v %v", r2, err)
	}
}

func TestActionResumeAfterKeyExpiryLooksUp(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ch := e.refundableCharge("")
	ctx := context.Background()
	p := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "3"}))
	e.drop.Arm("POST /v1/refunds", 1)
	if _, err := e.acts.Execute(ctx, p); !IsOffline(err) {
		t.Fatalf("want a network error, got %v", err)
	}
	// A day later Stripe has forgotten the key: look the refund up instead.
	later := NewActions(e.client, e.store, Clocks{Wall: func() time.Time { return testclock.Running()().Add(25 * time.Hour) }})
	e.reqs.Reset()
	r, err := later.Resume(ctx, admin, p.Key)
	if err != nil || r.State != storage.IntentSucceeded || !strings.HasPrefix(r.ResultID, "re_") {
		t.Fatalf("resume %+v %v", r, err)
	}
	if n := e.reqs.Count("POST"); n != 0 || e.reqs.Count("GET /v1/refunds") == 0 {
		t.Fatalf("an expired intent found on Stripe must not be sent again: %v", e.reqs.All())
	}
	if n := e.refundsOf(ch, p.Key); n != 1 {
		t.Fatalf("%d refunds, want 1", n)
	}
	if rec := e.audit(1)[0]; rec.Outcome != OutcomeSucceeded || !strings.Contains(rec.Detail, "not sent again") {
		t.Fatalf("audit %+v", rec)
	}

	// An expired intent that never reached Stripe is sent again.
	p2 := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "1"}))
	e.drop.Base = failingTransport{}
	if _, err := e.acts.Execute(ctx, p2); !IsOffline(err) {
		t.Fatalf("want a network error, got %v", err)
	}
	e.drop.Base = http.DefaultTransport
	e.reqs.Reset()
	r, err = later.Resume(ctx, admin, p2.Key)
	if err != nil || r.State != storage.IntentSucceeded || r.Replayed {
		t.Fatalf("resume of an unsent intent %+v %v", r, err)
	}
	if n := e.reqs.Count("POST /v1/refunds"); n != 1 {
		t.Fatalf("want the refund sent once after the lookup found nothing: %v", e.reqs.All())
	}
	if n := e.refundsOf(ch, p2.Key); n != 1 {
		t.Fatalf("%d refunds for the second intent, want 1", n)
	}
}

func TestActionRefundRoleRefusedSendsNothing(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ch := e.refundableCharge("")
	ctx := context.Background()
	for _, op := range []Operator{viewer, support, {Name: "nobody"}} {
		_, err := e.acts.PrepareRefund(ctx, op, RefundRequest{Target: ch})
		if !errors.Is(err, ErrForbidden) || !strings.Contains(ExplainAction(err), "Nothing was sent") {
			t.Fatalf("%s: %v", op.Role, err)
		}
	}
	if got := e.reqs.All(); len(got) != 0 {
		t.Fatalf("refused prepares reached the sandbox: %v", got)
	}
	// A client that skips the form: a plan prepared by finance, executed
	// as a viewer.
	p := mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch, Amount: "1"}))
	p.Operator = viewer
	e.reqs.Reset()
	r, err := e.acts.Execute(ctx, p)
	if !errors.Is(err, ErrForbidden) || r.State != "" {
		t.Fatalf("viewer execute: %+v %v", r, err)
	}
	if got := e.reqs.All(); len(got) != 0 {
		t.Fatalf("refused execute reached the sandbox: %v", got)
	}
	if _, err := e.store.Intent(p.Key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("a refused plan left an intent: %v", err)
	}
	rec := e.audit(1)[0]
	if rec.Outcome != OutcomeRefused || rec.Operator != viewer.Name || rec.Key != p.Key || rec.Action != string(ActionRefund) || rec.Target != ch {
		t.Fatalf("audit %+v", rec)
	}
	// A forged plan sending another endpoint is refused too.
	p.Operator = finance
	p.Call.Path = "/v1/customers/cus_x/balance_transactions"
	if _, err := e.acts.Execute(ctx, p); !errors.Is(err, ErrBadPlan) {
		t.Fatalf("forged plan: %v", err)
	}
	if got := e.reqs.Count("POST"); got != 0 {
		t.Fatalf("forged plan reached the sandbox")
	}
}

func TestActionRefundValidation(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	ch := e.refundableCharge("usd")
	rf, err := e.acts.RefundableAmount(ctx, ch)
	if err != nil || rf.Refundable <= 0 || rf.Currency != "usd" || rf.Charge != ch {
		t.Fatalf("refundable %+v %v", rf, err)
	}
	over := money.Format(rf.Refundable+1, "usd")[1:] // "12.35" without the $
	_, err = e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: over})
	fe := wantField(t, err, "amount")
	if !strings.Contains(fe.Message, money.Format(rf.Refundable, "usd")) {
		t.Fatalf("message %q does not show the refundable amount", fe.Message)
	}
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "1.234"})), "amount")
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "abc"})), "amount")
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "0"})), "amount")
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Currency: "eur"})), "currency")
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Reason: "changed_mind"})), "reason")
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Note: strings.Repeat("x", 501)})), "note")
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: "cus_123"})), "target")
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ""})), "target")
	if got := e.reqs.Count("POST"); got != 0 {
		t.Fatalf("validation failures sent %d POSTs", got)
	}
	// Zero-decimal currency: yen have no minor units.
	jpy := e.refundableCharge("jpy")
	wantField(t, errOf(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: jpy, Amount: "10.5"})), "amount")
	p := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: jpy, Amount: "100"}))
	if p.Amount != 100 || lineValue(p, "Refund") != "¥100 (partial)" {
		t.Fatalf("jpy plan amount %d line %q", p.Amount, lineValue(p, "Refund"))
	}
	// Refund by payment intent reaches the same charge.
	pi := str(e.obj(storage.KindCharge, ch), "payment_intent")
	if pi != "" {
		p := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: pi, Amount: "1"}))
		if p.Call.Get("payment_intent") != pi || lineValue(p, "Charge") == "" || !strings.HasPrefix(lineValue(p, "Charge"), ch) {
			t.Fatalf("pi plan %s / %q", p.Call, lineValue(p, "Charge"))
		}
		r := mustExec(t, e.acts, p)
		if got := num(e.obj(storage.KindCharge, ch), "amount_refunded"); got != 100 {
			t.Fatalf("refund by payment intent: amount_refunded %d (%+v)", got, r)
		}
	}
	// Stripe's own refusal when the charge moved after the plan: refunded
	// meanwhile by someone else.
	p1 := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch}))
	p2 := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "1"}))
	mustExec(t, e.acts, p2)
	r, err := e.acts.Execute(ctx, p1)
	if err == nil || r.State != storage.IntentFailed || !strings.Contains(ExplainAction(err), "Amount too large") {
		t.Fatalf("stale full refund: %+v %v / %s", r, err, ExplainAction(err))
	}
	e.checkAudit(p1, r, OutcomeFailed)
	// A second Enter on the failed plan does not call Stripe again.
	e.reqs.Reset()
	if _, err := e.acts.Execute(ctx, p1); !errors.Is(err, ErrAlreadyFailed) || len(e.reqs.All()) != 0 {
		t.Fatalf("re-execute of a failed plan: %v %v", err, e.reqs.All())
	}
}

func TestActionPlanExpires(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ch := e.refundableCharge("")
	p := mustPlan(t)(e.acts.PrepareRefund(context.Background(), admin, RefundRequest{Target: ch, Amount: "1"}))
	p.PreparedAt = p.PreparedAt.Add(-PlanTTL - time.Second)
	if _, err := e.acts.Execute(context.Background(), p); !errors.Is(err, ErrPlanExpired) {
		t.Fatalf("old plan: %v", err)
	}
	if e.reqs.Count("POST") != 0 {
		t.Fatal("an expired plan was sent")
	}
}

func errOf(_ *Plan, err error) error { return err }

// The confirmation says where the cache is behind Stripe, and an
// unreachable Stripe stops Prepare before anything is planned.
func TestActionPrepareShowsDriftAndOffline(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{}) // no webhooks: the cache stays behind
	ctx := context.Background()
	ch := e.refundableCharge("usd")
	p := mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "1"}))
	if len(p.Warnings) != 0 {
		t.Fatalf("fresh cache, warnings %v", p.Warnings)
	}
	mustExec(t, e.acts, p)
	// Another amount: the same one would also be warned of as a repeat.
	p = mustPlan(t)(e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "2"}))
	want := "amount_refunded changed on Stripe: cache shows $0.00, Stripe now $1.00"
	if len(p.Warnings) != 1 || p.Warnings[0] != want {
		t.Fatalf("warnings %q, want %q", p.Warnings, want)
	}
	if lineValue(p, "Already refunded") != "$1.00" {
		t.Fatalf("the plan must show Stripe's state: %q", lineValue(p, "Already refunded"))
	}
	e.drop.Base = failingTransport{}
	_, err := e.acts.PrepareRefund(ctx, admin, RefundRequest{Target: ch, Amount: "1"})
	if !IsOffline(err) || !strings.Contains(ExplainAction(err), "nothing was sent") {
		t.Fatalf("offline prepare: %v / %s", err, ExplainAction(err))
	}
	e.drop.Base = http.DefaultTransport
}

// A disputed charge is refused before anything is planned, as Stripe
// refuses it (charge_disputed); before, the plan only warned and the send
// failed at Stripe.
func TestRefundOfDisputedChargeIsRefused(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ch := e.find(storage.KindCharge, "disputed", func(m map[string]any) bool {
		return str(m, "status") == "succeeded" && boolean(m, "disputed") && num(m, "amount_refunded") == 0
	})
	fe := wantField(t, errOf(e.acts.PrepareRefund(context.Background(), admin, RefundRequest{Target: ch, Amount: "1"})), "target")
	if !strings.Contains(fe.Message, "charge_disputed") {
		t.Fatalf("refusal %q does not say why", fe.Message)
	}
	if n := e.reqs.Count("POST"); n != 0 {
		t.Fatalf("%d POSTs sent", n)
	}
}
