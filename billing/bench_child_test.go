package billing

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// Environment of TestBackfillChild, set by runBackfillChild.
const (
	childEnv     = "PAYDESK_BACKFILL_CHILD" // set: run the child's backfill
	childBaseEnv = "PAYDESK_BACKFILL_BASE"  // Stripe's (the sandbox's) base URL
	childDBEnv   = "PAYDESK_BACKFILL_DB"    // the cache file
	childRateEnv = "PAYDESK_BACKFILL_RATE"  // the client's requests/s (0: out of the way)
)

// childResult is what one backfill in a child process measured.
type childResult struct {
	rows              int
	seconds           float64
	sent, throttled   int64
	inFlight          float64 // requests on their way, sampled every 20 ms
	commits, pages    int64   // page commits and the pages they held
	hwmKB, peakAnonKB int     // peak RSS (VmHWM or sampled VmRSS, the larger) and peak anonymous memory
}

const childResultFormat = "backfill-result rows=%d seconds=%g sent=%d throttled=%d inflight=%g commits=%d pages=%d hwm_kb=%d anon_kb=%d"

// TestBackfillChild is the process the backfill benchmarks measure: paydesk
// on its own, as `paydesk sync` runs it (LimitMemoryForSync), with Stripe (the sandbox) in the benchmark's
// process, so neither the sandbox's memory nor its CPU and garbage
// collection count against the backfill. It runs one whole backfill, then
// prints one childResultFormat line. It does nothing in a normal run.
func TestBackfillChild(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by the backfill benchmarks")
	}
	store, err := storage.Open(os.Getenv(childDBEnv), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rate, _ := strconv.ParseFloat(os.Getenv(childRateEnv), 64)
	if rate <= 0 {
		rate = 1e9
	}
	c := newTestClient(t, os.Getenv(childBaseEnv), func(cfg *Config) { cfg.RateLimit = rate })
	defer LimitMemoryForSync()() // as `paydesk sync` runs
	// Sample the requests in flight, the anonymous memory (heap, stacks:
	// the resident set apart from the cache file's mapped pages) and the
	// resident set: the kernel's VmHWM is brought up to date only at some
	// events (an unmap, a release), so a peak between them is seen only by
	// sampling. The peak reported is the larger of the two.
	var samples, inFlight int64
	var peakAnon, peakRSS int
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			samples++
			inFlight += c.transport.inFlight.Load()
			if n%5 == 0 {
				peakAnon = max(peakAnon, procStatusKB("RssAnon:"))
				peakRSS = max(peakRSS, procStatusKB("VmRSS:"))
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	traced := make(chan struct{})
	if path := os.Getenv(childTraceEnv); path != "" {
		go func() { defer close(traced); tracePeaks(path, store, c.transport, rate < 1e9, start, stop) }()
	} else {
		close(traced)
	}
	err = c.Backfill(context.Background(), store, BackfillOptions{})
	el := time.Since(start)
	close(stop)
	<-sampled
	<-traced
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, k := range storage.Kinds {
		rows += mustCount(t, store, k)
	}
	commits, pages := store.PageCommits()
	fmt.Printf(childResultFormat+"\n", rows, el.Seconds(), c.transport.sent.Load(), c.transport.throttled.Load(),
		float64(inFlight)/float64(samples), commits, pages, max(procStatusKB("VmHWM:"), peakRSS), peakAnon)
}

// runBackfillChild backfills the account at base into a fresh cache at db
// in a child process (TestBackfillChild) with the client limited to rate
// requests/s (0: out of the way), and returns what it measured. The child
// may run as long as this benchmark may (-timeout).
func runBackfillChild(b *testing.B, base, db string, rate float64) childResult {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBackfillChild$", "-test.v",
		"-test.timeout="+flag.Lookup("test.timeout").Value.String())
	cmd.Env = append(os.Environ(), childEnv+"=1", childBaseEnv+"="+base, childDBEnv+"="+db,
		childRateEnv+"="+strconv.FormatFloat(rate, 'f', -1, 64))
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	var r childResult
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), childResultFormat, &r.rows, &r.seconds, &r.sent, &r.throttled,
			&r.inFlight, &r.commits, &r.pages, &r.hwmKB, &r.peakAnonKB); err == nil {
			return r
		}
	}
	b.Fatalf("no result from the child:\n%s", out)
	return r
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
