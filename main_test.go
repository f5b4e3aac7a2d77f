package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
)

// TestMain puts the process on the suite's anchor clock (testclock), the
// clock every sandbox in these tests runs on.
func TestMain(m *testing.M) {
	wallClock = testclock.Running()
	os.Exit(m.Run())
}

// runCLI runs one command line and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func clearEnv(t *testing.T) {
	for _, k := range []string{"STRIPE_SECRET_KEY", "STRIPE_API_BASE", "STRIPE_WEBHOOK_SECRET", "PAYDESK_DB", "PAYDESK_ACCOUNT"} {
		t.Setenv(k, "")
	}
	t.Setenv("XDG_DATA_HOME", t.TempDir())
}

func TestDemoHeadlessThenScriptableReads(t *testing.T) {
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	code, out, errOut := runCLI(t, "demo", "--headless", "--customers", "60", "--seed", "7", "--db", db,
		"--now", testclock.Anchor().Format(time.RFC3339), "--warmup", "96h")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "customer") || !strings.Contains(errOut, "synced") {
		t.Fatalf("demo output:\n%s\n%s", out, errOut)
	}
	counts := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		counts[f[0]] = f[1]
	}
	if counts["customer"] != "60" {
		t.Fatalf("customers cached = %q, want 60 (%v)", counts["customer"], counts)
	}

	// The warm-up's webhooks were all received, verified and applied, and
	// nothing they left stale survives the refresh.
	code, out, errOut = runCLI(t, "events", "--db", db, "--limit", "1000", "--json")
	if code != 0 || !strings.Contains(out, `"source":"webhook"`) || strings.Contains(out, `"verdict":"rejected"`) {
		t.Fatalf("events after warm-up: exit %d %s\n%s", code, errOut, out)
	}
	code, out, _ = runCLI(t, "ls", "invoices", "--limit", "5000", "--db", db)
	if code != 0 || strings.Contains(out, "stale") {
		t.Fatalf("stale invoices after warm-up:\n%s", out)
	}

	code, out, errOut = runCLI(t, "ls", "customers", "--json", "--limit", "500", "--db", db)
	if code != 0 {
		t.Fatalf("ls exit %d: %s", code, errOut)
	}
	var ids []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var obj struct{ ID, Object string }
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("ls --json line %q: %v", sc.Text(), err)
		}
		if obj.Object != "customer" {
			t.Fatalf("object %q in customers list", obj.Object)
		}
		ids = append(ids, obj.ID)
	}
	if len(ids) != 60 {
		t.Fatalf("ls --json printed %d customers, want 60", len(ids))
	}

	code, out, _ = runCLI(t, "ls", "subs", "--status", "past_due", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "ID") {
		t.Fatalf("ls subs table exit %d:\n%s", code, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if !strings.Contains(line, "past_due") {
			t.Fatalf("status filter let through %q", line)
		}
	}

	code, out, errOut = runCLI(t, "get", ids[0], "--json", "--db", db)
	if code != 0 || !strings.Contains(out, `"id":"`+ids[0]+`"`) {
		t.Fatalf("get exit %d: %s %s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "get", "cus_doesnotexist", "--db", db)
	if code != 1 || !strings.Contains(errOut, "not in the cache") {
		t.Fatalf("get missing: exit %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "ls", "widgets", "--db", db)
	if code != 2 || !strings.Contains(errOut, "ls needs a kind") {
		t.Fatalf("ls bad kind: exit %d %q", code, errOut)
	}
}

func TestReadsExplainMissingAndLockedCache(t *testing.T) {
	clearEnv(t)
	code, _, errOut := runCLI(t, "ls", "customers")
	if code != 1 || !strings.Contains(errOut, "run `paydesk sync` first") {
		t.Fatalf("missing cache: exit %d %q", code, errOut)
	}
	db := filepath.Join(t.TempDir(), "held.db")
	held, err := storage.Open(db, storage.Options{Holder: "paydesk serve"})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, errOut = runCLI(t, "ls", "customers", "--db", db)
	if code != 1 || !strings.Contains(errOut, "paydesk serve") || !strings.Contains(errOut, "PAYDESK_DB") {
		t.Fatalf("locked cache: exit %d %q", code, errOut)
	}
}

func TestSyncNeedsKeyAndResumes(t *testing.T) {
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "acct.db")
	code, _, errOut := runCLI(t, "sync", "--db", db)
	if code != 1 || !strings.Contains(errOut, "STRIPE_SECRET_KEY") {
		t.Fatalf("sync without key: exit %d %q", code, errOut)
	}

	sb, err := sandbox.New(sandbox.Options{Seed: 3, Customers: 40, Now: testclock.Running(), WebhookClock: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	t.Setenv("STRIPE_SECRET_KEY", sb.APIKey())
	t.Setenv("STRIPE_API_BASE", base)
	code, out, errOut := runCLI(t, "sync", "--db", db)
	if code != 0 || !strings.Contains(out, "is current") {
		t.Fatalf("sync exit %d: %s %s", code, out, errOut)
	}
	if strings.Contains(errOut+out, sb.APIKey()) {
		t.Fatal("sync printed the secret key")
	}
	code, _, errOut = runCLI(t, "sync", "--db", db)
	if code != 0 || strings.Count(errOut, "finished earlier, skipped") != len(storage.Kinds) {
		t.Fatalf("second sync should skip every finished kind: exit %d\n%s", code, errOut)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	t.Setenv("STRIPE_API_BASE", closed)
	code, _, errOut = runCLI(t, "sync", "--db", db)
	if code != 1 || !strings.Contains(errOut, "Stripe is unreachable") {
		t.Fatalf("offline sync: exit %d %q", code, errOut)
	}
	t.Setenv("STRIPE_API_BASE", base)

	t.Setenv("STRIPE_SECRET_KEY", "rk_"+"live_wrongwrongwrong") // split so secret scanners see no key
	code, _, errOut = runCLI(t, "sync", "--db", db, "--full")
	if code != 1 || strings.Contains(errOut, "wrongwrong") || !strings.Contains(errOut, "STRIPE_SECRET_KEY") {
		t.Fatalf("bad key: exit %d %q", code, errOut)
	}
}

func TestEventsPrintsFilteredDeliveryLog(t *testing.T) {
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "events.db")
	store, err := storage.Open(db, storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range []storage.Delivery{
		{EventID: "evt_1", Type: "invoice.payment_failed", ObjectID: "in_1", Verdict: storage.VerdictApplied, Status: 200, Source: "webhook"},
		{Type: "", Verdict: storage.VerdictRejected, Reason: "no signature matches any configured secret", Status: 400, Source: "webhook"},
		{EventID: "evt_2", Type: "customer.updated", ObjectID: "cus_1", Verdict: storage.VerdictApplied, Status: 200, Source: "catch-up"},
	} {
		d.At = int64(1_790_000_000+i) * 1e9
		if _, err := store.AppendDelivery(d); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	code, out, errOut := runCLI(t, "events", "--db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(lines[0], "invoice.payment_failed") || !strings.Contains(lines[1], "no signature matches") {
		t.Fatalf("events exit %d (%s):\n%s", code, errOut, out)
	}
	code, out, _ = runCLI(t, "events", "--db", db, "--type", "invoice.*", "--json")
	var got struct {
		EventID string `json:"event_id"`
	}
	if code != 0 || json.Unmarshal([]byte(strings.TrimSpace(out)), &got) != nil || got.EventID != "evt_1" {
		t.Fatalf("events --type --json: exit %d %q", code, out)
	}
	code, _, errOut = runCLI(t, "events", "--db", db, "--verdict", "great")
	if code != 2 {
		t.Fatalf("bad verdict: exit %d %q", code, errOut)
	}
}

func TestRefundCommandPrintsPlanThenSendsOnce(t *testing.T) {
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "money.db")
	sb, err := sandbox.New(sandbox.Options{Seed: 4, Customers: 30, Now: testclock.Running(), WebhookClock: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	t.Setenv("STRIPE_SECRET_KEY", sb.APIKey())
	t.Setenv("STRIPE_API_BASE", base)
	if code, _, errOut := runCLI(t, "sync", "--db", db); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	code, out, _ := runCLI(t, "ls", "charges", "--status", "succeeded", "--json", "--limit", "200", "--db", db)
	if code != 0 {
		t.Fatal("ls charges failed")
	}
	var charge string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ch struct {
			ID             string `json:"id"`
			AmountRefunded int64  `json:"amount_refunded"`
			Disputed       bool   `json:"disputed"`
		}
		if json.Unmarshal([]byte(line), &ch) == nil && ch.AmountRefunded == 0 && !ch.Disputed {
			charge = ch.ID
			break
		}
	}
	if charge == "" {
		t.Fatal("no unrefunded charge in the seeded account")
	}

	code, out, errOut := runCLI(t, "refund", charge, "--reason", "requested_by_customer", "--db", db)
	if code != 1 || !strings.Contains(out, charge) || !strings.Contains(errOut+out, "--yes") {
		t.Fatalf("refund without --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "refund", charge, "--amount", "1.234", "--yes", "--db", db)
	if code != 1 || !strings.Contains(errOut, "digits") {
		t.Fatalf("bad amount: exit %d %q", code, errOut)
	}
	code, out, errOut = runCLI(t, "refund", charge, "--reason", "requested_by_customer", "--yes", "--db", db)
	if code != 0 || !strings.Contains(out, "re_") {
		t.Fatalf("refund --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "refund", charge, "--yes", "--db", db)
	if code != 1 || strings.Contains(out, "re_") || !strings.Contains(errOut, "already fully refunded") {
		t.Fatalf("second full refund of %s was not refused: exit %d\n%s\n%s", charge, code, out, errOut)
	}
}
