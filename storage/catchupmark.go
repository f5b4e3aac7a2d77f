package storage

import (
	bolt "go.etcd.io/bbolt"
)

// CatchUpMark returns where the Events-API catch-up resumes: the newest
// event such that it and every event Stripe lists before it have been
// applied. Only the catch-up path (and a backfill's start) moves it, never a
// webhook delivery, so a failed delivery of an older event is still fetched
// by catch-up after a newer one arrived. A cache written before this mark
// existed has no catchup_mark key: CatchUpMark then returns last_event, and
// the first event applied afterwards pins that value as the catch-up mark
// (see ApplyEvent), so webhooks do not move it from then on.
func (s *Store) CatchUpMark() (EventMark, error) {
	var m EventMark
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		m, _, err = catchUpMark(root(tx).Bucket(bucketMeta))
		return err
	})
	return m, err
}

// SetCatchUpMark moves the catch-up mark, only forward: a mark created
// before the current one (CatchUpMark, fallback included) is ignored.
func (s *Store) SetCatchUpMark(m EventMark) error {
	return s.update(func(tx *bolt.Tx) error {
		meta := root(tx).Bucket(bucketMeta)
		cur, _, err := catchUpMark(meta)
		if err != nil {
			return err
		}
		if m.Created < cur.Created {
			return nil
		}
		return putJSON(meta, metaCatchUp, m)
	})
}

// ResetCatchUpMark sets the catch-up mark to m even when m is older than the
// current one: for a backfill that starts from scratch (first run or full
// resync), whose mark may name an event Stripe no longer has or a time that
// is ahead of Stripe's clock.
func (s *Store) ResetCatchUpMark(m EventMark) error {
	return s.update(func(tx *bolt.Tx) error {
		return putJSON(root(tx).Bucket(bucketMeta), metaCatchUp, m)
	})
}

// catchUpMark reads the catch-up mark, falling back to last_event when the
// key is absent; stored reports whether the key exists.
func catchUpMark(meta *bolt.Bucket) (m EventMark, stored bool, err error) {
	key := metaCatchUp
	if meta.Get(metaCatchUp) == nil {
		key = metaLastEvent
	} else {
		stored = true
	}
	err = getJSON(meta, key, &m)
	return m, stored, err
}

// pinCatchUpMark stores the fallback catch-up mark (last_event, possibly
// none) as the catch-up mark when the key is absent, before an applied
// event moves last_event: from then on only the catch-up path moves it.
func pinCatchUpMark(meta *bolt.Bucket) error {
	m, stored, err := catchUpMark(meta)
	if err != nil || stored {
		return err
	}
	return putJSON(meta, metaCatchUp, m)
}
