package actions_test

import (
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// TestBoilerplateFitsTheAction: a confirmation without money (customer
// edit, billing-portal link) names no currency for its amounts, and a
// portal link's done page waits for no webhook (none comes for a portal
// session); a refund still names its currency. Before, both said
// "amounts in the customer's currency" and the link "The cache updates
// when the webhook arrives".
func TestBoilerplateFitsTheAction(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := liveCustomer(e)
	edit, _ := editCustomer(t, e.Session(supportOp), cus, pagetest.Width, pagetest.Height)
	if s := edit.Screen(); strings.Contains(s, "amounts in") {
		t.Errorf("customer edit confirmation names amounts:\n%s", s)
	}

	link := openKey(t, e.Session(supportOp), "L", cus)
	tm := runAt(t, link, pagetest.Width, pagetest.Height)
	focus(t, link, "return_url")
	submitForm(t, tm, link)
	waitState(t, link, "confirm")
	if s := link.Screen(); strings.Contains(s, "amounts in") {
		t.Errorf("portal link confirmation names amounts:\n%s", s)
	}
	sendConfirmed(t, tm, link)
	if s := link.Screen(); strings.Contains(s, "webhook") {
		t.Errorf("portal link done page waits for a webhook:\n%s", s)
	}

	ch := refundableCharge(e, "usd")
	refund := open(t, e.Session(actenv.Admin), billing.ActionRefund, ch)
	tm = runAt(t, refund, pagetest.Width, pagetest.Height)
	focus(t, refund, "amount")
	typeText(tm, "1")
	submitForm(t, tm, refund)
	waitState(t, refund, "confirm")
	if s := refund.Screen(); !strings.Contains(s, "amounts in USD") {
		t.Errorf("refund confirmation lacks its currency:\n%s", s)
	}
}
