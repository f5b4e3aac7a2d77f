package common

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
)

func TestLiveMsgTouches(t *testing.T) {
	applied := func(kind storage.Kind, id, cus string) LiveMsg {
		return LiveMsg{Change: storage.Change{Result: storage.ApplyResult{
			Kind: kind, ObjectID: id, Customer: cus, Verdict: storage.VerdictApplied}}}
	}
	m := applied(storage.KindInvoice, "in_1", "cus_1")
	cases := []struct {
		kind storage.Kind
		id   string
		want bool
	}{
		{storage.KindInvoice, "in_1", true},
		{storage.KindInvoice, "in_2", false},
		{storage.KindCustomer, "cus_1", true}, // the customer's page shows its invoices
		{storage.KindCustomer, "cus_2", false},
		{"", "in_1", true},
	}
	for _, c := range cases {
		if got := m.Touches(c.kind, c.id); got != c.want {
			t.Errorf("Touches(%s, %s) = %v, want %v", c.kind, c.id, got, c.want)
		}
	}
	dup := m
	dup.Change.Result.Verdict = storage.VerdictDuplicate
	if dup.Touches(storage.KindInvoice, "in_1") {
		t.Error("a duplicate changed nothing but touches")
	}
	if !(LiveMsg{Change: storage.Change{Reload: true}}).Touches(storage.KindDispute, "dp_9") {
		t.Error("Reload must touch every page")
	}
}

type stubPage struct{ Page }

func TestActionsRegistry(t *testing.T) {
	a := &Actions{}
	open := func(*Common, storage.Envelope) (Page, error) { return stubPage{}, nil }
	if a.Register(ActionSpec{Kind: storage.KindCharge, Key: "y", Open: open}) {
		t.Error("reserved key accepted")
	}
	if a.Register(ActionSpec{Kind: storage.KindCharge, Key: "R"}) {
		t.Error("spec without Open accepted")
	}
	a.Register(ActionSpec{Kind: storage.KindCharge, Key: "R", Label: "refund", Action: billing.ActionRefund, Open: open})
	a.Register(ActionSpec{Kind: storage.KindCustomer, Key: "C", Label: "credit", Action: billing.ActionCredit, Open: open})
	a.Register(ActionSpec{Kind: storage.KindCharge, Key: "R", Label: "refund!", Action: billing.ActionRefund, Open: open})
	got := a.For(storage.KindCharge)
	if len(got) != 1 || got[0].Label != "refund!" {
		t.Fatalf("For(charge) = %+v", got)
	}

	// A read-only session gets the reason, not the page.
	c := New(Common{ReadOnly: true, Operator: billing.Operator{Name: "x", Role: billing.RoleAdmin}})
	msg := got[0].Start(c, storage.Envelope{})()
	toast, ok := msg.(ToastMsg)
	if !ok || !strings.Contains(toast.Text, "read-only") {
		t.Fatalf("Start on a read-only session = %#v", msg)
	}
	// A viewer may not refund even with a key (Billing is nil here, so the
	// key reason comes first).
	c = New(Common{Operator: billing.Operator{Name: "v", Role: billing.RoleViewer}})
	if msg := got[0].Start(c, storage.Envelope{})(); !strings.Contains(msg.(ToastMsg).Text, "no Stripe key") {
		t.Fatalf("Start without billing = %#v", msg)
	}
	var _ tea.Cmd = Push(stubPage{})
}
