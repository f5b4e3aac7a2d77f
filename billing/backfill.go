package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// BackfillOptions tune Backfill.
type BackfillOptions struct {
	// Kinds limits the walk (nil: every cached kind). They are always walked
	// in storage.Kinds order, parents first.
	Kinds []storage.Kind
	// OnProgress is called after every page written and once per kind
	// skipped because an earlier run finished it.
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
	// Elapsed since this run started, and Total over it.
	Elapsed    time.Duration
	RowsPerSec float64
	// Done: Kind is complete. Skipped: an earlier run completed it.
	Done, Skipped bool
}

// Backfill fills the cache from Stripe's list endpoints, kind by kind, 100
// objects a page, each page written with its cursor in one transaction. An
// interrupted run resumes where it stopped: finished kinds are not fetched
// again, a half-done kind continues after its cursor. A full resync is
// store.ResetCursors followed by Backfill.
//
// Before walking, Backfill records the account and, when the cache has no
// usable event mark or the walk starts from scratch (a first run, or a full
// resync after ResetCursors), the newest event, so that CatchUp afterwards
// applies whatever changed while the backfill ran.
//
// A kind walked to its end is then reconciled (see reconcile): cached
// objects the walk did not return are retrieved one by one and marked
// deleted when Stripe has deleted them, so a full resync drops customers,
// products, prices and draft invoices deleted while no webhook reached the
// cache.
//
// Customer balance transactions have no account-wide list: they are fetched
// per customer, for the cached customers whose balance is not zero (walked
// through the cache's amount index, a page at a time), so customers must be
// backfilled first; storage.Kinds orders them so.
func (c *Client) Backfill(ctx context.Context, store *storage.Store, opts BackfillOptions) error {
	run := &backfillRun{c: c, store: store, opts: opts, start: time.Now()}
	if err := c.recordAccount(ctx, store, opts.Mode); err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	fresh, err := freshStart(store, opts.Kinds)
	if err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	if err := c.markEventStart(ctx, store, fresh); err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	for _, kind := range storage.Kinds {
		if opts.Kinds != nil && !slices.Contains(opts.Kinds, kind) {
			continue
		}
		cur, err := store.Cursor(kind)
		if err != nil {
			return fmt.Errorf("backfill %s: %w", kind, err)
		}
		if cur.Done {
			run.report(kind, 0, cur, true)
			continue
		}
		if cur.StartedAt == 0 {
			cur.StartedAt = c.now().Unix()
		}
		if kind == storage.KindBalanceTransaction {
			err = run.balances(ctx, cur)
		} else {
			err = run.kind(ctx, kind, cur)
		}
		if err != nil {
			return fmt.Errorf("backfill %s: %w", kind, err)
		}
		// The whole list was walked since cur.StartedAt: what it did not
		// return is gone from Stripe (or left out of its lists).
		if _, err := c.reconcile(ctx, store, kind, cur.StartedAt); err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
	}
	return c.finishAccount(store)
}

// backfillRun is the state of one Backfill call.
type backfillRun struct {
	c     *Client
	store *storage.Store
	opts  BackfillOptions
	start time.Time // wall clock, for the rate
	total int
}

// fetchedPage is the outcome of one list request sent at unix time at.
type fetchedPage struct {
	page Page
	at   int64
	err  error
}

// kind walks one kind's list endpoint from cur.After to the end. The next
// page is requested while the current one is written (requests stay one at
// a time), so the network and the disk work side by side; the cursor still
// moves only when a page is on disk.
func (r *backfillRun) kind(ctx context.Context, kind storage.Kind, cur storage.Cursor) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // abandons a prefetch nobody will read
	fetch := func(after string) <-chan fetchedPage {
		ch := make(chan fetchedPage, 1)
		go func() {
			at := r.c.now().Unix()
			p, err := r.c.ListPage(ctx, ListOptions{Kind: kind, After: after})
			ch <- fetchedPage{p, at, err}
		}()
		return ch
	}
	pages := 0
	next := fetch(cur.After)
	for !cur.Done {
		f := <-next
		if f.err != nil {
			return f.err
		}
		if err := ctx.Err(); err != nil {
			return err // stopped while the page was on its way: not written
		}
		done := !f.page.HasMore || len(f.page.Data) == 0
		if !done {
			last, err := objectID(f.page.Data[len(f.page.Data)-1])
			if err != nil {
				return err
			}
			next = fetch(last)
		}
		if err := r.write(kind, f.page.Data, f.at, &cur, done); err != nil {
			return err
		}
		pages++
		r.report(kind, pages, cur, false)
	}
	return nil
}

// write stores one page, fetched by a request sent at unix time at, and the
// cursor after it. The page is stamped with the time its request left, not
// the time it arrived: an event between the two may be missing from the
// page, and must not look older than it (the same second marks the object
// stale instead, so it is refetched).
func (r *backfillRun) write(kind storage.Kind, data []json.RawMessage, at int64, cur *storage.Cursor, done bool) error {
	next := *cur
	if len(data) > 0 && kind != storage.KindBalanceTransaction {
		last, err := objectID(data[len(data)-1])
		if err != nil {
			return err
		}
		next.After = last
	}
	next.Fetched += len(data)
	next.Done = done
	if _, err := r.store.PutPage(kind, data, at, next); err != nil {
		return err
	}
	*cur = next
	r.total += len(data)
	return nil
}

func (r *backfillRun) report(kind storage.Kind, pages int, cur storage.Cursor, skipped bool) {
	if r.opts.OnProgress == nil {
		return
	}
	el := time.Since(r.start) // wall time: Config.Now may be a business clock (the demo's)
	p := Progress{Kind: kind, Pages: pages, Fetched: cur.Fetched, Total: r.total, Elapsed: el, Done: cur.Done, Skipped: skipped}
	if el > 0 {
		p.RowsPerSec = float64(r.total) / el.Seconds()
	}
	r.opts.OnProgress(p)
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
	}
	return true, nil
}
