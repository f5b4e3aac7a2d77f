package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestCLIOneOffAndVoidPlansNameTheCredit: `paydesk invoice new` for a
// customer holding $25.00 credit prints that the credit will be applied
// and $95.00 is due; `paydesk invoice void` of the invoice prints that
// the $25.00 returns to the customer's balance, and with --yes voids it
// and the credit is back.
func TestCLIOneOffAndVoidPlansNameTheCredit(t *testing.T) {
	db, base, _ := cliSandbox(t)
	cus := stripePost(t, base, "/v1/customers", url.Values{"email": {"credit@example.com"}})
	stripePost(t, base, "/v1/customers/"+cus+"/balance_transactions", url.Values{"amount": {"-2500"}, "currency": {"usd"}})

	code, out, errOut := runCLI(t, "invoice", "new", cus, "--item", "120 Workshop", "--yes", "--db", db)
	if code != 0 || !strings.Contains(out, "$25.00 customer credit will be applied · Amount due $95.00") {
		t.Fatalf("invoice new: exit %d\n%s\n%s", code, out, errOut)
	}
	inv := regexp.MustCompile(`in_[0-9A-Za-z]+`).FindString(out)
	code, out, errOut = runCLI(t, "invoice", "void", inv, "--db", db)
	if code != 1 || !strings.Contains(out, "$25.00 of customer credit applied to this invoice returns to the customer's balance") {
		t.Fatalf("invoice void %s (dry run): exit %d\n%s\n%s", inv, code, out, errOut)
	}
	if code, out, errOut = runCLI(t, "invoice", "void", inv, "--yes", "--db", db); code != 0 {
		t.Fatalf("invoice void %s --yes: exit %d\n%s\n%s", inv, code, out, errOut)
	}
	if bal := sandboxGet(t, base, "/v1/customers/"+cus)["balance"]; bal != float64(-2500) {
		t.Fatalf("balance after the void %v, want -2500", bal)
	}
}
