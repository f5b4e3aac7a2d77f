package main

import (
	"strings"
	"testing"
)

// TestPortalLinkCommand: `paydesk portal-link --yes` creates an
// update-payment-method session and prints its url on a line of its own.
func TestPortalLinkCommand(t *testing.T) {
	db, base, px := cliSandbox(t)
	cus := firstCustomer(t, base)
	if code, out, _ := runCLI(t, "portal-link", cus, "--update-payment-method", "--db", db); code != 1 || !strings.Contains(out, "payment method") ||
		px.Effects("POST", "/v1/billing_portal/sessions") != 0 {
		t.Fatalf("without --yes: exit %d\n%s", code, out)
	}
	code, out, errOut := runCLI(t, "portal-link", cus, "--update-payment-method", "--return-url", "https://example.com/back", "--yes", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var url string
	for _, l := range strings.Split(out, "\n") {
		if u, ok := strings.CutPrefix(l, "url "); ok {
			url = u
		}
	}
	if !strings.HasPrefix(url, "https://billing.stripe.com/p/session/") || px.Effects("POST", "/v1/billing_portal/sessions") != 1 {
		t.Fatalf("url %q from\n%s", url, out)
	}
	if code, _, errOut := runCLI(t, "portal-link", cus, "--return-url", "ftp://x", "--yes", "--db", db); code != 1 || !strings.Contains(errOut, "https://") {
		t.Fatalf("bad return url: exit %d %s", code, errOut)
	}
}
