package billing

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// Environment of BenchmarkBackfillMillion and its child process.
const (
	benchObjectsEnv = "PAYDESK_BENCH_OBJECTS" // opt in: objects in the account
	rssChildEnv     = "PAYDESK_RSS_CHILD"
	rssBaseEnv      = "PAYDESK_RSS_BASE"
	rssDBEnv        = "PAYDESK_RSS_DB"
)

// objectsPerCustomer is how many objects the seeded sandbox holds per
// customer (subscriptions, invoices, payment intents, charges, ...), from
// the 2,000-customer account of BenchmarkBackfillLatency.
const objectsPerCustomer = 18.4

// TestBackfillRSSChild is the process BenchmarkBackfillMillion measures: a
// whole backfill, then one line with the rows, the time and the peak RSS
// (VmHWM) of this process. It does nothing in a normal run.
func TestBackfillRSSChild(t *testing.T) {
	if os.Getenv(rssChildEnv) == "" {
		t.Skip("run by BenchmarkBackfillMillion")
	}
	store, err := storage.Open(os.Getenv(rssDBEnv), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	c := newTestClient(t, os.Getenv(rssBaseEnv), func(cfg *Config) { cfg.RateLimit = 1e9 })
	// Sample the resident set while the backfill runs: anonymous memory
	// (heap, stacks) apart from the cache file's pages bbolt maps in.
	var peakAnon int
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			peakAnon = max(peakAnon, procStatusKB("RssAnon:"))
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	err = c.Backfill(context.Background(), store, BackfillOptions{})
	el := time.Since(start)
	close(stop)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, k := range storage.Kinds {
		rows += mustCount(t, store, k)
	}
	fmt.Printf("rss-result rows=%d seconds=%.1f hwm_kb=%d anon_kb=%d\n", rows, el.Seconds(), procStatusKB("VmHWM:"), peakAnon)
}

// procStatusKB reads one KiB figure of /proc/self/status (-1: unknown).
func procStatusKB(field string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return -1
			}
			return n
		}
	}
	return -1
}

// BenchmarkBackfillMillion backfills a sandbox account of
// PAYDESK_BENCH_OBJECTS objects (opt in; e.g. 1000000) into a fresh cache
// in a child process (the sandbox stays in this one) and reports the
// child's peak RSS (VmHWM: with the cache file's pages bbolt maps in) and
// peak anonymous memory (heap and stacks, sampled every 50 ms), and the
// time, limiter out of the way.
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
		// The child may run as long as this benchmark may (-timeout).
		cmd := exec.Command(os.Args[0], "-test.run=^TestBackfillRSSChild$", "-test.v", "-test.timeout="+flag.Lookup("test.timeout").Value.String())
		cmd.Env = append(os.Environ(), rssChildEnv+"=1", rssBaseEnv+"="+base, rssDBEnv+"="+filepath.Join(dir, fmt.Sprintf("m%d.db", i)))
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("child: %v\n%s", err, out)
		}
		var rows, kb, anon int
		var secs float64
		found := false
		sc := bufio.NewScanner(strings.NewReader(string(out)))
		for sc.Scan() {
			if _, err := fmt.Sscanf(sc.Text(), "rss-result rows=%d seconds=%g hwm_kb=%d anon_kb=%d", &rows, &secs, &kb, &anon); err == nil {
				found = true
			}
		}
		if !found {
			b.Fatalf("no result from the child:\n%s", out)
		}
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(secs, "sync-s")
		b.ReportMetric(float64(rows)/secs, "rows/s")
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
		b.ReportMetric(float64(anon)/1024, "peak-anon-MB")
	}
}
