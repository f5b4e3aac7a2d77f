package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// StatsQuery picks the deliveries DeliveryStats summarises: the newest ones,
// at most Last of them (0: no count limit) and none older than Since (zero:
// no time limit). At least one limit must be set.
type StatsQuery struct {
	Last  int
	Since time.Time
	// Now ends the per-minute series; Minutes is its length (0: no series).
	Now     time.Time
	Minutes int
}

// DeliveryStats summarises a sample of the delivery log.
type DeliveryStats struct {
	// Count is the sample size; Verdicts splits it by verdict.
	Count    int
	Verdicts map[Verdict]int
	// Rejects counts rejected deliveries by reason code (the reason's text
	// before its first colon: "bad_signature", "stale_timestamp", ...).
	Rejects map[string]int
	// PerMinute counts the sample's deliveries per minute, oldest first; the
	// last bucket is the minute ending at Now.
	PerMinute []int
	// P50 and P99 are latency percentiles (nearest rank) over the sample.
	P50, P99 time.Duration
	// Last is when the newest delivery of the whole log arrived (zero: empty log).
	Last time.Time
	// Sources counts the sample by Delivery.Source ("webhook", "catch-up",
	// "replay"); LastBySource is the newest arrival of each source in the
	// sample. Catch-up traffic without webhooks means Stripe has events the
	// endpoint is not receiving.
	Sources      map[string]int
	LastBySource map[string]time.Time
}

// DeliveryStats walks the delivery log from the newest receipt back to the
// sample's limits and summarises it.
func (s *Store) DeliveryStats(q StatsQuery) (DeliveryStats, error) {
	if q.Last <= 0 && q.Since.IsZero() {
		return DeliveryStats{}, fmt.Errorf("delivery stats: set Last or Since")
	}
	st := DeliveryStats{Verdicts: map[Verdict]int{}, Rejects: map[string]int{}, Sources: map[string]int{}, LastBySource: map[string]time.Time{}}
	if q.Minutes > 0 {
		st.PerMinute = make([]int, q.Minutes)
	}
	since := q.Since.UnixNano()
	var lat []int64
	err := s.view(func(tx *bolt.Tx) error {
		c := root(tx).Bucket(bucketDeliveries).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			if q.Last > 0 && st.Count == q.Last {
				break
			}
			var d Delivery
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery log: %w", err)
			}
			if st.Last.IsZero() {
				st.Last = time.Unix(0, d.At)
			}
			if !q.Since.IsZero() && d.At < since {
				break
			}
			st.Count++
			st.Verdicts[d.Verdict]++
			st.Sources[d.Source]++
			if _, ok := st.LastBySource[d.Source]; !ok {
				st.LastBySource[d.Source] = time.Unix(0, d.At) // newest first: the first seen is the newest
			}
			if d.Verdict == VerdictRejected {
				code, _, _ := strings.Cut(d.Reason, ":")
				st.Rejects[strings.TrimSpace(code)]++
			}
			lat = append(lat, d.LatencyUS)
			if q.Minutes > 0 {
				ago := q.Now.Sub(time.Unix(0, d.At))
				if i := q.Minutes - 1 - int(ago/time.Minute); ago >= 0 && i >= 0 {
					st.PerMinute[i]++
				}
			}
		}
		return nil
	})
	if err != nil {
		return DeliveryStats{}, fmt.Errorf("delivery stats: %w", err)
	}
	slices.Sort(lat)
	st.P50 = percentile(lat, 50)
	st.P99 = percentile(lat, 99)
	return st, nil
}

// percentile is the nearest-rank percentile of sorted latencies (µs).
func percentile(sorted []int64, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 x n)
	return time.Duration(sorted[max(rank, 1)-1]) * time.Microsecond
}
