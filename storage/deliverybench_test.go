package storage

import (
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// fillDeliveries logs n receipts in one transaction (a benchmark setup, not
// the ingestion path): one a second ending at testNow, every 50th rejected,
// types cycling over five, objects over 1,000.
func fillDeliveries(b *testing.B, s *Store, n int) {
	b.Helper()
	types := []string{"invoice.paid", "invoice.payment_failed", "charge.failed", "customer.updated", "customer.subscription.updated"}
	err := s.db.Update(func(tx *bolt.Tx) error {
		for i := range n {
			d := Delivery{At: testNow.Add(-time.Duration(n-i) * time.Second).UnixNano(), Type: types[i%5],
				ObjectID: fmt.Sprintf("obj_%d", i%1000), Verdict: VerdictApplied, LatencyUS: int64(500 + i%3000)}
			if i%50 == 0 {
				d.Verdict, d.Reason = VerdictRejected, "bad_signature: x"
			}
			if _, err := appendDelivery(root(tx), d, 1_000_000); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkQueryDeliveries: one 50-row page of a type glob over 100k receipts.
func BenchmarkQueryDeliveries(b *testing.B) {
	s := openTest(b, Options{})
	fillDeliveries(b, s, 100_000)
	for _, f := range []DeliveryFilter{{}, {Type: "invoice.*"}, {Verdict: VerdictRejected}, {ObjectID: "obj_7"}} {
		b.Run(fmt.Sprintf("%+v", f), func(b *testing.B) {
			for b.Loop() {
				p, err := s.QueryDeliveries(DeliveryQuery{DeliveryFilter: f, Limit: 50})
				if err != nil || len(p.Items) == 0 {
					b.Fatal(err, len(p.Items))
				}
			}
		})
	}
}

// BenchmarkDeliveryStats: the inspector's panel (last hour: 3,600 receipts
// of 100k, 30-minute series).
func BenchmarkDeliveryStats(b *testing.B) {
	s := openTest(b, Options{})
	fillDeliveries(b, s, 100_000)
	for b.Loop() {
		st, err := s.DeliveryStats(StatsQuery{Since: testNow.Add(-time.Hour), Last: 100_000, Now: testNow, Minutes: 30})
		if err != nil || st.Count != 3600 {
			b.Fatal(err, st.Count)
		}
	}
}
