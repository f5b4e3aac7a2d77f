package actions_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

func refundableCharge(e *actenv.Env, currency string) storage.Envelope {
	return e.Find(storage.KindCharge, "refundable "+currency+" charge", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "succeeded" && actenv.Num(m, "amount_refunded") == 0 &&
			!actenv.Bool(m, "disputed") && actenv.Num(m, "amount") > 1000 && actenv.Str(m, "currency") == currency
	})
}

// TestRefundEndToEnd: type an amount, a reason and a note, see the
// confirmation, confirm; the sandbox refunded exactly that, the webhook
// updated the cache, the audit log has the record, the page says so.
func TestRefundEndToEnd(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	ch := refundableCharge(e, "usd")
	f := open(t, e.Session(actenv.Admin), billing.ActionRefund, ch)
	tm, _ := run(t, e, f)
	waitFor(t, tm, "Amount (USD)")
	focus(t, f, "amount")
	typeText(tm, "5.00")
	press(tm, tea.KeyEnter)
	focus(t, f, "reason")
	press(tm, tea.KeyDown) // requested_by_customer
	press(tm, tea.KeyEnter)
	focus(t, f, "note")
	typeText(tm, "goodwill q1")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Press y to send.")
	waitState(t, f, "confirm")
	p := f.Plan()
	if p.Amount != 500 || p.Currency != "usd" || p.Call.Get("reason") != "requested_by_customer" ||
		p.Call.Get("metadata[paydesk_note]") != "goodwill q1" {
		t.Fatalf("plan amount %d %s, call %s", p.Amount, p.Currency, p.Call)
	}
	if n := e.Reqs.Count("POST /v1/refunds"); n != 0 {
		t.Fatalf("%d refunds sent before confirming", n)
	}
	typeText(tm, "y")
	waitState(t, f, "done")
	if got := actenv.Num(e.Object(storage.KindCharge, ch.ID), "amount_refunded"); got != 500 {
		t.Fatalf("sandbox amount_refunded = %d, want 500", got)
	}
	e.WaitCache(storage.KindCharge, ch.ID, "amount_refunded 500", func(m map[string]any) bool {
		return actenv.Num(m, "amount_refunded") == 500
	})
	waitFor(t, tm, "Cache updated by the charge.refunded webhook.")
	recs := e.Audit(1)
	if len(recs) != 1 || recs[0].Action != "refund" || recs[0].Target != ch.ID || recs[0].Outcome != billing.OutcomeSucceeded ||
		recs[0].Amount != 500 || recs[0].Operator != actenv.Admin.Name || recs[0].Key != p.Key {
		t.Fatalf("audit %+v", recs)
	}
}
