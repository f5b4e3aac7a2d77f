package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestLsWordsBalancesAsTheConsole: `ls customers` words a balance as the
// console does ("$18.00 credit"; money.Balance: "$5.00 owed"), never Stripe's bare sign
// ("-$28.00"), and `ls credit` lists each balance transaction's type and
// its movement ("credit"/"debit") where a status column said "-".
func TestLsWordsBalancesAsTheConsole(t *testing.T) {
	db, _, _ := cliSandboxOf(t, 120) // enough customers for some with credit
	if code, _, errOut := runCLI(t, "sync", "--db", db); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	code, out, errOut := runCLI(t, "ls", "customers", "--db", db, "--limit", "500")
	if code != 0 {
		t.Fatalf("ls customers: %d %s", code, errOut)
	}
	if regexp.MustCompile(`\s-[$€£¥]`).MatchString(out) || !regexp.MustCompile(`\d credit\b`).MatchString(out) {
		t.Fatalf("balances not worded as credit/owed:\n%s", out)
	}
	code, out, errOut = runCLI(t, "ls", "credit", "--db", db, "--limit", "500")
	if code != 0 {
		t.Fatalf("ls credit: %d %s", code, errOut)
	}
	header := strings.Fields(strings.SplitN(out, "\n", 2)[0])
	if strings.Join(header, " ") != "ID TYPE CUSTOMER AMOUNT CREATED" {
		t.Fatalf("ls credit header %q", header)
	}
	if !regexp.MustCompile(`(?m)\badjustment\b.*\d (credit|debit)\b`).MatchString(out) || regexp.MustCompile(`\s-[$€£¥]`).MatchString(out) {
		t.Fatalf("ls credit rows:\n%s", out)
	}
}
