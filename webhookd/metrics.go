package webhookd

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// applyBuckets are the upper bounds (seconds) of the apply latency histogram:
// receive to durable commit.
var applyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// metrics holds the counters /metrics exposes, written by hand in the
// Prometheus text format (no client library).
type metrics struct {
	mu        sync.Mutex
	accepted  map[[2]string]uint64 // source, verdict
	duplicate map[string]uint64    // source
	rejected  map[string]uint64    // code
	buckets   []uint64             // cumulative counts per applyBuckets, +Inf last
	sum       float64
	count     uint64
	lastEvent time.Time // arrival of the newest accepted delivery
}

func newMetrics() *metrics {
	return &metrics{
		accepted:  map[[2]string]uint64{},
		duplicate: map[string]uint64{},
		rejected:  map[string]uint64{},
		buckets:   make([]uint64, len(applyBuckets)+1),
	}
}

func (m *metrics) observeAccepted(source, verdict string, at time.Time, latency time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if verdict == "duplicate" {
		m.duplicate[source]++
	} else {
		m.accepted[[2]string{source, verdict}]++
	}
	if at.After(m.lastEvent) {
		m.lastEvent = at
	}
	sec := latency.Seconds()
	for i, ub := range applyBuckets {
		if sec <= ub {
			m.buckets[i]++
		}
	}
	m.buckets[len(applyBuckets)]++
	m.sum += sec
	m.count++
}

func (m *metrics) observeRejected(code string) {
	m.mu.Lock()
	m.rejected[code]++
	m.mu.Unlock()
}

// write renders every series; now dates the last-event age, busDropped and
// subscribers come from the store's change feed.
func (m *metrics) write(w io.Writer, now time.Time, busDropped uint64, subscribers int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	header := func(name, typ, help string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}
	header("paydesk_webhook_accepted_total", "counter", "Verified events committed to the cache (2xx), by source and verdict.")
	for _, k := range slices.SortedFunc(maps.Keys(m.accepted), func(a, b [2]string) int {
		return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1])
	}) {
		fmt.Fprintf(&b, "paydesk_webhook_accepted_total{source=%q,verdict=%q} %d\n", k[0], k[1], m.accepted[k])
	}
	header("paydesk_webhook_duplicate_total", "counter", "Verified events already in the cache (2xx, nothing changed), by source.")
	for _, k := range slices.Sorted(maps.Keys(m.duplicate)) {
		fmt.Fprintf(&b, "paydesk_webhook_duplicate_total{source=%q} %d\n", k, m.duplicate[k])
	}
	header("paydesk_webhook_rejected_total", "counter", "Requests refused, by reason code; nothing was applied.")
	for _, k := range slices.Sorted(maps.Keys(m.rejected)) {
		fmt.Fprintf(&b, "paydesk_webhook_rejected_total{reason=%q} %d\n", k, m.rejected[k])
	}
	header("paydesk_webhook_apply_seconds", "histogram", "Receive to durable commit of accepted and duplicate events.")
	for i, ub := range applyBuckets {
		fmt.Fprintf(&b, "paydesk_webhook_apply_seconds_bucket{le=\"%g\"} %d\n", ub, m.buckets[i])
	}
	fmt.Fprintf(&b, "paydesk_webhook_apply_seconds_bucket{le=\"+Inf\"} %d\n", m.buckets[len(applyBuckets)])
	fmt.Fprintf(&b, "paydesk_webhook_apply_seconds_sum %g\n", m.sum)
	fmt.Fprintf(&b, "paydesk_webhook_apply_seconds_count %d\n", m.count)
	header("paydesk_webhook_last_event_age_seconds", "gauge", "Seconds since the newest accepted event arrived (-1: none yet).")
	age := -1.0
	if !m.lastEvent.IsZero() {
		age = max(now.Sub(m.lastEvent).Seconds(), 0)
	}
	fmt.Fprintf(&b, "paydesk_webhook_last_event_age_seconds %g\n", age)
	header("paydesk_bus_dropped_total", "counter", "Change-feed notices lost to full subscriber queues.")
	fmt.Fprintf(&b, "paydesk_bus_dropped_total %d\n", busDropped)
	header("paydesk_bus_subscribers", "gauge", "Change-feed subscribers (open screens, refreshers).")
	fmt.Fprintf(&b, "paydesk_bus_subscribers %d\n", subscribers)
	_, err := io.WriteString(w, b.String())
	return err
}
