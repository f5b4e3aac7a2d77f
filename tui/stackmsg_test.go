package tui

import (
	"strings"
	"testing"

	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/raw"
	"github.com/paydesk/paydesk/tui/resources"
)

// TestUpcomingAnswerUnderAnotherPage: the subscription page asks Stripe
// (the fixture's sandbox) for the upcoming invoice; the operator opens the
// raw JSON before the answer lands; the answer still reaches the page
// under it (common.StackMsg goes to the whole stack), so esc shows
// Stripe's invoice, not a page stuck on "asking".
func TestUpcomingAnswerUnderAnotherPage(t *testing.T) {
	c := session(nil, func(c *common.Common) { c.Billing = fx.Billing })
	m := start(c, 120, 60)
	const id = "sub_3nuYO1EqExcpou"
	sub := resources.NewSubscription(c, id)
	_, fetch := m.Update(common.PushPageMsg{Page: sub})
	if fetch == nil || !strings.Contains(sub.View(), "asking Stripe…") {
		t.Fatalf("the online subscription page did not ask Stripe:\n%s", sub.View())
	}
	drive(m, keyMsg("J"))
	if _, ok := m.Active().(*raw.Page); !ok {
		t.Fatalf("J opened %T", m.Active())
	}
	drive(m, run(fetch))
	drive(m, keyMsg("esc"))
	if m.Active() != common.Page(sub) {
		t.Fatalf("esc came back to %q", m.Active().Title())
	}
	v := sub.View()
	if strings.Contains(v, "asking Stripe…") || !strings.Contains(v, "Amount due") || !strings.Contains(v, "Stripe's upcoming invoice") {
		t.Fatalf("the answer that landed under the JSON page was lost:\n%s", v)
	}
}
