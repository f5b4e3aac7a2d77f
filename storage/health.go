package storage

import (
	"sync"
	"time"
)

// writeHealth remembers whether the last write transaction committed.
type writeHealth struct {
	mu    sync.Mutex
	err   error
	since time.Time
}

// record notes a write's outcome: err is what the transaction returned,
// fnErr what the write function itself returned (a refusal of the input,
// e.g. a malformed event, which says nothing about the file). A failure to
// commit — full disk, read-only file, damaged page — marks the store
// unhealthy until a write commits again.
func (h *writeHealth) record(err, fnErr error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case err == nil:
		h.err, h.since = nil, time.Time{}
	case fnErr == nil || IsDamaged(err):
		if h.err == nil {
			h.since = time.Now()
		}
		h.err = err
	}
}

// WriteFailure says since when writes fail and the last write's error,
// when the last write transaction failed to commit (the file cannot be
// written: disk full, read-only file, damaged page); a nil error once a
// write commits again. webhookd's /healthz answers 503 with it.
func (s *Store) WriteFailure() (time.Time, error) {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	return s.health.since, s.health.err
}
