package billing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// TestActionPortalLink: support creates a billing-portal link (home and
// the update-payment-method flow); the URL comes back from the answer,
// the audit says who created it for whom, and a viewer cannot.
func TestActionPortalLink(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	cus := e.find(storage.KindCustomer, "live", func(m map[string]any) bool { return !boolean(m, "deleted") })
	if _, err := e.acts.PreparePortalLink(ctx, viewer, PortalRequest{Customer: cus}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("viewer: %v", err)
	}
	wantField(t, errOf(e.acts.PreparePortalLink(ctx, support, PortalRequest{Customer: cus, ReturnURL: "javascript:alert(1)"})), "return_url")
	wantField(t, errOf(e.acts.PreparePortalLink(ctx, support, PortalRequest{Customer: cus, Flow: "refund_everything"})), "flow")

	p := mustPlan(t)(e.acts.PreparePortalLink(ctx, support, PortalRequest{Customer: cus, Flow: PortalPaymentMethodUpdate,
		ReturnURL: "https://example.com/account"}))
	if got := p.Call.String(); got != "POST /v1/billing_portal/sessions customer="+cus+" flow_data[type]=payment_method_update return_url=https://example.com/account" {
		t.Fatalf("call %s", got)
	}
	r := mustExec(t, e.acts, p)
	url := PortalURL(r.Raw)
	if !strings.HasPrefix(url, "https://billing.stripe.com/p/session/") || !strings.HasPrefix(r.ResultID, "bps_") {
		t.Fatalf("portal answer %s", r.Raw)
	}
	rec := e.checkAudit(p, r, OutcomeSucceeded)
	if rec.Target != cus || rec.Operator != support.Name || !strings.Contains(rec.Detail, r.ResultID) {
		t.Fatalf("audit %+v", rec)
	}
	// Execute refuses a link whose call names another customer than the
	// audited target.
	forged := *p
	forged.Key, forged.Target = "pd_forged0000000000000000", "cus_other"
	if _, err := e.acts.Execute(ctx, &forged); !errors.Is(err, ErrBadPlan) {
		t.Fatalf("a link for another customer than the target: %v", err)
	}
	home := mustExec(t, e.acts, mustPlan(t)(e.acts.PreparePortalLink(ctx, support, PortalRequest{Customer: cus})))
	if PortalURL(home.Raw) == "" || PortalURL(home.Raw) == url {
		t.Fatalf("a second link: %s", home.Raw)
	}
}

// TestHTTPSURL: only a plain https address is shown or copied.
func TestHTTPSURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://invoice.stripe.com/i/acct_1/test_x": "https://invoice.stripe.com/i/acct_1/test_x",
		"http://invoice.stripe.com/i/x":              "",
		"https://":                                   "",
		"https://a.b/\x1b]52;c;eA==\x07":             "",
		"https://a.b/x y":                            "",
		"https://a.b/\u202ex":                        "",
		"javascript:alert(1)":                        "",
	} {
		if got := HTTPSURL(in); got != want {
			t.Errorf("HTTPSURL(%q) = %q, want %q", in, got, want)
		}
	}
}
