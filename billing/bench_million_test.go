package billing

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
)

// benchObjectsEnv opts BenchmarkBackfillMillion in: the objects in the
// account.
const benchObjectsEnv = "PAYDESK_BENCH_OBJECTS"

// objectsPerCustomer is how many objects the seeded sandbox holds per
// customer (subscriptions, invoices, payment intents, charges, ...), from
// the 2,000-customer account of BenchmarkBackfillLatency.
const objectsPerCustomer = 18.4

// BenchmarkBackfillMillion backfills a sandbox account of
// PAYDESK_BENCH_OBJECTS objects (opt in; e.g. 1000000) into a fresh cache
// in a child process (the sandbox stays in this one) and reports the
// child's peak RSS (VmHWM: with the cache file's pages bbolt maps in) and
// peak anonymous memory (heap and stacks), and the time, limiter out of
// the way.
//
//	PAYDESK_BENCH_OBJECTS=1000000 go test ./billing/ -run '^$' -bench BenchmarkBackfillMillion -benchtime 1x -timeout 90m
func BenchmarkBackfillMillion(b *testing.B) {
	objects, _ := strconv.Atoi(os.Getenv(benchObjectsEnv))
	if objects <= 0 {
		b.Skip("set " + benchObjectsEnv + "=1000000 to backfill a million objects")
	}
	customers := int(float64(objects) / objectsPerCustomer)
	_, base := startSandbox(b, sandbox.Options{Seed: 42, Customers: customers, Now: func() time.Time { return benchClock }})
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		r := runBackfillChild(b, base, filepath.Join(dir, fmt.Sprintf("m%d.db", i)), 0)
		b.ReportMetric(float64(r.rows), "rows")
		b.ReportMetric(r.seconds, "sync-s")
		b.ReportMetric(float64(r.rows)/r.seconds, "rows/s")
		b.ReportMetric(float64(r.hwmKB)/1024, "peak-RSS-MB")
		b.ReportMetric(float64(r.peakAnonKB)/1024, "peak-anon-MB")
	}
}
