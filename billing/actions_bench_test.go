package billing

import (
	"context"
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
