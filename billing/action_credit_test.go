package billing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

func TestActionCreditEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true})
	ctx := context.Background()
	cus := e.find(storage.KindCustomer, "with a usd balance currency", func(m map[string]any) bool {
		return str(m, "currency") == "usd" && !boolean(m, "deleted")
	})
	before := num(e.obj(storage.KindCustomer, cus), "balance")

	// Support may adjust credit; a viewer may not.
	if _, err := e.acts.PrepareCredit(ctx, viewer, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "10"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("viewer: %v", err)
	}
	p := mustPlan(t)(e.acts.PrepareCredit(ctx, support, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "12.50", Description: "sorry for the outage"}))
	if p.Amount != -1250 || p.Currency != "usd" {
		t.Fatalf("credit plan amount %d %s, want -1250 usd (Stripe's sign: negative credits)", p.Amount, p.Currency)
	}
	if got, want := lineValue(p, "Balance before"), BalanceWords(before, "usd"); got != want {
		t.Fatalf("before line %q, want %q", got, want)
	}
	if got, want := lineValue(p, "Balance after"), BalanceWords(before-1250, "usd"); got != want {
		t.Fatalf("after line %q, want %q", got, want)
	}
	if !strings.Contains(p.Call.String(), "amount=-1250") || !strings.Contains(p.Call.String(), "currency=usd") {
		t.Fatalf("call %s", p.Call)
	}
	r := mustExec(t, e.acts, p)
	if !strings.HasPrefix(r.ResultID, "cbtxn_") {
		t.Fatalf("result %+v", r)
	}
	if got := num(e.obj(storage.KindCustomer, cus), "balance"); got != before-1250 {
		t.Fatalf("sandbox balance %d, want %d", got, before-1250)
	}
	e.waitCache(storage.KindCustomer, cus, "balance", func(m map[string]any) bool { return num(m, "balance") == before-1250 })
	txn := e.waitCache(storage.KindBalanceTransaction, r.ResultID, "balance transaction", func(map[string]any) bool { return true })
	if num(txn, "amount") != -1250 || str(txn, "metadata.paydesk_intent") != p.Key || str(txn, "description") != "sorry for the outage" {
		t.Fatalf("cached balance transaction %v", txn)
	}
	e.checkAudit(p, r, OutcomeSucceeded)

	// A debit the other way, then an expired-key resume finds it by metadata.
	d := mustPlan(t)(e.acts.PrepareCredit(ctx, support, CreditRequest{Customer: cus, Direction: DirectionDebit, Amount: "2"}))
	if d.Amount != 200 || lineValue(d, "Balance before") != BalanceWords(before-1250, "usd") {
		t.Fatalf("debit plan %d / %q", d.Amount, lineValue(d, "Balance before"))
	}
	e.drop.Arm("POST "+d.Call.Path, 1)
	if _, err := e.acts.Execute(ctx, d); !IsOffline(err) {
		t.Fatalf("want a dropped answer, got %v", err)
	}
	id, found, err := e.acts.lookupCredit(ctx, storage.Intent{Key: d.Key, Target: cus})
	if err != nil || !found || !strings.HasPrefix(id, "cbtxn_") {
		t.Fatalf("lookup of the dropped debit: %q %v %v", id, found, err)
	}
	if _, found, _ := e.acts.lookupCredit(ctx, storage.Intent{Key: "pd_never", Target: cus}); found {
		t.Fatal("lookup found an intent that was never sent")
	}
	r = mustExec(t, e.acts, d)
	if r.ResultID != id || num(e.obj(storage.KindCustomer, cus), "balance") != before-1050 {
		t.Fatalf("debit retried: %+v", r)
	}
}

func TestActionCreditValidation(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	usd := e.find(storage.KindCustomer, "usd", func(m map[string]any) bool { return str(m, "currency") == "usd" })
	wantField(t, errOf(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: usd, Direction: "gift", Amount: "1"})), "direction")
	wantField(t, errOf(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: usd, Direction: DirectionCredit, Amount: "1.001"})), "amount")
	wantField(t, errOf(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: usd, Direction: DirectionCredit, Amount: "-5"})), "amount")
	wantField(t, errOf(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: usd, Direction: DirectionCredit, Amount: "5", Currency: "eur"})), "currency")
	wantField(t, errOf(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: usd, Direction: DirectionCredit, Amount: "5", Description: strings.Repeat("d", 351)})), "description")
	// A customer without a currency must be given one, in its exponent.
	raw, _, err := e.acts.do(ctx, Call{Method: "POST", Path: "/v1/customers", Form: []Param{{"name", "New Person"}}}, "pd_setup_"+randHex(4))
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := objectID(raw)
	wantField(t, errOf(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: fresh, Direction: DirectionCredit, Amount: "5"})), "currency")
	wantField(t, errOf(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: fresh, Direction: DirectionCredit, Amount: "5", Currency: "usdx"})), "currency")
	wantField(t, errOf(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: fresh, Direction: DirectionCredit, Amount: "5.5", Currency: "jpy"})), "amount")
	p := mustPlan(t)(e.acts.PrepareCredit(ctx, admin, CreditRequest{Customer: fresh, Direction: DirectionCredit, Amount: "500", Currency: "JPY"}))
	if p.Amount != -500 || p.Currency != "jpy" || lineValue(p, "Balance after") != "¥500 credit" {
		t.Fatalf("jpy credit plan %d %s %q", p.Amount, p.Currency, lineValue(p, "Balance after"))
	}
	if len(p.Warnings) == 0 || !strings.Contains(p.Warnings[0], "not in the local cache") {
		t.Fatalf("a customer missing from the cache must be flagged: %v", p.Warnings)
	}
	mustExec(t, e.acts, p)
	if got := e.obj(storage.KindCustomer, fresh); num(got, "balance") != -500 || str(got, "currency") != "jpy" {
		t.Fatalf("sandbox customer %v", got)
	}
}
