package storage

import (
	"fmt"

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

// ReleaseMappedOver calls ReleaseMapped when the file-backed memory
// resident in this process (the cache file's mapped pages, and the
// program's own) grew by more than limit bytes since the last release (or
// the first call), or cannot be read. Releasing costs the next reads a
// page fault for every page they touch, so a backfill releases only once
// the mapping has grown, not after every page.
func (s *Store) ReleaseMappedOver(limit int64) error {
	if !s.mappedGrown(limit) {
		return nil
	}
	err := s.db.View(func(tx *bolt.Tx) error { return s.releaseIn(tx) })
	if err != nil {
		return fmt.Errorf("release mapped cache pages: %w", err)
	}
	return nil
}

// mappedGrown reports whether the file-backed resident set grew by more
// than limit bytes since the last release (the first call only records
// where it starts).
func (s *Store) mappedGrown(limit int64) bool {
	n := fileResident()
	if n < 0 {
		return true
	}
	if s.releasedAt.CompareAndSwap(0, max(n, 1)) {
		return false
	}
	return n-s.releasedAt.Load() > limit
}

// releaseIn releases the mapping inside tx (which keeps bbolt from moving
// it) and records the resident set left.
func (s *Store) releaseIn(tx *bolt.Tx) error {
	if err := releaseMapped(s.db.Info().Data, tx.Size()); err != nil {
		return err
	}
	if n := fileResident(); n >= 0 {
		s.releasedAt.Store(max(n, 1))
	}
	return nil
}

// MappedBudget is how much the cache file's mapped pages may grow (bytes)
// while backfill pages are written, or a long walk runs, before they are
// let go of: inserts land all over the file's indexes and the kernel maps
// neighbouring pages in with each one, so without a release the resident
// set grows with the file; releasing after every page instead costs every
// later write a fault per page it touches.
const MappedBudget = 64 << 20

// releaseGrown releases the mapping inside a backfill write transaction
// once it grew past MappedBudget. The transaction's nodes read the mapping
// and fault the pages back in; nothing is lost. A failed release only
// leaves the pages resident, so it is not the write's error.
func (s *Store) releaseGrown(tx *bolt.Tx) {
	if s.mappedGrown(MappedBudget) {
		_ = s.releaseIn(tx)
	}
}
