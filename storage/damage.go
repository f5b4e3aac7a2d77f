package storage

import (
	"errors"
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// ErrDamaged is returned (wrapped in a *DamagedError) when the cache file
// is corrupt: a page that is not what the file's tree says it is, a file
// cut short, bytes bbolt cannot read. Nothing was written by the operation
// that found it.
var ErrDamaged = errors.New("cache file is damaged")

// DamagedError says which file is damaged, what was found, and what to do.
type DamagedError struct {
	Path   string
	Detail string // what bbolt found, e.g. "page 7: invalid type"
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("%s %s (%s): move it aside (mv %s %s.damaged) and run `paydesk sync` to rebuild it from Stripe",
		ErrDamaged, e.Path, e.Detail, e.Path, e.Path)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// IsDamaged reports whether err says the cache file is damaged.
func IsDamaged(err error) bool { return errors.Is(err, ErrDamaged) }

// guard runs fn, turning a panic or a memory fault inside bbolt (its
// answer to a corrupt page or a file cut short) into a *DamagedError for
// path. bbolt rolls the transaction back before the panic reaches here, so
// nothing is written half.
func guard(path string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if p := recover(); p != nil {
			err = &DamagedError{Path: path, Detail: fmt.Sprint(p)}
		}
	}()
	err = fn()
	if err != nil && fmt.Sprintf("%T", err) == "bbolt.panicked" {
		// Batch recovers the panic of a batched function itself.
		return &DamagedError{Path: path, Detail: err.Error()}
	}
	return err
}

// view, update and batch are the only ways the Store enters bbolt.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	return guard(s.path, func() error { return s.db.View(fn) })
}

func (s *Store) update(fn func(*bolt.Tx) error) error {
	var fnErr error
	err := guard(s.path, func() error {
		return s.db.Update(func(tx *bolt.Tx) error { fnErr = fn(tx); return fnErr })
	})
	s.health.record(err, fnErr)
	return err
}

func (s *Store) batch(fn func(*bolt.Tx) error) error {
	var fnErr error
	err := guard(s.path, func() error {
		return s.db.Batch(func(tx *bolt.Tx) error { fnErr = fn(tx); return fnErr })
	})
	s.health.record(err, fnErr)
	return err
}

// verify reads every page the file's tree reaches (every bucket, nested
// ones too, every key) in this goroutine, so that a corrupt page shows up
// here as a *DamagedError instead of in a later read, or in a goroutine of
// bbolt's own where nothing can catch it.
func verify(path string, db *bolt.DB) error {
	return guard(path, func() error {
		return db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
				walkBucket(b, 0)
				return nil
			})
		})
	})
}

func walkBucket(b *bolt.Bucket, depth int) {
	if depth > 16 {
		panic("buckets nested deeper than the schema has")
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				walkBucket(nb, depth+1)
			}
		}
	}
}
