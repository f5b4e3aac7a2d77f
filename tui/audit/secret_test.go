package audit_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/audit"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// TestAuditDetailRedactsSecrets: a record whose detail carries Stripe text
// holding a client secret (a redirect URL of a payment that needs action)
// shows it redacted in the log and the record's detail.
func TestAuditDetailRedactsSecrets(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	if _, err := e.Store.AppendAudit(storage.AuditRecord{At: actenv.Now.Unix(), Operator: "ada@desk", Action: string(billing.ActionRefund),
		Target: "ch_secret", Outcome: billing.OutcomeFailed,
		Detail: "authenticate at https://hooks.stripe.com/3d?payment_intent_client_secret=pi_3Sec_secret_Zq8XwVb41"}); err != nil {
		t.Fatal(err)
	}
	h := pagetest.New(audit.New(e.Session(actenv.Admin)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	waitFor(t, tm, "ch_secret")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Audit record")
	view := final(t, tm)
	if strings.Contains(view, "Zq8XwVb41") || !strings.Contains(view, "pi_3Sec_secret_[redacted]") {
		t.Fatalf("audit detail:\n%s", view)
	}
}
