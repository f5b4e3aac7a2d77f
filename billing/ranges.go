package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/paydesk/paydesk/storage"
)

// rootRange names the range a kind's walk starts with: every object.
const rootRange = "all"

// rangeState is one `created` range of a kind during a walk: its stored
// cursor, and the created time of the last object it wrote (every object
// left in the range is created at or before it).
type rangeState struct {
	key  string
	cur  storage.Cursor
	last int64
}

type rangeResult struct {
	rs  *rangeState
	err error
}

// walkKind lists one kind to the end as `created` ranges walked side by
// side, each one page at a time after its own stored cursor (Stripe lists
// newest first, so a range's cursor only moves towards older objects).
//
// A walk starts with one range holding every object. Whenever a range
// returns a page with more to come while fewer requests are on their way
// (or queued for them) than the rate limit needs at Stripe's answer time
// (see needMoreInFlight), the rest of that range is split at the middle of
// its remaining `created` span: the range
// keeps the newer half and continues after its cursor, a new range takes
// the older half. Both are stored in one transaction, so splits survive a
// crash; ranges are disjoint and together cover every created time, so no
// object is listed twice or missed. A kind has at most the pool's size in
// ranges: a range waits for its page's commit before fetching the next, so
// more ranges than requests in flight keep the rate busy while pages are
// written. No range is split while three commits' worth of pages wait
// for the writer: the writer, not Stripe, is then what the walk waits for,
// and more ranges would only hold more pages in memory (one commit's worth
// kept the queue so short that most commits took one page; two kept 9.4
// requests in flight at 300 ms where the writer could take 12).
func (r *backfillRun) walkKind(ctx context.Context, kind storage.Kind) error {
	stored, err := r.store.Ranges(kind)
	if err != nil {
		return err
	}
	var live []*rangeState
	for key, cur := range stored {
		if !cur.Done {
			live = append(live, &rangeState{key: key, cur: cur})
		}
	}
	slices.SortFunc(live, func(a, b *rangeState) int { return compareKeys(a.key, b.key) })
	if len(stored) == 0 {
		// First walk of the kind; a cursor stored by a walk in one piece
		// continues as the whole range.
		cur, err := r.store.Cursor(kind)
		if err != nil {
			return err
		}
		live = []*rangeState{{key: rootRange, cur: storage.Cursor{After: cur.After}}}
	}
	cov := newCoverage(r.floor, r.c.now().Unix(), stored)

	results := make(chan rangeResult)
	inFlight, ranges := 0, len(live)
	dispatch := func(rs *rangeState) {
		inFlight++
		go func() { results <- rangeResult{rs: rs, err: r.rangePage(ctx, kind, rs)} }()
	}
	for _, rs := range live {
		dispatch(rs)
	}
	var firstErr error
	for inFlight > 0 {
		res := <-results
		inFlight--
		if res.err != nil {
			firstErr = cmpErr(firstErr, res.err)
			continue
		}
		if firstErr != nil {
			continue // stopping: let the other ranges' pages land
		}
		rs := res.rs
		cov.update(rs)
		r.setCovered(kind, cov.share())
		if rs.cur.Done {
			ranges--
			r.report(kind, false, false)
			continue
		}
		if ranges < max(2, r.c.pool.size()) && r.c.needMoreInFlight() && r.store.QueuedPages() < 3*storage.GroupPages {
			child, err := r.split(kind, rs)
			if err != nil {
				firstErr = err
				continue
			}
			if child != nil {
				ranges++
				cov.add(child)
				dispatch(child)
			}
		}
		r.report(kind, false, false)
		dispatch(rs)
	}
	if firstErr != nil {
		return firstErr
	}
	cur, err := r.store.Cursor(kind)
	if err != nil {
		return err
	}
	cur.Done = true
	if err := r.store.SetCursor(kind, cur); err != nil {
		return err
	}
	r.mu.Lock()
	r.kinds[kind].done = true
	r.mu.Unlock()
	r.report(kind, true, false)
	return nil
}

// cmpErr keeps the first error, preferring one that is not a cancellation
// caused by it.
func cmpErr(first, err error) error {
	if first == nil || (ctxErr(first) && !ctxErr(err)) {
		return err
	}
	return first
}

func ctxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// compareKeys orders range keys so that runs are repeatable.
func compareKeys(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// needMoreInFlight reports whether the worker pool has a free slot and
// fewer requests hold or wait for one than keep the rate limit busy at the
// smoothed answer time (rate x answer time, Little's law): only then does
// another range make the walk faster rather than add a partial page.
func (c *Client) needMoreInFlight() bool {
	return c.pool.idle() && int(c.pool.want.Load()) < c.transport.wantInFlight()
}

// rangePage fetches and writes the next page of one range, holding a pool
// slot while the request is on its way. The page is stamped with the time
// its request left (see putFetched).
func (r *backfillRun) rangePage(ctx context.Context, kind storage.Kind, rs *rangeState) error {
	var page Page
	var at int64
	err := r.c.pool.do(ctx, func() error {
		at = r.c.now().Unix()
		var err error
		page, err = r.c.ListPage(ctx, ListOptions{Kind: kind, After: rs.cur.After,
			CreatedGTE: rs.cur.CreatedGTE, CreatedLTE: rs.cur.CreatedLTE})
		return err
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // stopped while the page was on its way: not written
	}
	next := rs.cur
	last := rs.last
	if n := len(page.Data); n > 0 {
		head, err := objectHead(page.Data[n-1])
		if err != nil {
			return err
		}
		next.After, last = head.ID, head.Created
	}
	next.Fetched += len(page.Data)
	next.Done = !page.HasMore || len(page.Data) == 0
	if _, err := r.store.PutRangePage(kind, rs.key, page.Data, at, r.startedAt(), next); err != nil {
		return err
	}
	rs.cur, rs.last = next, last
	r.counted(kind, len(page.Data), false)
	return nil
}

// defaultSpan is how far back a split guesses the oldest object lies when
// neither the range nor the account says (only for choosing the middle).
const defaultSpan = 365 * 24 * 3600

// split divides what is left of rs (created in [rs.cur.CreatedGTE,
// rs.last]) at the middle: rs keeps the newer half, the returned range
// takes the older half. Nil when the rest spans less than two seconds.
func (r *backfillRun) split(kind storage.Kind, rs *rangeState) (*rangeState, error) {
	lo := rs.cur.CreatedGTE
	est := lo
	if est == 0 {
		est = r.floor // the account's creation; the range stays unbounded below
		if est <= 0 || est >= rs.last {
			est = rs.last - defaultSpan
		}
	}
	if rs.last-est < 2 || !worthSplitting(rs, est, r.c.now().Unix()) {
		return nil, nil
	}
	mid := est + (rs.last-est+1)/2 // est < mid <= rs.last
	child := &rangeState{key: fmt.Sprintf("%d-%d", lo, mid-1), cur: storage.Cursor{CreatedGTE: lo, CreatedLTE: mid - 1}}
	parent := rs.cur
	parent.CreatedGTE = mid
	if err := r.store.PutRanges(kind, map[string]storage.Cursor{rs.key: parent, child.key: child.cur}); err != nil {
		return nil, err
	}
	rs.cur = parent
	return child, nil
}

// splitPages is how many pages a range must still hold (by its density so
// far) to be split: each range ends on a partial page, so a split of a
// short rest adds a request without shortening the walk.
const splitPages = 2

// worthSplitting estimates the objects left in rs (created from est up to
// rs.last) from how densely its pages so far were packed in time, and
// reports whether they fill splitPages pages. A range with no page yet, or
// whose pages all came within one second, is worth splitting.
func worthSplitting(rs *rangeState, est, now int64) bool {
	top := rs.cur.CreatedLTE
	if top == 0 {
		top = now
	}
	walked := top - rs.last
	if rs.cur.Fetched == 0 || walked <= 0 {
		return true
	}
	left := float64(rs.cur.Fetched) * float64(rs.last-est) / float64(walked)
	return left >= splitPages*PageSize
}

// objHead is the id and created time (unix seconds) of an object.
type objHead struct {
	ID      string `json:"id"`
	Created int64  `json:"created"`
}

// objectHead reads the id and created time of a raw object.
func objectHead(raw json.RawMessage) (objHead, error) {
	var o objHead
	if err := json.Unmarshal(raw, &o); err != nil {
		return o, fmt.Errorf("decode object id: %w", err)
	}
	if o.ID == "" {
		return o, fmt.Errorf("object without id")
	}
	return o, nil
}
