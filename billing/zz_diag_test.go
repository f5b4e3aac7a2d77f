package billing

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

func TestZZDiag(t *testing.T) {
	sb, base := startSandbox(t, sandbox.Options{Seed: 42, Customers: 2000, Now: func() time.Time { return benchClock }})
	ct := newCountingTransport()
	c := newSandboxClient(t, sb, base, nil, withTransport(ct), func(cfg *Config) { cfg.RateLimit = 1e9 })
	store := newTestStore(t)
	if err := c.Backfill(context.Background(), store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(cus|ch|in|sub|pi|prod|price|re|dp|cbtxn|evt|acct)_[A-Za-z0-9]+`)
	agg := map[string]int{}
	ct.mu.Lock()
	for p, n := range ct.perPath {
		agg[re.ReplaceAllString(p, "ID")] += n
	}
	ct.mu.Unlock()
	var keys []string
	for k := range agg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(k, agg[k])
	}
	for _, k := range storage.Kinds {
		n, _ := store.Count(k)
		fmt.Println("count", k, n)
	}
	tot, _ := ct.stats()
	fmt.Println("total", tot)
}

func TestZZTimeline(t *testing.T) {
	sb, base := startSandbox(t, sandbox.Options{Seed: 42, Customers: 2000, Now: func() time.Time { return benchClock },
		Latency: 300 * time.Millisecond, LatencyJitter: 100 * time.Millisecond, RateLimit: sandbox.StripeTestRate})
	c := newSandboxClient(t, sb, base, nil, func(cfg *Config) { cfg.RateLimit = 25 })
	store := newTestStore(t)
	var mu sync.Mutex
	last := map[storage.Kind]Progress{}
	stop := make(chan struct{})
	start := time.Now()
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		prevSent := int64(0)
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			mu.Lock()
			s := ""
			for _, k := range storage.Kinds {
				if p, ok := last[k]; ok && !p.Done {
					s += fmt.Sprintf(" %s:%d", k[:4], p.Fetched)
				}
			}
			mu.Unlock()
			sent := c.transport.sent.Load()
			cn, cp := store.PageCommits()
			fmt.Printf("commits=%d pages=%d ", cn, cp)
			fmt.Printf("%4.0fs sent/s=%d inflight=%d want=%d wantIF=%d %s\n", time.Since(start).Seconds(), sent-prevSent, c.transport.inFlight.Load(), c.pool.want.Load(), c.transport.wantInFlight(), s)
			prevSent = sent
		}
	}()
	err := c.Backfill(context.Background(), store, BackfillOptions{OnProgress: func(p Progress) {
		mu.Lock()
		last[p.Kind] = p
		mu.Unlock()
	}})
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("elapsed", time.Since(start), "sent", c.transport.sent.Load())
}
