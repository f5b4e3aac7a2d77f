package webhookd

import (
	"time"

	"github.com/paydesk/paydesk/storage"
)

// BatchDelay is the db.Batch delay webhookd is tuned for. Measured on a
// 2-core VM with 16 loopback senders of 2 KB events (BenchmarkIngest):
// no batching ~840 events/s (one fsync each); 1 ms ~3,400/s; 2 ms
// ~2,850/s with p99 ~9-14 ms at a paced 500/s and 0.6 of raw batched bbolt
// inserts; bbolt's 10 ms default ~1,160/s with p50 10 ms at 500/s.
const BatchDelay = 2 * time.Millisecond

// StoreOptions returns o set up for concurrent webhook writers: Batch on
// and BatchDelay (when o has none). main.go opens the cache with it.
func StoreOptions(o storage.Options) storage.Options {
	o.Batch = true
	if o.BatchDelay <= 0 {
		o.BatchDelay = BatchDelay
	}
	return o
}
