package actions_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/resources"
)

// TestRefundFromCustomerChargeRow: charges have no page of their own, so
// a refund starts where they are listed: select the charge on the
// customer's page (tab) and press R; the help names the linked action.
func TestRefundFromCustomerChargeRow(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	c := e.Session(actenv.Admin)
	if err := actions.Register(c.Actions); err != nil {
		t.Fatal(err)
	}
	ch := refundableCharge(e, "usd")
	var d common.Page = resources.NewCustomer(c, ch.Customer)
	d.SetSize(120, 36)
	if cmd := d.Init(); cmd != nil {
		d, _ = d.Update(cmd())
	}
	helpOf := func() string {
		var parts []string
		for _, b := range d.ShortHelp() {
			parts = append(parts, b.Help().Key+" "+b.Help().Desc)
		}
		return strings.Join(parts, " · ")
	}
	found := false
	for range 40 {
		d, _ = d.Update(tea.KeyMsg{Type: tea.KeyTab})
		if strings.Contains(helpOf(), "R refund charge") && strings.Contains(d.View(), ch.ID) {
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("no charge row of %s selectable for a refund; help: %s\n%s", ch.Customer, helpOf(), d.View())
	}
	_, cmd := d.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("R")})
	if cmd == nil {
		t.Fatal("R on a selected charge row did nothing")
	}
	push, ok := cmd().(common.PushPageMsg)
	if !ok || !strings.Contains(push.Page.Title(), "Refund") {
		t.Fatalf("R opened %#v, want the refund form", push)
	}
}
