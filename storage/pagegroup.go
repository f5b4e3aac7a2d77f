package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// Backfill pages are group-committed: pages written by concurrent callers
// (the ranges and kinds of one backfill) share one read-write transaction
// and so one fsync, which is what a page write costs most of on a real
// disk. Each page still lands together with its own cursor, in the same
// transaction, so an interrupted backfill resumes every range after its
// last page on disk, exactly as with a transaction per page.
//
// The first caller to find no commit under way leads: it commits the pages
// queued at that moment (its own first; maxGroupObjects objects at most)
// and hands the lead to the first page still queued, so no caller writes
// others' pages for long. Nothing waits for a group to fill: a lone writer
// commits at once.
//
// When a shared transaction fails, each of its pages is retried in a
// transaction of its own, so a bad page fails only its own caller.

// maxGroupObjects bounds the objects of one shared transaction: bbolt
// holds every node a transaction touches in memory until it commits, and
// backfill pages land all over the indexes: in a cache of 300,000 objects
// a commit of 500 objects held some 100 MB at its peak, which the resident
// set of a long backfill cannot afford. Two pages a commit still halve the
// fsyncs when the writer is what the walk waits for.
const maxGroupObjects = 200

// A backfill commit never lets go of mapped pages inside its transaction:
// bbolt frees every page a commit rewrites and reads each one's header to
// do so, so pages let go of mid-transaction were all faulted in again at
// commit, each fault mapping its neighbours and whole large folios (64 KB
// to 2 MB), past any budget and with no look in between (a traced
// million-object sync saw 100 MB appear during one commit). Instead the
// transaction ends early, after the object that takes the resident set
// over ResidentBudget, and the pages are let go of after the commit.

// pendingPage is one page waiting for its commit.
type pendingPage struct {
	kind      Kind
	rangeKey  string // "" : cur is the kind's cursor (PutPage)
	objs      []json.RawMessage
	fields    []Fields // of objs, extracted before the page queues
	fieldErr  error    // the first object whose fields could not be read
	fetchedAt int64
	startedAt int64
	cur       Cursor

	next    int // the first object not yet written (a page may take several transactions)
	written int
	err     error
	turn    chan bool // true: lead the next commit; false: committed
	lead    bool      // queued when no commit was under way: leads one
	after   *pendingPage
}

// pageGroup queues pages for the next shared transaction.
type pageGroup struct {
	mu    sync.Mutex
	queue []*pendingPage
	busy  bool // a leader is committing

	commits, pages atomic.Int64 // groups committed (retries alone not counted), pages in them
}

// QueuedPages is how many backfill pages are waiting for a commit that has
// not started yet: more than a commit takes means the writer, not Stripe,
// is what a backfill waits for.
func (s *Store) QueuedPages() int {
	s.pages.mu.Lock()
	defer s.pages.mu.Unlock()
	return len(s.pages.queue)
}

// GroupPages is about how many pages of a backfill one commit takes.
const GroupPages = maxGroupObjects / 100

// PageCommits reports how many transactions the backfill pages written
// through PutPage and PutRangePage took so far, and how many pages they
// held (pages over commits: how many pages shared an fsync, on average).
func (s *Store) PageCommits() (commits, pages int64) {
	return s.pages.commits.Load(), s.pages.pages.Load()
}

// putPage writes p in a transaction shared with the pages queued beside it
// and returns how many of its objects were written.
func (s *Store) putPage(p *pendingPage) (int, error) {
	s.queuePage(p)
	return s.waitPage(p)
}

// queuePage reads p's fields and queues it for the next commit; p leads
// that commit when none is under way.
func (s *Store) queuePage(p *pendingPage) {
	// Reading the objects' fields needs no transaction: do it here, side
	// by side with the commit under way, not inside the next one.
	p.fields = make([]Fields, len(p.objs))
	for i, raw := range p.objs {
		f, err := ExtractFields(raw)
		if err != nil {
			p.fieldErr = fmt.Errorf("page of %s: %w", p.kind, err)
			break
		}
		p.fields[i] = f
	}
	g := &s.pages
	p.turn = make(chan bool, 1)
	g.mu.Lock()
	g.queue = append(g.queue, p)
	if !g.busy {
		g.busy = true
		p.lead = true
	}
	g.mu.Unlock()
}

// waitPage waits for p's commit, leading it when it is p's turn.
func (s *Store) waitPage(p *pendingPage) (int, error) {
	g := &s.pages
	if !p.lead {
		if lead := <-p.turn; !lead {
			return p.written, p.err
		}
	}
	g.mu.Lock()
	n, objs := 0, 0
	for n < len(g.queue) && (n == 0 || objs+len(g.queue[n].objs) <= maxGroupObjects) {
		objs += len(g.queue[n].objs)
		n++
	}
	batch := slices.Clone(g.queue[:n])
	g.queue = g.queue[n:]
	g.mu.Unlock()

	s.commitPages(batch)

	g.mu.Lock()
	var next *pendingPage
	if len(g.queue) > 0 {
		next = g.queue[0]
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	for _, q := range batch {
		if q != p {
			q.turn <- false
		}
	}
	if next != nil {
		next.turn <- true
	}
	return p.written, p.err
}

// PageTicket is a backfill page queued by QueuePage.
type PageTicket struct {
	s *Store
	p *pendingPage
}

// QueuePage queues one backfill page and its kind's cursor like PutPage,
// without waiting for its commit (Wait does). Pages queued one after the
// other are committed in that order. after is the page queued before this
// one with the same cursor (nil: none): when it failed, this page fails too
// without writing anything, so a cursor computed as if the earlier pages
// had landed never reaches the disk without them.
func (s *Store) QueuePage(kind Kind, objs []json.RawMessage, fetchedAt int64, cur Cursor, after *PageTicket) *PageTicket {
	p := &pendingPage{kind: kind, objs: objs, fetchedAt: fetchedAt, cur: cur}
	if after != nil {
		p.after = after.p
	}
	s.queuePage(p)
	return &PageTicket{s: s, p: p}
}

// Wait blocks until the page is committed (or failed) and returns how
// many of its objects were written (announced like PutPage's). It must be
// called once per ticket, soon: pages queued behind it may wait for it.
func (t *PageTicket) Wait() (int, error) {
	written, err := t.s.waitPage(t.p)
	if err != nil {
		return 0, fmt.Errorf("put page: %w", err)
	}
	return written, nil
}

// commitPages writes batch in one transaction, or each page in its own
// when the shared one fails. Written pages of PutPage are announced.
func (s *Store) commitPages(batch []*pendingPage) {
	var err error
	for i := 0; i < len(batch) && err == nil; {
		// One transaction, ended early (after at least one object) once
		// the resident set passes the budget: its pages are committed,
		// then let go of, and the rest follows in the next one.
		next := make([]int, len(batch)-i)
		for j, p := range batch[i:] {
			next[j] = p.next
		}
		_, startFile := resident()
		stop := func() bool {
			total, file := resident()
			return total > s.pageBudget() && file-startFile > s.txGrowthFloor()
		}
		done := 0
		s.committing.Store(true)
		err = s.update(func(tx *bolt.Tx) error {
			for _, p := range batch[i:] {
				full, err := s.writePage(tx, p, stop)
				if err != nil {
					return err
				}
				if !full {
					return nil // stopped inside p: it goes on in the next one
				}
				done++
				if stop() {
					return nil
				}
			}
			return nil
		})
		s.committing.Store(false)
		s.pages.commits.Add(1)
		if err != nil {
			s.pages.pages.Add(int64(len(batch) - i)) // all were tried together
		} else {
			s.pages.pages.Add(int64(max(done, 1))) // a page split across commits counts in each
		}
		if err != nil {
			for j, p := range batch[i:] {
				p.next = next[j] // rolled back
			}
			if len(batch)-i > 1 {
				// Each page alone, so a bad page fails only its caller.
				for _, p := range batch[i:] {
					s.committing.Store(true)
					p.err = s.update(func(tx *bolt.Tx) error {
						_, err := s.writePage(tx, p, nil)
						return err
					})
					s.committing.Store(false)
				}
			} else {
				batch[i].err = err
			}
			break
		}
		i += done
		// Between transactions (committing is clear): let go when over the
		// page budget. A failed release only leaves pages resident.
		_ = s.ReleaseMappedOver(s.pageBudget())
	}
	for _, p := range batch {
		// Committed: its data and the page before it are no longer needed
		// (a page queued after it only reads its err).
		p.objs, p.fields, p.after = nil, nil, nil
		if p.err != nil {
			p.written = 0
			continue
		}
		if p.rangeKey == "" && p.written > 0 {
			s.feed.publish(Change{Op: OpPage, Result: ApplyResult{Kind: p.kind, Verdict: VerdictApplied}})
		}
	}
}

// pageBudget is Options.PageBudget or ResidentBudget.
func (s *Store) pageBudget() int64 {
	if s.opts.PageBudget > 0 {
		return s.opts.PageBudget
	}
	return ResidentBudget
}

// txGrowthFloor is how much of the cache file a page transaction maps in
// before it may end early (a fortieth of the budget, 4.5 MB by default):
// below it the resident set is over the budget by the heap's doing, which
// no commit shrinks.
func (s *Store) txGrowthFloor() int64 { return s.pageBudget() / 40 }

// writePage writes p's objects from p.next on inside tx and, once all are
// in, its cursor: the kind's cursor (PutPage), or the range's cursor with
// the kind cursor's Fetched and StartedAt brought along (PutRangePage). It
// reports whether p is whole. After each object it asks stop (nil: never);
// true there ends the transaction early with p not whole, its cursor not
// yet moved: objects written without their cursor are written again,
// unchanged, by a resumed backfill.
func (s *Store) writePage(tx *bolt.Tx, p *pendingPage, stop func() bool) (bool, error) {
	if p.next == 0 {
		p.written = 0
	}
	if p.fieldErr != nil {
		return false, p.fieldErr
	}
	if p.after != nil && p.after.err != nil {
		return false, fmt.Errorf("page of %s after a page that failed: %w", p.kind, p.after.err)
	}
	for p.next < len(p.objs) {
		i := p.next
		ok, err := s.putFetchedFields(tx, p.fields[i], p.objs[i], p.fetchedAt)
		if err != nil {
			return false, fmt.Errorf("page of %s: %w", p.kind, err)
		}
		if ok {
			p.written++
		}
		p.next++
		if p.next < len(p.objs) && stop != nil && stop() {
			return false, nil
		}
	}
	meta := root(tx).Bucket(bucketMeta)
	cur := p.cur
	cur.UpdatedAt = s.now()
	kindKey := []byte(metaCursor + string(p.kind))
	if p.rangeKey == "" {
		return true, putJSON(meta, kindKey, cur)
	}
	if err := putJSON(meta, append(rangePrefix(p.kind), p.rangeKey...), cur); err != nil {
		return false, err
	}
	var total Cursor
	if err := getJSON(meta, kindKey, &total); err != nil {
		return false, err
	}
	total.Fetched += len(p.objs)
	if total.StartedAt == 0 {
		total.StartedAt = p.startedAt
	}
	total.UpdatedAt = cur.UpdatedAt
	return true, putJSON(meta, kindKey, total)
}
