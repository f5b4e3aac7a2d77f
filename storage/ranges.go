package storage

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// A large kind is backfilled as several `created` ranges walked side by
// side. Each range has its own Cursor under meta key "range/<kind>/<key>"
// (After, Done, Fetched and its CreatedGTE/CreatedLTE bounds), written in
// the same transaction as the range's pages, so an interrupted backfill
// resumes every range after its last page on disk. The kind's own Cursor
// (Store.Cursor) sums Fetched over its ranges and is marked Done by the
// caller once every range is.

func rangePrefix(kind Kind) []byte { return []byte(metaRange + string(kind) + "/") }

// PutRangePage writes one page of kind's range key and that range's cursor
// in a single transaction, and adds the objects to the kind cursor's
// Fetched (setting its StartedAt when zero to startedAt, unix seconds).
// Objects already written by a later event are left alone. It returns how
// many objects it wrote. Concurrent calls (and PutPage calls) share a
// transaction (see pagegroup.go).
func (s *Store) PutRangePage(kind Kind, key string, objs []json.RawMessage, fetchedAt, startedAt int64, cur Cursor) (int, error) {
	written, err := s.putPage(&pendingPage{kind: kind, rangeKey: key, objs: objs, fetchedAt: fetchedAt, startedAt: startedAt, cur: cur})
	if err != nil {
		return 0, fmt.Errorf("put range page: %w", err)
	}
	return written, nil
}

// PutRanges writes several range cursors of kind in one transaction (a
// range split in two: the narrowed range and the new one).
func (s *Store) PutRanges(kind Kind, ranges map[string]Cursor) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		meta := root(tx).Bucket(bucketMeta)
		for key, cur := range ranges {
			cur.UpdatedAt = s.now()
			if err := putJSON(meta, append(rangePrefix(kind), key...), cur); err != nil {
				return fmt.Errorf("put range %s/%s: %w", kind, key, err)
			}
		}
		return nil
	})
}

// Ranges returns kind's range cursors by key (empty when the kind was never
// walked in ranges).
func (s *Store) Ranges(kind Kind) (map[string]Cursor, error) {
	out := map[string]Cursor{}
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := rangePrefix(kind)
		c := root(tx).Bucket(bucketMeta).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var cur Cursor
			if err := json.Unmarshal(v, &cur); err != nil {
				return fmt.Errorf("decode range %s: %w", k, err)
			}
			out[string(k[len(prefix):])] = cur
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ranges of %s: %w", kind, err)
	}
	return out, nil
}

// deleteRanges forgets kind's range cursors (inside ResetCursors).
func deleteRanges(meta *bolt.Bucket, kind Kind) error {
	prefix := rangePrefix(kind)
	var keys [][]byte
	c := meta.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := meta.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
