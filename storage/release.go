package storage

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ReleaseMapped tells the kernel this process no longer needs the cache
// file's pages it has mapped in (bbolt reads the file through a read-only
// shared mapping): they stay in the page cache and are mapped again by the
// next read that touches them. A long backfill calls it now and then so its
// resident set does not grow with the file. It runs inside a read
// transaction, which keeps bbolt from moving the mapping meanwhile; other
// readers and the writer (which writes with pwrite, not through the
// mapping) are unaffected. It does nothing where the platform has no
// madvise.
func (s *Store) ReleaseMapped() error {
	err := s.db.View(func(tx *bolt.Tx) error {
		return releaseMapped(s.db.Info().Data, tx.Size())
	})
	if err != nil {
		return fmt.Errorf("release mapped cache pages: %w", err)
	}
	return nil
}

// ReleaseMappedOver calls ReleaseMapped when this process's resident set
// (heap, stacks and the cache file's pages bbolt has mapped in, together)
// is over budget bytes and the mapped pages grew by more than budget/8
// since the last release: below that the resident set is the heap's, which
// no release shrinks, and releasing would only cost the next reads a page
// fault for every page they touch. So a cache that fits the budget is
// never released, and one that does not is released only as often as it
// must be. It does nothing where the resident set cannot be read.
func (s *Store) ReleaseMappedOver(budget int64) error {
	if s.committing.Load() || !s.overBudget(budget) {
		return nil // a page commit lets go after it ends (commitPages)
	}
	err := s.db.View(func(tx *bolt.Tx) error { return s.releaseIn(tx) })
	if err != nil {
		return fmt.Errorf("release mapped cache pages: %w", err)
	}
	return nil
}

// KeepResidentUnder looks at the resident set every interval until ctx
// ends and releases the cache file's mapped pages whenever it is over
// budget (see ReleaseMappedOver). A backfill runs it beside its own looks
// (after every object it writes or walks) so that what maps pages in
// elsewhere (a list of customers read for their balances, a commit that
// reads a node's neighbours) is released within one interval too.
func (s *Store) KeepResidentUnder(ctx context.Context, budget int64, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		_ = s.ReleaseMappedOver(budget) // a failed release only leaves pages resident
	}
}

// overBudget reports whether the resident set is over budget with enough
// of it in mapped cache pages to be worth a release (see
// ReleaseMappedOver). The first call records the mapped pages it finds as
// the floor.
func (s *Store) overBudget(budget int64) bool {
	total, file := resident()
	if total < 0 {
		return false
	}
	s.releasedAt.CompareAndSwap(0, max(file, 1))
	return total > budget && file-s.releasedAt.Load() > budget/8
}

// releaseIn releases the mapping inside tx (which keeps bbolt from moving
// it) and records the resident set left.
func (s *Store) releaseIn(tx *bolt.Tx) error {
	if err := releaseMapped(s.db.Info().Data, tx.Size()); err != nil {
		return err
	}
	if _, file := resident(); file >= 0 {
		s.releasedAt.Store(max(file, 1))
	}
	return nil
}

// ResidentBudget is the resident set (bytes) a backfill, and each long
// walk it makes, keeps under by releasing the cache file's mapped pages
// (see ReleaseMappedOver). Every page bbolt touches maps in its neighbours
// too (the kernel's fault-around, 64 KB, and whole large folios of the
// file's cache), so the mapped pages of a random-access writer grow many
// times faster than the pages it reads; below the budget they are left
// alone, since each release costs every later write a fault per page it
// touches again. The sync's target is 300 MB: the rest is headroom for a
// commit's peak and for what one object maps in between two looks; the
// Go runtime's own part is held to billing.SyncMemoryLimit.
const ResidentBudget = 180 << 20
