package storage

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

func hasPrefix(k, prefix []byte) bool { return bytes.HasPrefix(k, prefix) }

// seekLastWithPrefix positions c on the last key that starts with prefix.
func seekLastWithPrefix(c *bolt.Cursor, prefix []byte) ([]byte, []byte) {
	end := prefixEnd(prefix)
	var k, v []byte
	if end == nil {
		k, v = c.Last()
	} else if k, v = c.Seek(end); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return nil, nil
	}
	return k, v
}

// prefixEnd is the smallest key greater than every key with prefix (nil: none).
func prefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// seekBefore positions c on the last seq-keyed row before seq (0: the last row).
func seekBefore(c *bolt.Cursor, seq uint64) ([]byte, []byte) {
	if seq == 0 {
		return c.Last()
	}
	if k, _ := c.Seek(be64(seq)); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// write runs fn in a read-write transaction; with Options.Batch concurrent
// writers share one fsync (fn may then run twice and must be idempotent).
func (s *Store) write(fn func(*bolt.Tx) error) error {
	if s.opts.Batch {
		return s.batch(fn)
	}
	return s.update(fn)
}
