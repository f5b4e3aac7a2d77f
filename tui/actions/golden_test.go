package actions_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/paydesk/paydesk/tui/internal/goldens"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// Goldens: 120x36, ASCII, the fixed clock, UTC; idempotency keys and
// request ids (random per run) are masked.

func TestGoldenRefundConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	f := open(t, e.Session(actenv.Admin), billing.ActionRefund, refundableCharge(e, "usd"))
	tm, _ := run(t, nil, f)
	focus(t, f, "amount")
	typeText(tm, "12.5")
	press(tm, tea.KeyEnter)
	focus(t, f, "reason")
	press(tm, tea.KeyDown)
	press(tm, tea.KeyEnter)
	focus(t, f, "note")
	typeText(tm, "customer asked twice")
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	goldens.RequireEqual(t, stable(final(t, tm)))
}

func TestGoldenPlanChangePreview(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	_, tm := planChangeConfirm(t, e, activeSub(e, ""))
	goldens.RequireEqual(t, stable(final(t, tm)))
}

func TestGoldenEvidenceForm(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true, Customers: 150})
	f := open(t, e.Session(actenv.Admin), billing.ActionDisputeEvidence, openDispute(e))
	tm, _ := run(t, nil, f)
	focus(t, f, "access_activity_log")
	tabTo(t, tm, f, "customer_name")
	clearField(tm) // the cached customer's name is prefilled
	typeText(tm, "Ada Lovelace")
	goldens.RequireEqual(t, stable(final(t, tm)))
}
