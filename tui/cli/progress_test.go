package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
)

// TestProgressLine: on a terminal the live line shows the rows of the run,
// the rate, the requests in flight and the time left ("--" while unknown);
// a finished kind gets its own line.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, true, []storage.Kind{storage.KindCustomer, storage.KindInvoice})
	p.Update(billing.Progress{Kind: storage.KindInvoice, Pages: 1, Fetched: 100, Total: 100, Elapsed: 2 * time.Second, RowsPerSec: 50, InFlight: 9})
	first := buf.String()
	for _, want := range []string{"0/2 kinds", "100 rows", "50 rows/s", "  9 in flight", "ETA --", " 2s"} {
		if !strings.Contains(first, want) {
			t.Fatalf("line %q lacks %q", first, want)
		}
	}
	buf.Reset()
	p.Update(billing.Progress{Kind: storage.KindCustomer, Pages: 3, Fetched: 250, Total: 350, Elapsed: 5 * time.Second,
		RowsPerSec: 70, InFlight: 12, ETA: 65 * time.Second, Done: true})
	out := buf.String()
	for _, want := range []string{"1/2 kinds", "350 rows", "70 rows/s", " 12 in flight", "ETA 1m5s", "✓ customer", "250 rows"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output %q lacks %q", out, want)
		}
	}
	// In a pipe only finished kinds are printed.
	buf.Reset()
	pipe := NewProgress(&buf, false, []storage.Kind{storage.KindCustomer})
	pipe.Update(billing.Progress{Kind: storage.KindCustomer, Total: 10, InFlight: 3})
	if buf.Len() != 0 {
		t.Fatalf("a pipe got a live line: %q", buf.String())
	}
}
