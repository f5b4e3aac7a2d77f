package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
)

// TestDemoReopenShowsTheNewAccount: a demo reopened with the same --db
// shows the account it starts, not what the previous run left in the cache
// (disputes its clock closed, invoices it paid, its audit trail): the
// disputes needing a response match those of a demo on a fresh cache and
// the audit log is empty. Before, the audit records of actions taken on
// the previous account stayed beside the new account's objects.
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
	// The previous run's audit trail, as an operator's credit would leave it.
	st, err := storage.Open(reopened, storage.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AppendAudit(storage.AuditRecord{Operator: "ada@desk", Action: "credit", Target: "cus_previous", Outcome: "succeeded"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, _, errOut := runCLI(t, args(reopened)...)
	if code != 0 {
		t.Fatalf("reopened demo: %s", errOut)
	}
	if !strings.Contains(errOut, "replaced the previous demo's cache") {
		t.Fatalf("the reopened demo did not say it replaced the cache: %s", errOut)
	}
	st, err = storage.Open(reopened, storage.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.Audit(0, 10)
	st.Close()
	if err != nil || len(recs) != 0 {
		t.Fatalf("the new demo account shows the previous run's audit trail: %+v %v", recs, err)
	}
	if got := needsResponse(reopened); got != want {
		t.Fatalf("reopened cache lists %d disputes needing a response, a fresh demo %d: the previous run's states outrank the new account's", got, want)
	}
}

// TestDemoRefusesAnotherAccountsCache: --db naming the cache of a live or
// test account is refused and the file is left as it was.
func TestDemoRefusesAnotherAccountsCache(t *testing.T) {
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "test.db")
	st, err := storage.Open(db, storage.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetAccount(storage.Account{ID: "acct_real", Mode: "test"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, _, errOut := runCLI(t, "demo", "--headless", "--customers", "5", "--db", db, "--now", testclock.Anchor().Format(time.RFC3339))
	if code == 0 || !strings.Contains(errOut, "the demo needs a file of its own") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	st, err = storage.Open(db, storage.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if a, err := st.Account(); err != nil || a.ID != "acct_real" {
		t.Fatalf("the test account's cache changed: %+v %v", a, err)
	}
}
