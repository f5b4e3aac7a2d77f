package actions_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/goldens"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

func trialingSub(e *actenv.Env) storage.Envelope {
	return e.Find(storage.KindSubscription, "trialing", func(m map[string]any) bool { return actenv.Str(m, "status") == "trialing" })
}

// extendTrial opens T as finance, picks the move and types a date.
func extendTrial(t *testing.T, e *actenv.Env, w, h int) (*actions.Flow, *teatest.TestModel) {
	t.Helper()
	f := open(t, e.Session(financeOp), billing.ActionTrialEnd, trialingSub(e))
	tm := runAt(t, f, w, h)
	focus(t, f, "action")
	press(tm, tea.KeyDown)
	press(tm, tea.KeyEnter)
	focus(t, f, "end")
	typeText(tm, newTrialEnd().Format("2006-01-02 15:04"))
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	return f, tm
}

// TestTrialFlow: support only ends a trial now (the move is not offered)
// and sees the next invoice due now; finance moves it to a date and the
// sandbox's trial ends then.
func TestTrialFlow(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150, NoWebhooks: true})
	sub := trialingSub(e)
	f := open(t, e.Session(supportOp), billing.ActionTrialEnd, sub)
	tm := runAt(t, f, pagetest.Width, pagetest.Height)
	focus(t, f, "action")
	if strings.Contains(f.Screen(), "move the trial") {
		t.Fatalf("support is offered the extension:\n%s", f.Screen())
	}
	press(tm, tea.KeyEnter)
	waitState(t, f, "confirm")
	if got := f.Plan().Call.Get("trial_end"); got != "now" || !strings.Contains(f.Screen(), "Next invoice amount due") {
		t.Fatalf("end-now confirmation (trial_end=%s):\n%s", got, f.Screen())
	}
	_ = tm.Quit()

	f, tm = extendTrial(t, e, pagetest.Width, pagetest.Height)
	if f.Plan().Action != billing.ActionTrialExtend || !strings.Contains(f.Screen(), newTrialEnd().Format(time.DateTime)+" UTC") {
		t.Fatalf("extension confirmation:\n%s", f.Screen())
	}
	typeText(tm, "y")
	waitState(t, f, "done")
	got := e.Object(storage.KindSubscription, f.Plan().Target)
	if want := newTrialEnd().Unix(); actenv.Num(got, "trial_end") != want {
		t.Fatalf("sandbox trial_end %d after %s", actenv.Num(got, "trial_end"), f.Plan().Call)
	}
}

func TestGoldenTrialExtendConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150, NoWebhooks: true})
	_, tm := extendTrial(t, e, pagetest.Width, pagetest.Height)
	goldens.RequireEqual(t, stable(final(t, tm)))
}

func TestGoldenTrialExtendConfirmation80x24(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150, NoWebhooks: true})
	_, tm := extendTrial(t, e, 80, 24)
	goldens.RequireEqual(t, stable(final(t, tm)))
}

// newTrialEnd is the date the tests move a trial to: 27 days after the
// anchor, 09:00 UTC.
func newTrialEnd() time.Time {
	d := actenv.Now.UTC().AddDate(0, 0, 27)
	return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, time.UTC)
}
