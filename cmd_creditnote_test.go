package main

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/lostanswer"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
)

func TestCreditNoteCommandIssuesThenVoids(t *testing.T) {
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
	inv := cliDraft(t, base, customer) // $25.00
	if code, out, errOut := runCLI(t, "credit-note", inv, "--amount", "5", "--yes", "--db", db); code != 1 || !strings.Contains(errOut, "draft") {
		t.Fatalf("credit note on a draft: exit %d\n%s\n%s", code, out, errOut)
	}
	stripePost(t, base, "/v1/invoices/"+inv+"/finalize", url.Values{})
	code, out, errOut := runCLI(t, "credit-note", inv, "--amount", "5", "--reason", "order_change", "--db", db)
	if code != 1 || !strings.Contains(out, "(pre_payment)") || !strings.Contains(out, "$25.00 → $20.00") {
		t.Fatalf("credit note without --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "credit-note", inv, "--amount", "5", "--refund", "5", "--yes", "--db", db); code != 1 || !strings.Contains(errOut, "open") {
		t.Fatalf("refund part on an open invoice: exit %d %q", code, errOut)
	}
	code, out, errOut = runCLI(t, "credit-note", inv, "--amount", "5", "--reason", "order_change", "--yes", "--db", db)
	cn := regexp.MustCompile(`cn_[0-9A-Za-z]+`).FindString(out)
	if code != 0 || !strings.Contains(out, "sent: credit_note "+inv) || cn == "" {
		t.Fatalf("credit note --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "credit-note", "void", cn, "--yes", "--db", db)
	if code != 0 || !strings.Contains(out, "sent: credit_note_void "+cn) {
		t.Fatalf("void --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "credit-note", "void", cn, "--yes", "--db", db); code != 1 || !strings.Contains(errOut, "void") {
		t.Fatalf("second void: exit %d %q", code, errOut)
	}
}

// TestInvoiceSideCommandsReRunAfterLostAnswer: credit-note, invoice
// finalize and dispute accept reach Stripe through a proxy that drops the
// answer; the same command run again resolves the earlier intent: Stripe
// acted once for each.
func TestInvoiceSideCommandsReRunAfterLostAnswer(t *testing.T) {
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "money.db")
	sb, err := sandbox.New(sandbox.Options{Seed: 4, Customers: 150, Now: testclock.Running(), WebhookClock: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	px, err := lostanswer.Start(base)
	if err != nil {
		t.Fatal(err)
	}
	defer px.Close()
	t.Setenv("STRIPE_SECRET_KEY", sb.APIKey())
	t.Setenv("STRIPE_API_BASE", px.URL)
	if code, _, errOut := runCLI(t, "sync", "--db", db); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	code, out, _ := runCLI(t, "ls", "disputes", "--json", "--limit", "200", "--db", db)
	var dispute string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var d struct{ ID, Status string }
		if json.Unmarshal([]byte(line), &d) == nil && strings.HasSuffix(d.Status, "needs_response") {
			dispute = d.ID
			break
		}
	}
	code, out, _ = runCLI(t, "ls", "customers", "--json", "--limit", "50", "--db", db)
	var customer string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var c struct{ ID, Currency string }
		if json.Unmarshal([]byte(line), &c) == nil && (c.Currency == "usd" || c.Currency == "") {
			customer = c.ID
			break
		}
	}
	if code != 0 || dispute == "" || customer == "" {
		t.Fatalf("seed: dispute %q customer %q", dispute, customer)
	}
	toCredit, toFinalize := cliDraft(t, base, customer), cliDraft(t, base, customer)
	stripePost(t, base, "/v1/invoices/"+toCredit+"/finalize", url.Values{})
	for _, c := range []struct {
		args   []string
		effect string
	}{
		{[]string{"credit-note", toCredit, "--amount", "5", "--reason", "duplicate"}, "/v1/credit_notes"},
		{[]string{"invoice", "finalize", toFinalize}, "/v1/invoices/" + toFinalize + "/finalize"},
		{[]string{"dispute", "accept", dispute}, "/v1/disputes/" + dispute + "/close"},
	} {
		args := append(c.args, "--yes", "--db", db)
		px.Set(lostanswer.DropAnswer, func(method, path string) bool { return method == "POST" && path == c.effect })
		code, out, errOut := runCLI(t, args...)
		px.Set(lostanswer.Pass, nil)
		if code != 1 || !strings.Contains(out, "state pending") {
			t.Fatalf("%v with a lost answer: exit %d\n%s\n%s", c.args, code, out, errOut)
		}
		code, out, errOut = runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "not sent again") {
			t.Fatalf("%v re-run: exit %d\n%s\n%s", c.args, code, out, errOut)
		}
		if n := px.Effects("POST", c.effect); n != 1 {
			t.Fatalf("%v: Stripe acted %d times, want 1", c.args, n)
		}
	}
}
