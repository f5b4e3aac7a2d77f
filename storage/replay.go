package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ReplayEvent applies a stored event's object again, for an operator who
// wants the cache to take a delivery once more (the webhook inspector's
// replay). ApplyEvent cannot do it: the event id is already recorded, so it
// would answer duplicate. The ordering rule still holds: a cache holding a
// newer copy answers older and keeps it; a copy from the same second (most
// often the one this event wrote) is written again and marked stale so that
// billing refetches it; an older or missing copy is replaced (applied). The
// event store and the event log are not touched; the receipt d (nil: none)
// is appended to the delivery log in the same transaction, with its Seq,
// and the replay is announced on the feed (OpEvent).
func (s *Store) ReplayEvent(id string, d *Delivery) (ApplyResult, error) {
	raw, err := s.Event(id)
	if err != nil {
		return ApplyResult{}, fmt.Errorf("replay: %w", err)
	}
	head, obj, prev, err := parseEvent(raw)
	if err != nil {
		return head, fmt.Errorf("replay %s: %w", id, err)
	}
	res, err := s.writeApplied(d, func(tx *bolt.Tx) (ApplyResult, error) {
		res := head
		if res.Thin || res.Account != "" {
			res.Verdict, res.Reason = VerdictRecorded, thinReason
			if res.Account != "" {
				res.Reason = connectReason(res.Account)
			}
			return res, nil
		}
		f, ferr := ExtractFields(obj)
		if ferr != nil || !f.Kind.Cached() {
			res.Verdict, res.Reason = VerdictRecorded, "event carries no cached object"
			return res, nil
		}
		res.Kind, res.ObjectID, res.Customer = f.Kind, f.ID, f.Customer
		if err := s.applyObject(tx, f, obj, &res); err != nil {
			return res, err
		}
		return res, markIfBalanceMoved(root(tx), &res, f, prev)
	})
	if err != nil {
		return res, fmt.Errorf("replay %s: %w", id, err)
	}
	s.announceEvent(res, d)
	return res, nil
}
