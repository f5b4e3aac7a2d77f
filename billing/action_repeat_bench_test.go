package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// BenchmarkPrepareFinish measures what every Prepare adds to find a dry
// run's key and an identical recent request: a cache holding 1,000
// succeeded and 100 planned intents of other requests.
func BenchmarkPrepareFinish(b *testing.B) {
	e := newActionEnv(b, envOptions{customers: 5})
	cus := e.find(storage.KindCustomer, "usd", func(m map[string]any) bool { return str(m, "currency") == "usd" })
	p, err := e.acts.PrepareCredit(context.Background(), support, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "0.01"})
	if err != nil {
		b.Fatal(err)
	}
	params, _ := json.Marshal(p.Call)
	for i := range 1100 {
		state := storage.IntentSucceeded
		if i%11 == 0 {
			state = storage.IntentPlanned
		}
		if err := e.store.CreateIntent(storage.Intent{Key: fmt.Sprintf("pd_bench%05d", i), Operator: "ada", Action: string(ActionCredit),
			Target: fmt.Sprintf("cus_other%05d", i), Params: params, State: state, CreatedAt: e.acts.now().Unix()}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		q := *p
		q.Warnings = nil
		if _, err := e.acts.finish(&q); err != nil {
			b.Fatal(err)
		}
	}
}
