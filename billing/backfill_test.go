package billing

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// assertMirrors checks that the cache holds exactly what the sandbox lists
// for every kind: same count, every listed id present.
func assertMirrors(t *testing.T, c *Client, store *storage.Store) {
	t.Helper()
	for _, kind := range storage.Kinds {
		var ids []string
		if kind == storage.KindBalanceTransaction {
			var customers int
			ids, customers = remoteBalanceTxns(t, c)
			if customers == 0 || len(ids) == 0 {
				t.Fatalf("the seeded sandbox has no customer with a balance: the test proves nothing")
			}
		} else {
			ids = remoteIDs(t, c, ListOptions{Kind: kind})
		}
		n, err := store.Count(kind)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d cached, %d listed", kind, n, len(ids))
		if n != len(ids) {
			t.Errorf("%s: cache holds %d, the sandbox lists %d", kind, n, len(ids))
		}
		for _, id := range ids {
			if _, err := store.Get(kind, id); err != nil {
				t.Errorf("%s %s listed by the sandbox but not cached: %v", kind, id, err)
				break
			}
		}
	}
}

func TestBackfillSandbox(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 7, Customers: 300})
	logs := &testkit.SyncBuffer{}
	c := newSandboxClient(t, sb, base, logs)
	store := newTestStore(t)

	var done []storage.Kind
	err := c.Backfill(context.Background(), store, BackfillOptions{OnProgress: func(p Progress) {
		if p.Done {
			done = append(done, p.Kind)
		}
	}})
	if err != nil {
		t.Fatalf("backfill: %v", err)
	}
	// Kinds are walked side by side: each is reported done once, and each
	// after the parents it reads from the cache.
	if got := slices.Sorted(slices.Values(done)); !slices.Equal(got, slices.Sorted(slices.Values(storage.Kinds))) {
		t.Fatalf("kinds reported done: %v, want each of %v once", done, storage.Kinds)
	}
	for kind, parents := range backfillParents {
		for _, p := range parents {
			if slices.Index(done, kind) < slices.Index(done, p) {
				t.Fatalf("%s done before its parent %s: %v", kind, p, done)
			}
		}
	}
	// Refunds and disputes are filed under their charge's customer,
	// whichever of them the walk cached first (they are walked side by side).
	for _, k := range []storage.Kind{storage.KindRefund, storage.KindDispute} {
		page, err := store.List(storage.Query{Kind: k, Limit: 1000})
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("%s: %d cached, %v", k, len(page.Items), err)
		}
		for _, env := range page.Items {
			if env.Customer == "" {
				t.Fatalf("%s %s cached without its charge's customer", k, env.ID)
			}
		}
	}
	for _, k := range storage.Kinds {
		cur, err := store.Cursor(k)
		if err != nil || !cur.Done {
			t.Fatalf("cursor %s = %+v, %v; want done", k, cur, err)
		}
	}
	assertMirrors(t, c, store)

	// Every customer with a balance has its transactions, and they add up
	// to the balance.
	page, err := store.List(storage.Query{Kind: storage.KindCustomer, Balance: storage.BalanceNonZero, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Fatal("no cached customer has a balance")
	}
	for _, cu := range page.Items {
		txns, err := store.List(storage.Query{Kind: storage.KindBalanceTransaction, Customer: cu.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		sum := int64(0)
		for _, tx := range txns.Items {
			sum += tx.Amount
		}
		if len(txns.Items) == 0 || sum != cu.Amount {
			t.Errorf("customer %s balance %d: %d cached transactions summing to %d", cu.ID, cu.Amount, len(txns.Items), sum)
		}
	}

	// Objects are cached byte for byte as Stripe sends them.
	newest, err := store.List(storage.Query{Kind: storage.KindInvoice, Limit: 1})
	if err != nil || len(newest.Items) != 1 {
		t.Fatalf("newest invoice: %v", err)
	}
	fresh, err := c.Retrieve(context.Background(), storage.KindInvoice, newest.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(fresh) != string(newest.Items[0].Raw) {
		t.Errorf("cached invoice differs from the API's:\n%s\n%s", newest.Items[0].Raw, fresh)
	}

	acc, err := store.Account()
	if err != nil {
		t.Fatal(err)
	}
	now := sb.Now().Unix()
	if acc.Mode != "test" || acc.BackfillEnd == 0 || acc.LastSyncAt == 0 || acc.BackfillEnd > now {
		t.Fatalf("account = %+v", acc)
	}
	// The seeded sandbox has no events yet: the mark is the backfill's start.
	mark, err := store.LastEvent()
	if err != nil {
		t.Fatal(err)
	}
	if mark.Created == 0 || mark.Created > now || now-mark.Created > 60 {
		t.Fatalf("event mark = %+v, want the backfill's start near %d", mark, now)
	}
	if err := store.Check(); err != nil {
		t.Fatalf("bbolt check: %v", err)
	}
	assertNoKey(t, logs.String())
}

// TestBackfillResume interrupts a backfill once the first page of invoices
// is on disk, reopens the cache, and resumes: finished kinds are not listed
// again, every unfinished invoice range continues after its own stored
// cursor, no object is written twice (each kind's Fetched equals its
// count), and the result equals a fresh full backfill.
func TestBackfillResume(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 3, Customers: 150})
	issueCreditNotes(t, sb, base, 3) // the seed has none: every kind is resumed
	path := filepath.Join(t.TempDir(), "cache.db")
	store, err := storage.Open(path, storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	first := newSandboxClient(t, sb, base, nil, func(cfg *Config) { cfg.Concurrency = 4 })
	err = first.Backfill(ctx, store, BackfillOptions{OnProgress: func(p Progress) {
		if p.Kind == storage.KindInvoice && p.Pages >= 1 {
			cancel()
		}
	}})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted backfill: %v, want context.Canceled", err)
	}
	if Explain(err) != "Cancelled." {
		t.Fatalf("Explain = %q", Explain(err))
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err = storage.Open(path, storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cut, err := store.Cursor(storage.KindInvoice)
	if err != nil {
		t.Fatal(err)
	}
	ranges, err := store.Ranges(storage.KindInvoice)
	if err != nil {
		t.Fatal(err)
	}
	inRanges := 0
	for _, r := range ranges {
		inRanges += r.Fetched
	}
	if cut.Done || cut.Fetched < PageSize || len(ranges) == 0 || inRanges != cut.Fetched {
		t.Fatalf("invoice cursor after the cut = %+v, ranges %+v", cut, ranges)
	}
	var finished []storage.Kind
	for _, k := range storage.Kinds {
		if cur, _ := store.Cursor(k); cur.Done {
			finished = append(finished, k)
		}
	}

	ct := newCountingTransport()
	second := newSandboxClient(t, sb, base, nil, withTransport(ct))
	var skipped []storage.Kind
	err = second.Backfill(context.Background(), store, BackfillOptions{OnProgress: func(p Progress) {
		if p.Skipped {
			skipped = append(skipped, p.Kind)
		}
	}})
	if err != nil {
		t.Fatalf("resumed backfill: %v", err)
	}
	if !slices.Equal(skipped, finished) {
		t.Fatalf("skipped kinds %v, want the kinds finished before the cut %v", skipped, finished)
	}
	for _, k := range finished {
		if n := ct.count(listPaths[k]); n != 0 {
			t.Errorf("%s listed %d times again after it was finished", k, n)
		}
	}
	ct.mu.Lock()
	queries := strings.Join(ct.queries["/v1/invoices"], "\n")
	ct.mu.Unlock()
	for key, r := range ranges {
		if !r.Done && r.After != "" && !strings.Contains(queries, "starting_after="+r.After) {
			t.Errorf("invoice range %s (%+v) did not continue after its cursor; queries:\n%s", key, r, queries)
		}
	}
	for _, k := range storage.Kinds {
		cur, _ := store.Cursor(k)
		if !cur.Done {
			t.Errorf("%s cursor %+v not done", k, cur)
		}
		if n := mustCount(t, store, k); k != storage.KindBalanceTransaction && cur.Fetched != n {
			t.Errorf("%s: %d objects written for %d cached: a page was written twice or lost", k, cur.Fetched, n)
		}
	}

	// The same account backfilled in one go gives the same cache.
	fresh := newTestStore(t)
	if err := newSandboxClient(t, sb, base, nil).Backfill(context.Background(), fresh, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, k := range storage.Kinds {
		got, _ := store.Count(k)
		want, _ := fresh.Count(k)
		if got != want || want == 0 {
			t.Errorf("%s: resumed cache holds %d, a fresh backfill %d", k, got, want)
		}
	}
	assertMirrors(t, second, store)
}

func mustCount(t *testing.T, s *storage.Store, k storage.Kind) int {
	t.Helper()
	n, err := s.Count(k)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// keyMaterialRE matches a secret or restricted key with at least one
// character of its secret part ("sk_test_…" names a kind of key, not a key).
var keyMaterialRE = regexp.MustCompile(`(?:sk|rk)_(?:live|test)_[A-Za-z0-9*]`)

// assertNoKey fails when s holds secret or restricted key material.
func assertNoKey(t *testing.T, s string) {
	t.Helper()
	if m := keyMaterialRE.FindString(s); m != "" || strings.Contains(s, testKey[len("sk_test_"):]) {
		t.Fatalf("key material leaked (%q) in:\n%s", m, s)
	}
}

// TestBackfillResumeInBalances interrupts the per-customer walk of balance
// transactions, among the customers with a credit (phase 1) and among
// those settled back to zero (phase 2, after every customer with a
// balance): the resumed run lists only the customers not finished yet
// (besides those whose request the cut stopped, at most one per worker).
func TestBackfillResumeInBalances(t *testing.T) {
	t.Parallel()
	t.Run("with a balance", func(t *testing.T) {
		t.Parallel()
		sb, base := startSandbox(t, sandbox.Options{Seed: 6, Customers: 200})
		resumeInBalances(t, sb, base, 3, 1)
	})
	t.Run("settled to zero", func(t *testing.T) {
		t.Parallel()
		sb, base := startSandbox(t, sandbox.Options{Seed: 6, Customers: 200})
		settled := settleBalances(t, sb, base)
		_, withTxns := remoteBalanceTxns(t, newSandboxClient(t, sb, base, nil))
		// The cut comes after the second settled customer's page.
		resumeInBalances(t, sb, base, int32(withTxns-len(settled)+2), 2)
	})
}

// resumeInBalances cuts a backfill off once donePages pages of balance
// transactions are written (in phase of the balance walk), resumes it, and
// checks what each run listed.
func resumeInBalances(t *testing.T, sb *sandbox.Server, base string, donePages int32, phase int) {
	store := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const workers = 2
	first := newCountingTransport()
	// The cut comes once donePages pages of balance transactions are
	// written (a cut on an answer could beat the write of the answer
	// before it, leaving the cursor where it was).
	var written atomic.Int32
	err := newSandboxClient(t, sb, base, nil, withTransport(first), func(cfg *Config) { cfg.Concurrency = workers }).Backfill(ctx, store, BackfillOptions{
		OnProgress: func(p Progress) {
			if p.Kind == storage.KindBalanceTransaction && !p.Done && written.Add(1) == donePages {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted backfill: %v", err)
	}
	cur, _ := store.Cursor(storage.KindBalanceTransaction)
	if cur.Done || !strings.HasPrefix(cur.After, strconv.Itoa(phase)+"|") {
		t.Fatalf("balance cursor = %+v, want one in phase %d", cur, phase)
	}
	second := newCountingTransport()
	c := newSandboxClient(t, sb, base, nil, withTransport(second))
	if err := c.Backfill(context.Background(), store, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	balancePaths := func(ct *countingTransport) map[string]int {
		out := map[string]int{}
		ct.mu.Lock()
		defer ct.mu.Unlock()
		for p, n := range ct.perPath {
			if strings.HasSuffix(p, "/balance_transactions") {
				out[p] = n
			}
		}
		return out
	}
	before, after := balancePaths(first), balancePaths(second)
	_, customers := remoteBalanceTxns(t, c)
	again, union := 0, len(before)
	for p := range after {
		if before[p] > 0 {
			again++
		} else {
			union++
		}
	}
	if len(before) < int(donePages) || len(after) >= customers || union != customers {
		t.Fatalf("first run listed %d customers, resumed run %d, together %d; want every one of %d", len(before), len(after), union, customers)
	}
	// At most the customers whose requests the cancel cut off are listed twice.
	if again > workers {
		t.Fatalf("%d customers listed in both runs, more than the %d in flight", again, workers)
	}
	assertMirrors(t, c, store)
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// hookTransport runs after once, when the first response for path arrives.
type hookTransport struct {
	base  http.RoundTripper
	path  string
	once  sync.Once
	after func()
}

func (h *hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.base.RoundTrip(r)
	if err == nil && r.URL.Path == h.path {
		h.once.Do(h.after)
	}
	return resp, err
}

// TestBackfillStampPrecedesFetch: an object changed in Stripe after its
// page was read but before the page was written must not hide the change's
// event from catch-up. The page is stamped with the time its request left,
// so the event is never "older" than the copy the page holds.
func TestBackfillStampPrecedesFetch(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: testclock.Anchor()}
	sb, base := startSandbox(t, sandbox.Options{Seed: 17, Customers: 30, Now: clk.now})
	ctx := context.Background()
	lister := newSandboxClient(t, sb, base, nil)
	p, err := lister.ListPage(ctx, ListOptions{Kind: storage.KindCustomer, Limit: 1})
	if err != nil || len(p.Data) != 1 {
		t.Fatalf("newest customer: %v", err)
	}
	newest, _ := objectID(p.Data[0]) // on the backfill's first page

	hook := &hookTransport{base: http.DefaultTransport, path: "/v1/customers", after: func() {
		// The customer changes in Stripe while the page is on its way,
		// and the page reaches the disk two seconds later.
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/customers/"+newest, strings.NewReader("name=Changed+Mid+Backfill"))
		req.Header.Set("Authorization", "Bearer "+testKey)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("update during the backfill: %v %v", err, resp)
		}
		if resp != nil {
			resp.Body.Close()
		}
		clk.sleep(ctx, 2*time.Second)
	}}
	c := newSandboxClient(t, sb, base, nil, withTransport(hook))
	store := newTestStore(t)
	if err := c.Backfill(ctx, store, BackfillOptions{Kinds: []storage.Kind{storage.KindCustomer}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Get(storage.KindCustomer, newest); got.Name == "Changed Mid Backfill" {
		t.Fatal("the page already holds the change: the test proves nothing")
	}
	if n, err := c.CatchUp(ctx, store, StoreApplier{Store: store}); err != nil || n != 1 {
		t.Fatalf("catch-up: %d, %v; want the one customer.updated", n, err)
	}
	got, err := store.Get(storage.KindCustomer, newest)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Changed Mid Backfill" {
		t.Fatalf("cached name %q after catch-up: the change made during the backfill was dropped as older than the page", got.Name)
	}
}

// TestBackfillProgressRate: the rate is measured on the wall clock, also
// when Config.Now is a business clock that stands still (or jumps, as the
// demo's does on Advance).
func TestBackfillProgressRate(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 19, Customers: 20})
	frozen := sb.Now()
	c := newSandboxClient(t, sb, base, nil, func(cfg *Config) { cfg.Clocks.Account = func() time.Time { return frozen } })
	var last Progress
	err := c.Backfill(context.Background(), newTestStore(t), BackfillOptions{OnProgress: func(p Progress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	if last.Total == 0 || last.Elapsed <= 0 || last.RowsPerSec <= 0 {
		t.Fatalf("last progress %+v: want elapsed time and a rate", last)
	}
	if got := float64(last.Total) / last.Elapsed.Seconds(); got != last.RowsPerSec {
		t.Fatalf("RowsPerSec %v, Total/Elapsed %v", last.RowsPerSec, got)
	}
}

// TestBackfillProgressInFlightAndETA: while Stripe is slow to answer, the
// backfill keeps several requests in flight and says so, and estimates the
// time left from the share of each kind's created span it has walked.
func TestBackfillProgressInFlightAndETA(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 19, Customers: 150, Latency: 3 * time.Millisecond})
	c := newSandboxClient(t, sb, base, nil, func(cfg *Config) { cfg.Concurrency = 8 })
	maxInFlight, withETA, reports := 0, 0, 0
	err := c.Backfill(context.Background(), newTestStore(t), BackfillOptions{OnProgress: func(p Progress) {
		reports++
		maxInFlight = max(maxInFlight, p.InFlight)
		if p.ETA > 0 {
			withETA++
		}
		if p.InFlight > 8 {
			t.Errorf("%d requests in flight with a pool of 8", p.InFlight)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if maxInFlight < 2 {
		t.Fatalf("at most %d request in flight: the backfill is sequential", maxInFlight)
	}
	if withETA == 0 {
		t.Fatalf("none of %d reports had an ETA", reports)
	}
}
