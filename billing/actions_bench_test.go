package billing

import (
	"context"
	"fmt"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// BenchmarkActionCredit measures one money action end to end against the
// sandbox: fresh read, plan, intent written before the call, the call,
// intent and audit updated (each bbolt commit fsynced).
func BenchmarkActionCredit(b *testing.B) {
	e := newActionEnv(b, envOptions{customers: 20})
	cus := e.find(storage.KindCustomer, "usd", func(m map[string]any) bool { return str(m, "currency") == "usd" })
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		p, err := e.acts.PrepareCredit(ctx, support, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "0.01"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.acts.Execute(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkActionReplay measures a second Enter on a finished plan: the
// stored outcome, no Stripe call.
func BenchmarkActionReplay(b *testing.B) {
	e := newActionEnv(b, envOptions{customers: 20})
	cus := e.find(storage.KindCustomer, "usd", func(m map[string]any) bool { return str(m, "currency") == "usd" })
	ctx := context.Background()
	p, err := e.acts.PrepareCredit(ctx, support, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "0.01"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.acts.Execute(ctx, p); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if r, err := e.acts.Execute(ctx, p); err != nil || !r.Replayed {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkSettleEarlier measures the check a new plan makes for pending
// intents on its target, in a cache holding 2,000 finished intents and
// none pending on that target (the common case): no Stripe call.
func BenchmarkSettleEarlier(b *testing.B) {
	store := newTestStore(b)
	for i := range 2000 {
		in := storage.Intent{Key: fmt.Sprintf("pd_%024d", i), Operator: "ada@desk", Action: string(ActionRefund),
			Target: fmt.Sprintf("ch_%d", i), Params: []byte(`{"method":"POST","path":"/v1/refunds"}`),
			State: storage.IntentSucceeded, Attempts: 1}
		if err := store.CreateIntent(in); err != nil {
			b.Fatal(err)
		}
	}
	a := NewActions(nil, store, Clocks{})
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if p, err := a.settleEarlier(ctx, finance, ActionRefund, "ch_new"); p != nil || err != nil {
			b.Fatal(p, err)
		}
	}
}
