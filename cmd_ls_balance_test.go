package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestLsWordsBalancesAsTheConsole: `ls customers` words a balance as the
// console does ("$28.00 credit", "$5.00 owed"), never Stripe's bare sign
// ("-$28.00"), and `ls credit` lists each balance transaction's type and
// its movement ("credit"/"debit") where a status column said "-".
func TestLsWordsBalancesAsTheConsole(t *testing.T) {
	db, _, _ := cliSandbox(t)
	if code, _, errOut := runCLI(t, "sync", "--db", db); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	code, out, errOut := runCLI(t, "ls", "customers", "--db", db, "--limit", "500")
	ids := regexp.MustCompile(`cus_\w+`).FindAllString(out, 2)
	if code != 0 || len(ids) != 2 {
		t.Fatalf("ls customers: %d %s\n%s", code, errOut, out)
	}
	for _, args := range [][]string{
		{"credit", ids[0], "--amount", "28.00", "--description", "goodwill", "--yes", "--db", db},
		{"credit", ids[1], "--amount", "5.00", "--debit", "--description", "late fee", "--yes", "--db", db},
		{"sync", "--full", "--db", db},
	} {
		if code, out, errOut := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}
	code, out, errOut = runCLI(t, "ls", "customers", "--db", db, "--limit", "500")
	if code != 0 {
		t.Fatalf("ls customers: %d %s", code, errOut)
	}
	if regexp.MustCompile(`\s-[$€£¥]`).MatchString(out) || !regexp.MustCompile(ids[0]+`.*28\.00 credit\b`).MatchString(out) ||
		!regexp.MustCompile(ids[1]+`.*5\.00 owed\b`).MatchString(out) {
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
	if !regexp.MustCompile(`(?m)\badjustment\b.*\d (credit|debit)\b`).MatchString(out) || strings.Contains(out, " -$") {
		t.Fatalf("ls credit rows:\n%s", out)
	}
}
