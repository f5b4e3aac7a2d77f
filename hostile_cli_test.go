package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/storage/safetext/hostile"
	"github.com/paydesk/paydesk/tui/cli"
)

// TestHostileCorpusCLI runs every read command over a cache holding the
// hostile corpus in every field — ls of every kind (table and --json), get
// of every object (text and --json), events (text and --json) and events
// --follow — and scans stdout and stderr: nothing a terminal would act on,
// ls columns at most cli.MaxColumn cells.
func TestHostileCorpusCLI(t *testing.T) {
	testclock.DateFree(t)
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "hostile.db")
	store, err := storage.Open(db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := hostile.Seed(store); err != nil {
		t.Fatal(err)
	}
	store.Close()
	t.Setenv("PAYDESK_DB", db)
	t.Setenv("PAYDESK_WEBHOOK_SECRET", "")

	outputs := 0
	check := func(what, out, errOut string) {
		t.Helper()
		outputs++
		for name, s := range map[string]string{"stdout": out, "stderr": errOut} {
			if fs := safetext.Scan([]byte(s)); len(fs) > 0 {
				t.Errorf("%s: %s holds %v", what, name, fs[:min(3, len(fs))])
			}
			if strings.ContainsRune(s, 0x1b) {
				t.Errorf("%s: %s holds ESC", what, name)
			}
		}
	}
	kinds := []string{"customers", "subscriptions", "invoices", "charges", "refunds", "disputes"}
	for _, k := range kinds {
		code, out, errOut := runCLI(t, "ls", k, "--limit", "100")
		if code != 0 {
			t.Fatalf("ls %s: exit %d %s", k, code, errOut)
		}
		check("ls "+k, out, errOut)
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) != len(hostile.Sets())+1 {
			t.Errorf("ls %s: %d lines, want a header and %d rows", k, len(lines), len(hostile.Sets()))
		}
		for _, l := range lines {
			if w := safetext.Width(l); w > 7*(cli.MaxColumn+2) {
				t.Errorf("ls %s: a %d-cell line", k, w)
			}
		}
		code, out, errOut = runCLI(t, "ls", k, "--json", "--limit", "100")
		if code != 0 {
			t.Fatalf("ls %s --json: exit %d %s", k, code, errOut)
		}
		check("ls --json "+k, out, errOut)
	}
	for _, s := range hostile.Sets() {
		for _, id := range []string{s.Customer, s.Subscription, s.Invoice, s.Charge, s.Refund, s.Dispute} {
			code, out, errOut := runCLI(t, "get", id)
			if code != 0 {
				t.Errorf("get %q: exit %d %s", id, code, errOut)
			}
			check("get "+s.Name, out, errOut)
			_, out, errOut = runCLI(t, "get", id, "--json")
			check("get --json "+s.Name, out, errOut)
		}
	}
	for _, args := range [][]string{{"events", "--limit", "500"}, {"events", "--json", "--limit", "500"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		if !strings.Contains(out, `bad signature: Eve \u001b]0;pwned\u0007`) {
			t.Errorf("%v does not show the rejected reason's escape visibly", args)
		}
		check(strings.Join(args, " "), out, errOut)
	}
	// events --follow prints its backlog, then stops with the context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut strings.Builder
	runContext(ctx, []string{"events", "--follow", "--webhook-addr", "127.0.0.1:0"}, &out, &errOut)
	if !strings.Contains(out.String(), "bad signature: ") {
		t.Errorf("events --follow printed no backlog: %q %q", out.String(), errOut.String())
	}
	check("events --follow", out.String(), errOut.String())
	t.Logf("hostile corpus: %d strings (+all, +hostile ids) through %d CLI outputs", len(hostile.Corpus), outputs)
}
