package main

import (
	"net/url"
	"strings"
	"testing"
)

// TestCLICreditNotePlanSaysWhatWasRefundedOutside: `paydesk credit-note`
// on a paid $25.00 invoice whose charge got a $3.50 refund directly prints
// it in the plan, and refuses a refund part above the $21.50 the charge
// has left.
func TestCLICreditNotePlanSaysWhatWasRefundedOutside(t *testing.T) {
	db, base, _ := cliSandbox(t)
	cus := stripePost(t, base, "/v1/customers", url.Values{"email": {"outside@example.com"}})
	inv := cliDraft(t, base, cus) // $25.00
	stripePost(t, base, "/v1/invoices/"+inv+"/finalize", url.Values{})
	stripePost(t, base, "/v1/invoices/"+inv+"/pay", url.Values{"payment_method": {"pm_card_visa"}})
	ch, _ := sandboxGet(t, base, "/v1/invoices/"+inv)["charge"].(string)
	stripePost(t, base, "/v1/refunds", url.Values{"charge": {ch}, "amount": {"350"}})

	code, out, errOut := runCLI(t, "credit-note", inv, "--amount", "25", "--refund", "21.50", "--credit", "3.50", "--db", db)
	if code != 1 || !strings.Contains(out, "$3.50 already refunded on the charge outside credit notes") || !strings.Contains(out, "$28.50 goes back") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "credit-note", inv, "--amount", "25", "--refund", "25", "--db", db)
	if code == 0 || !strings.Contains(out+errOut, "$21.50 left to refund") {
		t.Fatalf("refund part above the charge's: exit %d\n%s\n%s", code, out, errOut)
	}
}
