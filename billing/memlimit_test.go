package billing

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestLimitMemoryForSync: a sync lowers the soft memory limit to
// SyncMemoryLimit and restores the one before; a lower limit is kept.
func TestLimitMemoryForSync(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "") // t.Setenv forbids t.Parallel: nothing else runs beside
	if err := os.Unsetenv("GOMEMLIMIT"); err != nil {
		t.Fatal(err)
	}
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)

	debug.SetMemoryLimit(1 << 40)
	restore := LimitMemoryForSync()
	if got := debug.SetMemoryLimit(-1); got != SyncMemoryLimit {
		t.Fatalf("limit during the sync %d, want %d", got, SyncMemoryLimit)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Fatalf("limit after the sync %d, want the one before", got)
	}

	debug.SetMemoryLimit(64 << 20)
	LimitMemoryForSync()()
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Fatalf("a lower limit became %d", got)
	}
}
