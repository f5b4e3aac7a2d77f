package billing

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// benchClock is the fixed instant the latency benchmarks' sandbox runs at.
var benchClock = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// backfillCase is one backfill of BenchmarkBackfillLatency.
type backfillCase struct {
	name             string
	latency, jitter  time.Duration
	clientRate       float64 // 0: limiter out of the way
	serverRate       float64 // the sandbox's per-key rate (0: unlimited)
	rowsPerSec, reqs float64
}

// BenchmarkBackfillLatency backfills the same seeded account (2,000
// customers and everything they own, ~36,800 objects) three ways in one
// run, each in a child process (see TestBackfillChild): without latency and limiter, at 300 ms ± 100 ms per answer with
// `--rate 25` against Stripe's test-mode rate per key, and at 300 ms with
// `--rate 90` against the live rate. It reports rows/s and requests/s of
// each and, at the end, the ratios the README's Performance table quotes:
// rows/s over 25 x 100 and over min(9,000, the no-latency rows/s).
//
//	go test ./billing/ -run '^$' -bench BenchmarkBackfillLatency -benchtime 1x
func BenchmarkBackfillLatency(b *testing.B) {
	cases := []*backfillCase{
		{name: "latency=0/rate=off"},
		{name: "latency=300ms±100ms/rate=25", latency: 300 * time.Millisecond, jitter: 100 * time.Millisecond, clientRate: 25, serverRate: sandbox.StripeTestRate},
		{name: "latency=300ms/rate=90", latency: 300 * time.Millisecond, clientRate: 90, serverRate: sandbox.StripeLiveRate},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) { benchBackfill(b, bc) })
	}
	if nolat, r25, r90 := cases[0].rowsPerSec, cases[1], cases[2]; nolat > 0 && r25.rowsPerSec > 0 && r90.rowsPerSec > 0 {
		fmt.Printf("rate 25 at 300±100 ms: %.0f rows/s = %.2f x 2,500; %.1f req/s = %.2f x 25\n",
			r25.rowsPerSec, r25.rowsPerSec/2500, r25.reqs, r25.reqs/25)
		fmt.Printf("  = %.2f x the no-latency rows/s of this run\n", r25.rowsPerSec/nolat)
		fmt.Printf("rate 90 at 300 ms: %.0f rows/s = %.2f x min(9,000, %.0f no-latency rows/s); %.1f req/s = %.2f x 90",
			r90.rowsPerSec, r90.rowsPerSec/min(9000, nolat), nolat, r90.reqs, r90.reqs/90)
		fmt.Println()
	}
}

func benchBackfill(b *testing.B, bc *backfillCase) {
	_, base := startSandbox(b, sandbox.Options{Seed: 42, Customers: 2000, Now: func() time.Time { return benchClock },
		Latency: bc.latency, LatencyJitter: bc.jitter, RateLimit: bc.serverRate})
	dir := b.TempDir()
	var rows int
	var seconds, inFlight float64
	var sent, throttled, commits, pages int64
	hwmKB := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := runBackfillChild(b, base, filepath.Join(dir, fmt.Sprintf("bench%d.db", i)), bc.clientRate)
		rows += r.rows
		seconds += r.seconds
		sent += r.sent
		throttled += r.throttled
		inFlight += r.inFlight * r.seconds
		commits, pages = commits+r.commits, pages+r.pages
		hwmKB = max(hwmKB, r.hwmKB)
	}
	b.ReportMetric(inFlight/seconds, "in-flight")
	bc.rowsPerSec = float64(rows) / seconds
	bc.reqs = float64(sent) / seconds
	b.ReportMetric(bc.rowsPerSec, "rows/s")
	b.ReportMetric(bc.reqs, "req/s")
	b.ReportMetric(float64(rows)/float64(sent), "rows/req")
	b.ReportMetric(float64(throttled)/float64(b.N), "429s/op")
	if commits > 0 {
		b.ReportMetric(float64(pages)/float64(commits), "pages/commit")
	}
	b.ReportMetric(float64(hwmKB)/1024, "peak-RSS-MB")
}

// BenchmarkStaleRefresh measures how long a same-second conflict stays
// stale while online, at 300 ms per Stripe answer, under a burst of 50
// conflicting events a second for 2 s (invoice.created/finalized/paid
// landing in one second are the common case). Each event updates a
// different customer in the sandbox in the second its cached copy was
// fetched; the events are applied through the store like webhooks, and
// KeepFresh (woken per conflict, as the console wires it) refetches them.
// It reports the time from an event's apply to its object's refresh.
//
//	go test ./billing/ -run '^$' -bench BenchmarkStaleRefresh -benchtime 2x
func BenchmarkStaleRefresh(b *testing.B) {
	const perSecond, seconds = 50, 2
	const burst = perSecond * seconds
	sb, base := startSandbox(b, sandbox.Options{Seed: 31, Customers: 1200, Now: func() time.Time { return benchClock },
		Latency: 300 * time.Millisecond})
	c := newSandboxClient(b, sb, base, nil, func(cfg *Config) { cfg.RateLimit = DefaultLiveRate })
	store := newTestStore(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := c.Backfill(ctx, store, BackfillOptions{Kinds: []storage.Kind{storage.KindCustomer}}); err != nil {
		b.Fatal(err)
	}
	customers := remoteIDs(b, c, ListOptions{Kind: storage.KindCustomer})
	if len(customers) < burst*b.N {
		b.Fatalf("%d customers for %d bursts of %d", len(customers), b.N, burst)
	}
	wake := make(chan struct{}, 1)
	go c.KeepFresh(ctx, store, wake, time.Minute, func(err error) { b.Error(err) })
	var lat []time.Duration
	apply := StoreApplier{Store: store}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ids := customers[i*burst : (i+1)*burst]
		events := sandboxUpdates(b, c, base, ids)
		b.StartTimer()
		// A watcher sees each object's refresh land while the burst goes on.
		var mu sync.Mutex
		applied := make(map[string]time.Time, burst)
		watched := make(chan struct{})
		go func() {
			defer close(watched)
			pending := slices.Clone(ids)
			for len(pending) > 0 {
				time.Sleep(5 * time.Millisecond)
				now := time.Now()
				mu.Lock()
				pending = slices.DeleteFunc(pending, func(id string) bool {
					at, ok := applied[id]
					if !ok {
						return false
					}
					env, err := store.Get(storage.KindCustomer, id)
					if err != nil || env.Stale {
						return false
					}
					lat = append(lat, now.Sub(at))
					return true
				})
				mu.Unlock()
			}
		}()
		tick := time.NewTicker(time.Second / perSecond)
		for _, id := range ids {
			<-tick.C
			mu.Lock()
			res, err := apply.ApplyEvent(events[id], "webhook")
			applied[id] = time.Now()
			mu.Unlock()
			if err != nil || res.Verdict != storage.VerdictConflict {
				b.Fatalf("event for %s: %+v, %v; want a same-second conflict", id, res, err)
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		}
		tick.Stop()
		<-watched
	}
	b.StopTimer()
	slices.Sort(lat)
	within := 0
	for _, d := range lat {
		if d <= 2*time.Second {
			within++
		}
	}
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "max-ms")
	b.ReportMetric(100*float64(within)/float64(len(lat)), "%within2s")
}

// sandboxUpdates renames each customer in the sandbox (all in the frozen
// second) and returns the customer.updated event of each, raw.
func sandboxUpdates(b *testing.B, c *Client, base string, ids []string) map[string][]byte {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, base+"/v1/customers/"+id, strings.NewReader(url.Values{"name": {"Renamed " + id}}.Encode()))
			req.Header.Set("Authorization", "Bearer "+testKey)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Errorf("update %s: %v %v", id, err, resp)
			}
			if resp != nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[string][]byte{}
	for raw, err := range c.ListAll(context.Background(), ListOptions{Kind: KindEvent}) {
		if err != nil {
			b.Fatal(err)
		}
		head, obj, err := storage.ParseEvent(raw)
		if err != nil {
			b.Fatal(err)
		}
		id, err := objectID(obj)
		if err != nil {
			b.Fatal(err)
		}
		if head.Type == "customer.updated" && want[id] && out[id] == nil {
			out[id] = raw
		}
		if len(out) == len(ids) {
			break
		}
	}
	if len(out) != len(ids) {
		b.Fatalf("%d customer.updated events for %d updates", len(out), len(ids))
	}
	return out
}
