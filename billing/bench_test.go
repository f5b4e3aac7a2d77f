package billing

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// BenchmarkBackfill measures a whole backfill of a seeded sandbox account
// (2,000 customers and everything they own) into a fresh bbolt file per
// iteration, with the client's rate limit out of the way: it measures
// billing (HTTP, raw pages) and storage (a transaction and fsync per page),
// not the limiter. rows/s counts objects written, every kind.
//
//	go test ./billing/ -run '^$' -bench BenchmarkBackfill -benchtime 3x
func BenchmarkBackfill(b *testing.B) {
	for _, customers := range []int{2000} {
		b.Run(fmt.Sprintf("customers=%d", customers), func(b *testing.B) {
			sb, base := startSandbox(b, sandbox.Options{Seed: 42, Customers: customers})
			c := newSandboxClient(b, sb, base, nil, func(cfg *Config) { cfg.RateLimit = 1e9 })
			ctx := context.Background()
			dir := b.TempDir()
			rows, pages := 0, 0
			var elapsed time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				store, err := storage.Open(filepath.Join(dir, fmt.Sprintf("bench%d.db", i)), storage.Options{Now: testclock.Running()})
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				err = c.Backfill(ctx, store, BackfillOptions{OnProgress: func(p Progress) {
					if !p.Skipped {
						pages++
					}
				}})
				elapsed += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				for _, k := range storage.Kinds {
					n, err := store.Count(k)
					if err != nil {
						b.Fatal(err)
					}
					rows += n
				}
				store.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
			b.ReportMetric(float64(pages)/float64(b.N), "pages/op")
		})
	}
}
