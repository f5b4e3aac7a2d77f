package storage

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RangeIndex names the time-ordered index a Walk reads.
type RangeIndex int

const (
	// ByCreated walks idx/<kind>/created: every live object by created.
	ByCreated RangeIndex = iota
	// ByStatus walks idx/<kind>/status within Group (a status), by created.
	ByStatus
	// ByCustomer walks idx/<kind>/customer within Group (a customer id), by created.
	ByCustomer
	// ByStatusAt walks idx/<kind>/status_at within Group (a status), by the
	// time the object entered that status (Fields.StatusAt; objects whose
	// status time is unknown are not in this index).
	ByStatusAt
)

// Range selects the objects of one kind whose index time falls in
// [From, To) (unix seconds; To 0 means no upper bound), oldest first.
type Range struct {
	Kind  Kind
	By    RangeIndex
	Group string
	From  int64
	To    int64
	// ReleaseOver, when > 0, lets go of the cache file's mapped pages
	// during the walk whenever the resident set is over this many bytes
	// (see ReleaseMappedOver), so a walk over a whole large kind does not
	// map the kind into the resident set.
	ReleaseOver int64
}

// ErrStopWalk, returned by a Walk callback, ends the walk without error.
var ErrStopWalk = errors.New("stop walk")

// Walk calls fn for each object in r, oldest first, reading only the index
// keys inside the range (a seek to From, then a step per object). fn runs
// inside a read transaction: it must not call the Store, and the Envelope it
// gets is a copy it may keep.
func (s *Store) Walk(r Range, fn func(Envelope) error) error {
	if r.By != ByCreated && r.Group == "" {
		return fmt.Errorf("walk %s: index %d needs a group", r.Kind, r.By)
	}
	err := s.view(func(tx *bolt.Tx) error {
		set, err := kindOf(tx, r.Kind)
		if err != nil {
			return err
		}
		var b *bolt.Bucket
		var prefix []byte
		switch r.By {
		case ByCreated:
			b = set.created
		case ByStatus:
			b, prefix = set.status, groupPrefix(r.Group)
		case ByCustomer:
			b, prefix = set.customer, groupPrefix(r.Group)
		case ByStatusAt:
			b, prefix = set.statusAt, groupPrefix(r.Group)
		default:
			return fmt.Errorf("unknown index %d", r.By)
		}
		visit := fn
		if r.ReleaseOver > 0 {
			// A look after every object: each read of an object faults in
			// its pages with up to a large folio around each, so a few
			// hundred objects can map in hundreds of megabytes.
			visit = func(e Envelope) error {
				if s.overBudget(r.ReleaseOver) {
					// Not inside a backfill page transaction: it would
					// fault all it let go of in again at commit. The
					// walk waits for the gap after it (50 ms at most).
					for i := 0; i < 500 && s.committing.Load(); i++ {
						time.Sleep(100 * time.Microsecond)
					}
					if err := s.releaseIn(tx); err != nil {
						return fmt.Errorf("release mapped cache pages: %w", err)
					}
				}
				return fn(e)
			}
		}
		return walkRange(set, b, prefix, r.From, r.To, visit)
	})
	if errors.Is(err, ErrStopWalk) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("walk %s: %w", r.Kind, err)
	}
	return nil
}

// walkRange visits keys prefix | be64(t) | id with From <= t < To.
func walkRange(set *kindBucketSet, b *bolt.Bucket, prefix []byte, from, to int64, fn func(Envelope) error) error {
	start := append(append([]byte(nil), prefix...), timeKey(from)...)
	var end []byte
	if to != 0 {
		end = append(append([]byte(nil), prefix...), timeKey(to)...)
	}
	c := b.Cursor()
	for k, _ := c.Seek(start); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) < len(prefix)+8 {
			continue // not a key of this layout; never fail a walk on it
		}
		if end != nil && string(k[:len(end)]) >= string(end) {
			break
		}
		id := string(k[len(prefix)+8:])
		v := set.objects.Get([]byte(id))
		if v == nil {
			continue
		}
		env, err := decodeEnvelope(v)
		if err != nil {
			return fmt.Errorf("object %s: %w", id, err)
		}
		if err := fn(env); err != nil {
			return err
		}
	}
	return nil
}
