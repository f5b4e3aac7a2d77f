package dunning_test

import (
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/dunning"
	"github.com/paydesk/paydesk/storage"
)

// BenchmarkCompute: the Dunning view's figures for each window on a
// backfilled 1,000-customer sandbox; FullScan decodes every cached
// subscription, invoice and charge, the cost the indexes avoid.
func BenchmarkCompute(b *testing.B) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	s := seededCache(b, 1000, now)
	for _, k := range []storage.Kind{storage.KindSubscription, storage.KindInvoice, storage.KindCharge} {
		n, _ := s.Count(k)
		b.Logf("%s: %d cached", k, n)
	}
	for _, w := range dunning.Windows {
		b.Run(w.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := dunning.Compute(s, w, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("FullScan", func(b *testing.B) {
		for b.Loop() {
			brute(b, s, now.Add(-90*24*time.Hour).Unix(), now.Unix()+1)
		}
	})
}
