package main

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
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
