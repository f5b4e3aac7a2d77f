package sandbox

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// TestSeedMillion checks the 1M-customer memory bound; opt in with
// SANDBOX_MILLION=1 (it takes tens of seconds).
func TestSeedMillion(t *testing.T) {
	if os.Getenv("SANDBOX_MILLION") == "" {
		t.Skip("set SANDBOX_MILLION=1 to seed a million customers")
	}
	start := time.Now()
	s, err := New(Options{Seed: 1, Customers: 1_000_000, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("seeded %d customers, %d subs, %d invoices, %d charges in %v; heap %d MB, sys %d MB",
		len(s.customers), len(s.subs), len(s.invoices), len(s.charges), time.Since(start), ms.HeapAlloc>>20, ms.Sys>>20)
	if ms.Sys > 3<<30 {
		t.Errorf("memory above 3 GB: %d MB", ms.Sys>>20)
	}
}
