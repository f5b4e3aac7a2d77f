package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
)

// TestDemoReopenShowsTheNewAccount: a demo reopened with the same --db
// shows the states of the account it starts, not the ones the previous
// run's clock left in the cache (disputes it closed, invoices it paid):
// the disputes needing a response match those of a demo on a fresh cache.
func TestDemoReopenShowsTheNewAccount(t *testing.T) {
	clearEnv(t)
	now := testclock.Anchor().Format(time.RFC3339)
	args := func(db string, extra ...string) []string {
		return append([]string{"demo", "--headless", "--customers", "60", "--seed", "7", "--db", db, "--now", now}, extra...)
	}
	needsResponse := func(db string) int {
		t.Helper()
		code, out, errOut := runCLI(t, "ls", "disputes", "--status", "needs_response", "--limit", "500", "--db", db)
		if code != 0 {
			t.Fatalf("ls disputes: exit %d %s", code, errOut)
		}
		return strings.Count(out, "dp_")
	}
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	if code, _, errOut := runCLI(t, args(fresh)...); code != 0 {
		t.Fatalf("fresh demo: %s", errOut)
	}
	want := needsResponse(fresh)
	if want == 0 {
		t.Fatal("the seeded account has no dispute needing a response")
	}

	reopened := filepath.Join(t.TempDir(), "reopened.db")
	if code, _, errOut := runCLI(t, args(reopened, "--warmup", "720h")...); code != 0 {
		t.Fatalf("first demo: %s", errOut)
	}
	if n := needsResponse(reopened); n >= want {
		t.Fatalf("30 days of demo clock left %d disputes needing a response (fresh: %d): the test proves nothing", n, want)
	}
	if code, _, errOut := runCLI(t, args(reopened)...); code != 0 {
		t.Fatalf("reopened demo: %s", errOut)
	}
	if got := needsResponse(reopened); got != want {
		t.Fatalf("reopened cache lists %d disputes needing a response, a fresh demo %d: the previous run's states outrank the new account's", got, want)
	}
}
