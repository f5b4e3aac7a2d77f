package storage

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// DeliveryFilter narrows the delivery log. Zero fields match everything.
type DeliveryFilter struct {
	// Type is a path.Match glob over the event type ("invoice.*").
	Type string
	// Verdict keeps one verdict ("rejected", "applied", ...).
	Verdict Verdict
	// ObjectID keeps deliveries of one Stripe object.
	ObjectID string
}

// Validate checks the type glob.
func (f DeliveryFilter) Validate() error {
	if f.Verdict != "" && !slices.Contains(Verdicts, f.Verdict) {
		return fmt.Errorf("verdict filter %q: want one of %v", f.Verdict, Verdicts)
	}
	if f.Type == "" {
		return nil
	}
	if _, err := path.Match(f.Type, ""); err != nil {
		return fmt.Errorf("type filter %q: %w", f.Type, err)
	}
	return nil
}

// Match reports whether d passes the filter (a bad glob matches nothing).
func (f DeliveryFilter) Match(d Delivery) bool {
	if f.Verdict != "" && d.Verdict != f.Verdict {
		return false
	}
	if f.ObjectID != "" && d.ObjectID != f.ObjectID {
		return false
	}
	if f.Type != "" {
		ok, err := path.Match(f.Type, d.Type)
		return ok && err == nil
	}
	return true
}

// IsZero reports whether the filter matches everything.
func (f DeliveryFilter) IsZero() bool { return f == DeliveryFilter{} }

// DeliveryQuery asks for one page of the delivery log, newest first.
type DeliveryQuery struct {
	DeliveryFilter
	// Before continues below a page's Next seq (0: from the newest).
	Before uint64
	Limit  int
	// MaxVisit bounds the receipts read for one page (default 200 x Limit):
	// the log has no secondary index, so a rare filter pays by the receipts
	// it skips and resumes from Next.
	MaxVisit int
}

// DeliveryPage is one page of the delivery log.
type DeliveryPage struct {
	Items []Delivery
	// Next is the Before of the following (older) page; 0 at the end.
	Next uint64
	// Visited counts receipts read; Truncated says MaxVisit stopped the walk.
	Visited   int
	Truncated bool
}

// QueryDeliveries returns one filtered page of the delivery log, newest first.
func (s *Store) QueryDeliveries(q DeliveryQuery) (DeliveryPage, error) {
	if err := q.Validate(); err != nil {
		return DeliveryPage{}, fmt.Errorf("query deliveries: %w", err)
	}
	if q.Limit <= 0 {
		q.Limit = defaultLimit
	}
	if q.MaxVisit <= 0 {
		q.MaxVisit = 200 * q.Limit
	}
	var page DeliveryPage
	err := s.view(func(tx *bolt.Tx) error {
		c := root(tx).Bucket(bucketDeliveries).Cursor()
		k, v := seekBefore(c, q.Before)
		var last uint64
		for ; k != nil; k, v = c.Prev() {
			if len(page.Items) == q.Limit {
				break
			}
			if page.Visited == q.MaxVisit {
				page.Truncated = true
				break
			}
			page.Visited++
			var d Delivery
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery log: %w", err)
			}
			last = d.Seq
			if q.Match(d) {
				page.Items = append(page.Items, d)
			}
		}
		if k != nil { // stopped with older receipts left
			page.Next = last
		}
		return nil
	})
	if err != nil {
		return DeliveryPage{}, fmt.Errorf("query deliveries: %w", err)
	}
	return page, nil
}
