package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
)

// moneyCLISandbox starts a seeded sandbox, points the CLI at it and syncs
// a cache file; it returns the sandbox's base URL and the cache path.
func moneyCLISandbox(t *testing.T, customers int) (string, string) {
	t.Helper()
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "money.db")
	sb, err := sandbox.New(sandbox.Options{Seed: 4, Customers: customers, Now: testclock.Running(), WebhookClock: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	t.Setenv("STRIPE_SECRET_KEY", sb.APIKey())
	t.Setenv("STRIPE_API_BASE", base)
	if code, _, errOut := runCLI(t, "sync", "--db", db); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	return base, db
}

// stripePost posts a form to the sandbox and returns the answer's id.
func stripePost(t *testing.T, base, path string, form url.Values) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer sk_test_sandbox")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&obj); err != nil || resp.StatusCode != http.StatusOK || obj.ID == "" {
		t.Fatalf("POST %s: %d %v", path, resp.StatusCode, err)
	}
	return obj.ID
}

// cliDraft creates a one-off draft invoice of one item on the sandbox.
func cliDraft(t *testing.T, base, customer string) string {
	t.Helper()
	stripePost(t, base, "/v1/invoiceitems", url.Values{"customer": {customer}, "amount": {"2500"}, "currency": {"usd"},
		"description": {"Setup"}})
	return stripePost(t, base, "/v1/invoices", url.Values{"customer": {customer}, "pending_invoice_items_behavior": {"include"}})
}

func TestInvoiceCommandFinalizesAndDeletesDrafts(t *testing.T) {
	base, db := moneyCLISandbox(t, 30)
	code, out, _ := runCLI(t, "ls", "customers", "--json", "--limit", "50", "--db", db)
	if code != 0 {
		t.Fatal("ls customers failed")
	}
	var customer string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var c struct {
			ID       string `json:"id"`
			Currency string `json:"currency"`
		}
		if json.Unmarshal([]byte(line), &c) == nil && (c.Currency == "usd" || c.Currency == "") {
			customer = c.ID
			break
		}
	}
	if customer == "" {
		t.Fatal("no usd customer in the seeded account")
	}
	fin, del := cliDraft(t, base, customer), cliDraft(t, base, customer)

	if code, _, errOut := runCLI(t, "invoice", "--db", db); code != 2 || !strings.Contains(errOut, "finalize or delete") {
		t.Fatalf("invoice without a verb: exit %d %q", code, errOut)
	}
	code, out, errOut := runCLI(t, "invoice", "finalize", fin, "--db", db)
	if code != 1 || !strings.Contains(out, "draft → open") || !strings.Contains(errOut+out, "--yes") {
		t.Fatalf("finalize without --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "invoice", "finalize", fin, "--yes", "--db", db)
	if code != 0 || !strings.Contains(out, "sent: invoice_finalize "+fin) {
		t.Fatalf("finalize --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "invoice", "delete", fin, "--yes", "--db", db)
	if code != 1 || strings.Contains(out, "sent:") || !strings.Contains(errOut, "is open") {
		t.Fatalf("delete of a finalized invoice: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "invoice", "delete", del, "--yes", "--db", db)
	if code != 0 || !strings.Contains(out, "sent: invoice_delete "+del) {
		t.Fatalf("delete --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "invoice", "delete", del, "--yes", "--db", db); code != 1 {
		t.Fatalf("second delete of %s: exit %d", del, code)
	}
}
