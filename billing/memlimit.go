package billing

import (
	"os"
	"runtime/debug"
)

// SyncMemoryLimit is the soft limit (bytes) on the Go runtime's memory
// (heap, stacks, the collector's own) that `paydesk sync` runs under,
// unless GOMEMLIMIT sets one: the heap is then collected before it doubles
// (GOGC's default), which keeps it inside storage.ResidentBudget beside the
// cache file's mapped pages. A backfill's live heap (pages on their way
// and being written, a commit's nodes) stays well under it.
const SyncMemoryLimit = 112 << 20

// LimitMemoryForSync lowers the process's soft memory limit to
// SyncMemoryLimit for a sync (runtime/debug.SetMemoryLimit), unless the
// GOMEMLIMIT environment variable sets one or the limit is already lower,
// and returns the function that restores the previous limit.
func LimitMemoryForSync() (restore func()) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return func() {}
	}
	old := debug.SetMemoryLimit(-1)
	if old <= SyncMemoryLimit {
		return func() {}
	}
	debug.SetMemoryLimit(SyncMemoryLimit)
	return func() { debug.SetMemoryLimit(old) }
}
