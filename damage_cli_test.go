package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage/damage"
)

// TestDamagedCacheNeverPanics runs ls, get, events and events --follow on
// every page-header byte flip and several truncations of a small cache.
// A panic anywhere fails the whole test binary; each command either works
// (the damage is on a page it never needs) or exits 1 with an error, and
// an error about damage says what to do.
func TestDamagedCacheNeverPanics(t *testing.T) {
	testclock.DateFree(t)
	clearEnv(t)
	clean, err := damage.SmallCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	variants := append(damage.Flips(clean), damage.Truncations(clean)...)
	dir := t.TempDir()
	db := filepath.Join(dir, "damaged.db")
	t.Setenv("PAYDESK_DB", db)
	commands := [][]string{{"ls", "customers"}, {"ls", "invoices", "--json"}, {"get", "cus_3"}, {"events"}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // --follow prints its backlog, then stops with the context
	runs, refused := 0, 0
	for _, v := range variants {
		// The read commands leave the file as it is; --follow (which owns
		// the cache and may write) runs last.
		if err := os.WriteFile(db, v.Bytes, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range append(commands, []string{"events", "--follow", "--webhook-addr", "127.0.0.1:0"}) {
			var out, errOut strings.Builder
			code := runContext(ctx, args, &out, &errOut)
			runs++
			switch {
			case code == 0:
			case code != 1 || errOut.Len() == 0:
				t.Errorf("%s: %v: exit %d %q", v.Name, args, code, errOut.String())
			case strings.Contains(errOut.String(), "damaged"):
				refused++
				if !strings.Contains(errOut.String(), "paydesk sync") || !strings.Contains(errOut.String(), "move it aside") {
					t.Errorf("%s: %v: the damage error does not say what to do: %q", v.Name, args, errOut.String())
				}
			}
		}
	}
	t.Logf("damaged files: %d (%d flips, %d truncations) x %d commands = %d runs, %d refused as damaged, 0 panics",
		len(variants), len(damage.Flips(clean)), len(damage.Truncations(clean)), len(commands)+1, runs, refused)
}
