package billing

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// BackfillOptions tune Backfill.
type BackfillOptions struct {
	// Kinds limits the walk (nil: every cached kind).
	Kinds []storage.Kind
	// OnProgress is called after every page written and once per kind
	// skipped because an earlier run finished it. Calls never overlap.
	OnProgress func(Progress)
	// Mode is recorded as the account's mode; "" records the key's mode
	// (live or test: the sandbox's key is a test key, so `paydesk demo`
	// passes "demo").
	Mode string
}

// Progress reports a backfill's advance.
type Progress struct {
	Kind storage.Kind
	// Pages is how many pages of Kind this run wrote.
	Pages int
	// Fetched counts Kind's objects fetched so far, earlier runs included.
	Fetched int
	// Total counts the objects fetched by this run, every kind.
	Total int
	// Elapsed since this run started (wall clock), and Total over it.
	Elapsed    time.Duration
	RowsPerSec float64
	// InFlight is how many Stripe requests are on their way right now.
	InFlight int
	// ETA estimates the time left (0: unknown). Stripe does not count a
	// list, so it is extrapolated from how much of each kind's `created`
	// span the walk has covered (kinds listed per customer, and kinds not
	// started yet, are not counted).
	ETA time.Duration
	// Done: Kind is complete. Skipped: an earlier run completed it.
	Done, Skipped bool
}

// Backfill fills the cache from Stripe's list endpoints, 100 objects a
// page, each page written with its cursor in one transaction (pages that
// land together share one, see storage.PutRangePage). Kinds are
// walked side by side, and a large kind is split into `created` ranges
// walked side by side too (see walkKind), all under the client's one rate
// limiter and worker pool (Config.RateLimit, Config.Concurrency). An
// interrupted run resumes where it stopped: finished kinds are not fetched
// again, every unfinished range continues after its own cursor, so no
// object is missed and at most the one page per range that was on its way
// is fetched twice. A full resync is store.ResetCursors followed by
// Backfill.
//
// Before walking, Backfill records the account and, when the cache has no
// usable event mark or the walk starts from scratch (a first run, or a full
// resync after ResetCursors), the newest event, so that CatchUp afterwards
// applies whatever changed while the backfill ran. CatchUp waits while a
// Backfill of the same Client runs.
//
// A kind walked to its end is then reconciled (see reconcile): cached
// objects the walk did not return are retrieved one by one and marked
// deleted when Stripe has deleted them, so a full resync drops customers,
// products, prices and draft invoices deleted while no webhook reached the
// cache.
//
// Customer balance transactions have no account-wide list: they are fetched
// per customer, for the cached customers whose balance is not zero (walked
// through the cache's amount index, a page at a time), so they start once
// the customers are backfilled. Every other kind starts at once: a refund
// or dispute cached before its charge waits in the cache's late links and
// gets the charge's customer when the charge lands (storage's
// bucketLateLinks), so they need not wait for the charges' walk, which
// would leave the rate limit idle at its end. A kind that fails does not
// stop the others (its dependants are skipped);
// the error returned is the first one, wrapped with its kind ("backfill
// dispute: ...").
func (c *Client) Backfill(ctx context.Context, store *storage.Store, opts BackfillOptions) error {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	run := &backfillRun{c: c, store: store, opts: opts, start: time.Now(), kinds: map[storage.Kind]*kindState{}}
	accountCreated, err := c.recordAccount(ctx, store, opts.Mode)
	if err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	run.floor = accountCreated
	fresh, err := freshStart(store, opts.Kinds)
	if err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	if err := c.markEventStart(ctx, store, fresh); err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	// The resident set stays under residentBudget while the walk runs.
	guardCtx, stopGuard := context.WithCancel(ctx)
	defer stopGuard()
	go store.KeepResidentUnder(guardCtx, residentBudget, residentLookInterval)

	var selected []storage.Kind
	for _, kind := range storage.Kinds {
		if opts.Kinds != nil && !slices.Contains(opts.Kinds, kind) {
			continue
		}
		cur, err := store.Cursor(kind)
		if err != nil {
			return fmt.Errorf("backfill %s: %w", kind, err)
		}
		run.kinds[kind] = &kindState{fetched: cur.Fetched}
		if cur.Done {
			run.report(kind, true, true)
			continue
		}
		selected = append(selected, kind)
	}

	// A kind that fails (a key that may not read disputes, say) does not
	// stop the others: they finish, and the first error is returned.
	var (
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	fail := func(kind storage.Kind, err error) {
		errMu.Lock()
		defer errMu.Unlock()
		if firstErr == nil || (ctxErr(firstErr) && !ctxErr(err)) {
			firstErr = fmt.Errorf("backfill %s: %w", kind, err)
		}
	}
	done := map[storage.Kind]chan struct{}{}
	ok := map[storage.Kind]*atomic.Bool{}
	for _, kind := range selected {
		done[kind], ok[kind] = make(chan struct{}), &atomic.Bool{}
	}
	run.walked, run.walkedOK = done, ok
	for _, kind := range selected {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[kind])
			for _, parent := range backfillParents[kind] {
				if ch := done[parent]; ch != nil {
					<-ch
					if !ok[parent].Load() {
						return // the parent's error is reported
					}
				}
			}
			walkStart := c.now().Unix() // before the first page is fetched
			var err error
			if kind == storage.KindBalanceTransaction {
				err = run.balances(ctx)
			} else {
				err = run.walkKind(ctx, kind)
			}
			if err != nil {
				fail(kind, err)
				return
			}
			// The whole list was walked since the cursor's start: what it
			// did not return is gone from Stripe (or left out of its lists).
			// A walk resumed from an earlier run started then.
			cur, err := store.Cursor(kind)
			if err == nil {
				since := walkStart
				if cur.StartedAt > 0 {
					since = min(since, cur.StartedAt)
				}
				_, err = c.reconcile(ctx, store, kind, since)
			}
			if err != nil {
				fail(kind, fmt.Errorf("reconcile: %w", err))
				return
			}
			ok[kind].Store(true)
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return c.finishAccount(store)
}

// backfillParents are the kinds a kind's backfill waits for: balance
// transactions are listed per cached customer. Every other kind is walked
// from the start, side by side.
var backfillParents = map[storage.Kind][]storage.Kind{
	storage.KindBalanceTransaction: {storage.KindCustomer},
}

// backfillRun is the state of one Backfill call, shared by its kinds.
type backfillRun struct {
	c     *Client
	store *storage.Store
	opts  BackfillOptions
	start time.Time // wall clock, for the rate
	floor int64     // the account's creation, unix seconds (0: unknown)

	// walked is closed when this run's walk of a kind ends, walkedOK set
	// when it reached the end (kinds done before this run have neither).
	walked   map[storage.Kind]chan struct{}
	walkedOK map[storage.Kind]*atomic.Bool

	mu    sync.Mutex // guards what follows and serialises OnProgress
	total int
	pages int // written by this run, every kind
	kinds map[storage.Kind]*kindState
}

// kindState is one kind's advance in this run.
type kindState struct {
	pages, fetched int
	done           bool
	// covered is the share (0..1) of the kind's created span walked so far
	// (for the ETA); negative when unknown.
	covered float64
}

// waitWalked blocks until this run's walks of kinds have ended and returns
// an error naming the first that did not reach the end (its own error is
// reported by its walk), or ctx's error once ctx is done. A kind this run
// does not walk is not waited for.
func (r *backfillRun) waitWalked(ctx context.Context, kinds ...storage.Kind) error {
	for _, k := range kinds {
		ch := r.walked[k]
		if ch == nil {
			continue
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !r.walkedOK[k].Load() {
			return fmt.Errorf("%s not walked to the end", k)
		}
	}
	return nil
}

// startedAt is the unix time a kind's cursor records as its start.
func (r *backfillRun) startedAt() int64 { return r.c.now().Unix() }

// residentBudget is the resident set a backfill keeps under by letting go of
// the cache file's mapped pages (see storage.ResidentBudget).
const residentBudget = storage.ResidentBudget

// residentLookInterval is how often a backfill looks at its resident set
// besides after each object (storage.KeepResidentUnder): a commit maps in
// pages with no look of its own between them (a traced million-object sync
// went from under 180 MB to 266 MB between two looks 10 ms apart), and a
// look is one read of /proc/self/statm, a few microseconds.
const residentLookInterval = 2 * time.Millisecond

// counted adds a written page of n objects to kind's figures.
func (r *backfillRun) counted(kind storage.Kind, n int, done bool) {
	r.mu.Lock()
	st := r.kinds[kind]
	st.pages++
	st.fetched += n
	st.done = st.done || done
	r.total += n
	r.pages++
	r.mu.Unlock()
}

// setCovered records the share of kind's span walked (for the ETA).
func (r *backfillRun) setCovered(kind storage.Kind, share float64) {
	r.mu.Lock()
	r.kinds[kind].covered = share
	r.mu.Unlock()
}

// report sends one Progress for kind (done: kind complete; skipped: an
// earlier run completed it).
func (r *backfillRun) report(kind storage.Kind, done, skipped bool) {
	if r.opts.OnProgress == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.kinds[kind]
	el := time.Since(r.start) // wall time: Config.Now may be a business clock (the demo's)
	p := Progress{Kind: kind, Pages: st.pages, Fetched: st.fetched, Total: r.total, Elapsed: el,
		Done: done, Skipped: skipped, InFlight: int(r.c.transport.inFlight.Load())}
	if el > 0 {
		p.RowsPerSec = float64(r.total) / el.Seconds()
	}
	p.ETA = r.eta(p.RowsPerSec)
	r.opts.OnProgress(p)
}

// eta extrapolates the rows left from each unfinished kind's covered share
// of its span. Kinds whose share is unknown (not started yet, or listed per
// customer) are left out; 0 when no unfinished kind's share is known.
func (r *backfillRun) eta(rowsPerSec float64) time.Duration {
	if rowsPerSec <= 0 {
		return 0
	}
	left, known := 0.0, false
	for _, st := range r.kinds {
		if st.done || st.covered <= 0 || st.covered > 1 {
			continue
		}
		known = true
		left += float64(st.fetched) * (1 - st.covered) / st.covered
	}
	if !known {
		return 0
	}
	return time.Duration(left / rowsPerSec * float64(time.Second))
}

// freshStart reports whether a backfill of kinds (nil: all) starts from
// scratch: it walks every kind and no kind has a cursor yet.
func freshStart(store *storage.Store, kinds []storage.Kind) (bool, error) {
	for _, k := range storage.Kinds {
		if kinds != nil && !slices.Contains(kinds, k) {
			return false, nil
		}
		cur, err := store.Cursor(k)
		if err != nil {
			return false, err
		}
		if cur != (storage.Cursor{}) {
			return false, nil
		}
		ranges, err := store.Ranges(k)
		if err != nil {
			return false, err
		}
		if len(ranges) > 0 {
			return false, nil
		}
	}
	return true, nil
}
