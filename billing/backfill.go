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
	// ("demo" for the sandbox).
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
// Customer balance transactions have no account-wide list: they are fetched
// per customer, for the cached customers whose balance is not zero (walked
// through the cache's amount index, a page at a time), so customers must be
// backfilled first; storage.Kinds orders them so.
func (c *Client) Backfill(ctx context.Context, store *storage.Store, opts BackfillOptions) error {
	run := &backfillRun{c: c, store: store, opts: opts, start: c.now()}
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
	}
	return c.finishAccount(store)
}

// backfillRun is the state of one Backfill call.
type backfillRun struct {
	c     *Client
	store *storage.Store
	opts  BackfillOptions
	start time.Time
	total int
}

// kind walks one kind's list endpoint from cur.After to the end.
func (r *backfillRun) kind(ctx context.Context, kind storage.Kind, cur storage.Cursor) error {
	pages := 0
	for !cur.Done {
		page, err := r.c.ListPage(ctx, ListOptions{Kind: kind, After: cur.After})
		if err != nil {
			return err
		}
		if err := r.write(kind, page.Data, &cur, !page.HasMore || len(page.Data) == 0); err != nil {
			return err
		}
		pages++
		r.report(kind, pages, cur, false)
	}
	return nil
}

// write stores one page and the cursor after it.
func (r *backfillRun) write(kind storage.Kind, data []json.RawMessage, cur *storage.Cursor, done bool) error {
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
	if _, err := r.store.PutPage(kind, data, r.c.now().Unix(), next); err != nil {
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
	el := r.c.now().Sub(r.start)
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
