package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Cursor is the resumable position of a kind's backfill.
type Cursor struct {
	// After is the id of the last object written; the next page starts after it.
	After string `json:"after,omitempty"`
	// Done is set once the last page was written.
	Done bool `json:"done,omitempty"`
	// Fetched counts the objects written by this backfill so far.
	Fetched int `json:"fetched"`
	// StartedAt and UpdatedAt are unix seconds.
	StartedAt int64 `json:"started_at,omitempty"`
	UpdatedAt int64 `json:"updated_at,omitempty"`
	// CreatedGTE and CreatedLTE bound a range cursor (see PutRangePage) by
	// the objects' created time, unix seconds, both inclusive; 0 means
	// unbounded on that side.
	CreatedGTE int64 `json:"created_gte,omitempty"`
	CreatedLTE int64 `json:"created_lte,omitempty"`
}

// PutPage writes one backfill page and the cursor after it in a single
// transaction, so an interrupted backfill resumes exactly after the last
// page that reached the disk. Objects already written by a later event are
// left alone. It returns how many objects it wrote; a page that wrote any
// is announced (OpPage). Concurrent calls share a transaction (see
// pagegroup.go).
func (s *Store) PutPage(kind Kind, objs []json.RawMessage, fetchedAt int64, cur Cursor) (int, error) {
	written, err := s.putPage(&pendingPage{kind: kind, objs: objs, fetchedAt: fetchedAt, cur: cur})
	if err != nil {
		return 0, fmt.Errorf("put page: %w", err)
	}
	return written, nil
}

// Cursor returns the stored backfill cursor of kind (zero when none).
func (s *Store) Cursor(kind Kind) (Cursor, error) {
	var c Cursor
	err := s.view(func(tx *bolt.Tx) error {
		return getJSON(root(tx).Bucket(bucketMeta), []byte(metaCursor+string(kind)), &c)
	})
	return c, err
}

// SetCursor overwrites kind's backfill cursor (used to mark a kind done
// when it has no list endpoint, or to restart it).
func (s *Store) SetCursor(kind Kind, c Cursor) error {
	return s.update(func(tx *bolt.Tx) error {
		return putJSON(root(tx).Bucket(bucketMeta), []byte(metaCursor+string(kind)), c)
	})
}

// ResetCursors forgets every backfill position, for a full resync.
func (s *Store) ResetCursors() error {
	return s.update(func(tx *bolt.Tx) error {
		meta := root(tx).Bucket(bucketMeta)
		for _, k := range Kinds {
			if err := meta.Delete([]byte(metaCursor + string(k))); err != nil {
				return fmt.Errorf("reset cursor %s: %w", k, err)
			}
			if err := deleteRanges(meta, k); err != nil {
				return fmt.Errorf("reset cursor %s: %w", k, err)
			}
		}
		return nil
	})
}

// Account is what the cache knows of the Stripe account it mirrors.
type Account struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Mode        string `json:"mode"` // live, test or demo
	Currency    string `json:"currency,omitempty"`
	LastSyncAt  int64  `json:"last_sync_at,omitempty"`
	BackfillEnd int64  `json:"backfill_end,omitempty"`
}

// SetAccount records the account this cache mirrors.
func (s *Store) SetAccount(a Account) error {
	return s.update(func(tx *bolt.Tx) error {
		return putJSON(root(tx).Bucket(bucketMeta), metaAccount, a)
	})
}

// Account returns the recorded account (zero when never synced).
func (s *Store) Account() (Account, error) {
	var a Account
	err := s.view(func(tx *bolt.Tx) error {
		return getJSON(root(tx).Bucket(bucketMeta), metaAccount, &a)
	})
	return a, err
}

// EventMark names an event by id and created time: the newest event the
// cache has applied (LastEvent), or where the Events-API catch-up resumes
// (CatchUpMark).
type EventMark struct {
	ID      string `json:"id"`
	Created int64  `json:"created"`
}

// LastEvent returns the newest event applied from any source (webhook or
// catch-up), the cache's freshness for screens. It is not where catch-up
// resumes: see CatchUpMark.
func (s *Store) LastEvent() (EventMark, error) {
	var m EventMark
	err := s.view(func(tx *bolt.Tx) error {
		return getJSON(root(tx).Bucket(bucketMeta), metaLastEvent, &m)
	})
	return m, err
}

// SetLastEvent moves the newest-applied-event mark (only forward).
func (s *Store) SetLastEvent(m EventMark) error {
	return s.update(func(tx *bolt.Tx) error {
		return advanceLastEvent(root(tx).Bucket(bucketMeta), m)
	})
}

func advanceLastEvent(meta *bolt.Bucket, m EventMark) error {
	var cur EventMark
	if err := getJSON(meta, metaLastEvent, &cur); err != nil {
		return err
	}
	if m.Created < cur.Created {
		return nil
	}
	return putJSON(meta, metaLastEvent, m)
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	if err := b.Put(key, data); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

func getJSON(b *bolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	return nil
}
