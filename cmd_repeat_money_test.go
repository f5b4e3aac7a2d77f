package main

import (
	"net/url"
	"strings"
	"testing"
)

// TestCLIRefundSameAmountOtherNoteIsARepeat: `paydesk refund ch_… --amount
// 1.00 --note 'cli test' --yes` and then the same with --note 'cli test 2'
// (or another reason) is refused without --again, naming the first refund,
// and sends nothing; --again sends it; another amount is not a repeat.
func TestCLIRefundSameAmountOtherNoteIsARepeat(t *testing.T) {
	db, base, px := cliSandbox(t)
	cus := stripePost(t, base, "/v1/customers", url.Values{"email": {"twice@example.com"}})
	inv := cliDraft(t, base, cus) // $25.00
	stripePost(t, base, "/v1/invoices/"+inv+"/finalize", url.Values{})
	stripePost(t, base, "/v1/invoices/"+inv+"/pay", url.Values{"payment_method": {"pm_card_visa"}})
	ch, _ := sandboxGet(t, base, "/v1/invoices/"+inv)["charge"].(string)
	if ch == "" {
		t.Fatal("paid invoice has no charge")
	}
	refund := func(extra ...string) (int, string, string) {
		return runCLI(t, append([]string{"refund", ch, "--amount", "1.00", "--db", db, "--yes"}, extra...)...)
	}
	if code, out, errOut := refund("--note", "cli test"); code != 0 || !strings.Contains(out, "sent: refund "+ch) {
		t.Fatalf("first refund: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, words := range [][]string{{"--note", "cli test 2"}, {"--reason", "duplicate"}, {}} {
		code, out, errOut := refund(words...)
		// One hint, the flag's: not also the console's "ask for it again".
		if code != 1 || !strings.Contains(out, "already went through") || !strings.Contains(errOut, "nothing was sent; add --again to send another") ||
			strings.Contains(errOut, "explicitly") {
			t.Fatalf("refund %q: exit %d\n%s\n%s", words, code, out, errOut)
		}
	}
	if n := px.Effects("POST", "/v1/refunds"); n != 1 {
		t.Fatalf("%d refunds sent, want 1", n)
	}
	if code, out, errOut := refund("--note", "cli test 2", "--again"); code != 0 {
		t.Fatalf("--again: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "refund", ch, "--amount", "1.01", "--db", db, "--yes"); code != 0 {
		t.Fatalf("another amount: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := px.Effects("POST", "/v1/refunds"); n != 3 {
		t.Fatalf("%d refunds sent, want 3", n)
	}
}
