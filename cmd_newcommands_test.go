package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestUnknownCommandIsOneLine: an unknown command is one line naming it
// and where the commands are listed (exit 2), not the whole usage text.
func TestUnknownCommandIsOneLine(t *testing.T) {
	code, out, errOut := runCLI(t, "trail")
	if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, `unknown command "trail"`) ||
		!strings.Contains(errOut, "paydesk help") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestOneOffInvoiceDiscountTrialAndLinkCommands: the CLI bills a one-off
// invoice (a 611-character description is refused with the limit, not
// cut), applies a lower-case promotion code to a customer, ends a trial
// and prints an invoice's hosted link, each through the same plan as the
// console.
func TestOneOffInvoiceDiscountTrialAndLinkCommands(t *testing.T) {
	db, base, px := cliSandbox(t)
	if code, _, errOut := runCLI(t, "sync", "--db", db); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	code, out, errOut := runCLI(t, "ls", "invoices", "--status", "paid", "--limit", "1", "--json", "--db", db)
	paid := regexp.MustCompile(`"id":"(in_[0-9A-Za-z]+)"`).FindStringSubmatch(out)
	if code != 0 || paid == nil {
		t.Fatalf("ls invoices: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "invoice", "link", paid[1], "--db", db)
	if code != 0 || !strings.HasPrefix(out, "url https://") {
		t.Fatalf("invoice link: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "invoice", "link", "in_notcached", "--db", db); code != 1 || !strings.Contains(errOut, "not in the cache") {
		t.Fatalf("invoice link of an unknown invoice: exit %d %s", code, errOut)
	}
	cus := stripePost(t, base, "/v1/customers", url.Values{"email": {"cli@example.com"}})

	long := strings.Repeat("x", 611)
	code, out, errOut = runCLI(t, "invoice", "new", cus, "--currency", "usd", "--item", "12.50 "+long, "--yes", "--db", db)
	if code != 1 || !strings.Contains(errOut, "611 characters, at most 500") || px.Effects("POST", "/v1/invoiceitems") != 0 {
		t.Fatalf("long description: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "invoice", "new", cus, "--currency", "usd", "--item", "12.50 Onboarding workshop", "--item", "30 Travel", "--yes", "--db", db)
	inv := regexp.MustCompile(`-> (in_[0-9A-Za-z]+)`).FindStringSubmatch(out)
	if code != 0 || inv == nil || px.Effects("POST", "/v1/invoiceitems") != 2 {
		t.Fatalf("invoice new: exit %d\n%s\n%s", code, out, errOut)
	}

	code, out, errOut = runCLI(t, "discount", cus, "--code", "partner5", "--yes", "--db", db)
	if code != 0 || !strings.Contains(out, "sent: discount "+cus) {
		t.Fatalf("discount: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "discount", cus, "--db", db); code != 2 || !strings.Contains(errOut, "--code") {
		t.Fatalf("discount without a mode: exit %d %s", code, errOut)
	}

	price := ""
	for _, p := range sandboxGet(t, base, "/v1/prices?limit=100")["data"].([]any) {
		if m := p.(map[string]any); m["currency"] == "usd" && m["recurring"] != nil {
			price = m["id"].(string)
			break
		}
	}
	sub := stripePost(t, base, "/v1/subscriptions", url.Values{"customer": {cus}, "items[0][price]": {price}, "trial_period_days": {"14"}})
	code, out, errOut = runCLI(t, "trial", sub, "--now", "--db", db)
	if code != 1 || !strings.Contains(errOut, "add --yes") {
		t.Fatalf("trial dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "trial", sub, "--now", "--yes", "--db", db)
	if code != 0 || !strings.Contains(out, "sent: trial_end_now "+sub) {
		t.Fatalf("trial --now: exit %d\n%s\n%s", code, out, errOut)
	}
}
