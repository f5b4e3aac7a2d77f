package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// EventBefore returns the event of the object id (any kind, customers too:
// only events whose data.object is that object, never its invoices' or
// charges') that precedes eventID in the event log, and whether there is one.
//
// "Precedes" is Stripe's order: the event's created (seconds, UTC), then, for
// events of the same second, the order paydesk logged them (seq). The index
// sorts one second's events by event id, which says nothing about their
// order, so the whole second is read before choosing. Every verdict counts:
// the diff shows the object as each event carried it, applied or not.
// Errors: ErrNotFound when eventID is not in the object's event index
// (trimmed, or not an event of that object); storage errors wrapped.
func (s *Store) EventBefore(id, eventID string) (EventSummary, bool, error) {
	var sums []EventSummary
	err := s.view(func(tx *bolt.Tx) error {
		r := root(tx)
		b := r.Bucket(bucketIdx).Bucket(idxEventsKind).Bucket(idxEventsObject)
		log := r.Bucket(bucketEventLog)
		prefix := groupPrefix(id)
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, v = c.Next() {
			var sum EventSummary
			if err := getJSON(log, v, &sum); err != nil {
				return err
			}
			if sum.ID != "" {
				sums = append(sums, sum)
			}
		}
		return nil
	})
	if err != nil {
		return EventSummary{}, false, fmt.Errorf("events of %s: %w", id, err)
	}
	at := -1
	for i, e := range sums {
		if e.ID == eventID {
			at = i
			break
		}
	}
	if at < 0 {
		return EventSummary{}, false, fmt.Errorf("event %s is not in %s's event index: %w", eventID, id, ErrNotFound)
	}
	target := sums[at]
	var best EventSummary
	found := false
	for _, e := range sums {
		if e.ID != target.ID && logOrderLess(e, target) && (!found || logOrderLess(best, e)) {
			best, found = e, true
		}
	}
	return best, found, nil
}

// logOrderLess orders events by created, then by log sequence.
func logOrderLess(a, b EventSummary) bool {
	if a.Created != b.Created {
		return a.Created < b.Created
	}
	return a.Seq < b.Seq
}
