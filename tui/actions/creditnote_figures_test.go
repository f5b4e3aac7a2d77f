package actions_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/resources"
)

// TestCreditNoteSaysItsFigures: a credit note on a paid invoice split
// between a refund and a balance credit shows the preview's total and the
// split on the confirmation (not "preview below" with nothing below); the
// status line after sending names it with its amount; the credit note's
// page lists the refund and the balance transaction with their amounts.
func TestCreditNoteSaysItsFigures(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	inv := e.Find(storage.KindInvoice, "paid with a charge", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "paid" && actenv.Str(m, "charge") != "" && actenv.Num(m, "total") >= 1000
	})
	cur := inv.Currency
	f := open(t, e.Session(actenv.Admin), billing.ActionCreditNote, inv)
	tm, h := run(t, e, f)
	for _, step := range []struct{ field, typed string }{
		{"amount", "6"}, {"refund_amount", "4"}, {"credit_amount", "2"}, {"out_of_band_amount", ""}, {"reason", ""}, {"memo", ""},
	} {
		focus(t, f, step.field)
		if step.typed != "" {
			typeText(tm, step.typed)
		}
		press(tm, tea.KeyEnter)
	}
	waitState(t, f, "confirm")
	scr := strings.Join(strings.Fields(f.Screen()), " ")
	for _, want := range []string{"preview of this request", "Credit note total " + money.Format(600, cur),
		"Refund to the card " + money.Format(400, cur), "Customer balance " + money.Format(200, cur) + " credit"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("confirmation lacks %q:\n%s", want, f.Screen())
		}
	}
	if strings.Contains(scr, "preview below") {
		t.Fatalf("the confirmation points at a preview below that is not there:\n%s", f.Screen())
	}
	sendConfirmed(t, tm, f)
	cn := f.Result().ResultID
	if s := strings.Join(strings.Fields(f.Screen()), " "); !strings.Contains(s, "Amount "+money.Format(600, cur)) {
		t.Fatalf("the result page does not give the amount:\n%s", f.Screen())
	}
	want := "Credit note " + cn + " for " + money.Format(600, cur) + " on " + inv.ID + " sent"
	deadline := time.Now().Add(15 * time.Second)
	for !routedToast(h.Routed(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no status line %q in %v", want, h.Routed())
		}
		time.Sleep(5 * time.Millisecond)
	}
	raw := e.WaitCache(storage.KindCreditNote, cn, "issued", func(m map[string]any) bool { return actenv.Str(m, "status") == "issued" })
	re, txn := actenv.Str(raw, "refund"), actenv.Str(raw, "customer_balance_transaction")
	if re == "" || txn == "" {
		t.Fatalf("credit note %s has refund %q, balance transaction %q", cn, re, txn)
	}
	e.WaitCache(storage.KindRefund, re, "cached", func(map[string]any) bool { return true })
	e.WaitCache(storage.KindBalanceTransaction, txn, "cached", func(map[string]any) bool { return true })
	page := resources.Open(e.Session(actenv.Admin), storage.KindCreditNote, cn)
	page.SetSize(160, 60)
	page.Init()
	v := strings.Join(strings.Fields(page.View()), " ")
	for _, want := range []string{re + " " + money.Format(400, cur), txn + " " + money.Format(200, cur) + " credit"} {
		if !strings.Contains(v, want) {
			t.Fatalf("credit note page lacks %q:\n%s", want, page.View())
		}
	}
}

func routedToast(msgs []tea.Msg, text string) bool {
	for _, m := range msgs {
		if t, ok := m.(common.ToastMsg); ok && t.Text == text {
			return true
		}
	}
	return false
}
