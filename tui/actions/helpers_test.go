package actions_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// open builds the page of the spec for action a on env's cached object,
// the way a detail page's key does.
func open(t *testing.T, c *common.Common, a billing.Action, obj storage.Envelope) *actions.Flow {
	t.Helper()
	for _, s := range actions.Specs() {
		if s.Action == a && s.Kind == obj.Kind {
			p, err := s.Open(c, obj)
			if err != nil {
				t.Fatalf("open %s: %v", a, err)
			}
			return p.(*actions.Flow)
		}
	}
	t.Fatalf("no spec for %s on %s", a, obj.Kind)
	return nil
}

// run starts the page under teatest at the golden size and forwards the
// env's live notices to it, as the root model does.
func run(t *testing.T, e *actenv.Env, p common.Page) (*teatest.TestModel, *pagetest.Harness) {
	t.Helper()
	h := pagetest.New(p)
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	t.Cleanup(func() { _ = tm.Quit() })
	if e != nil && e.Receiving {
		sub := e.Store.Subscribe(256)
		t.Cleanup(sub.Close)
		go func() {
			for {
				n, ok := sub.Next()
				if !ok {
					return
				}
				tm.Send(common.LiveMsg{Change: n})
			}
		}()
	}
	return tm, h
}

// waitFor is pagetest.WaitFor.
var waitFor = pagetest.WaitFor

// waitState polls the flow's state (set on the program's goroutine).
func waitState(t *testing.T, f *actions.Flow, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for f.State() != want {
		if time.Now().After(deadline) {
			t.Fatalf("flow state %s, want %s:\n%s", f.State(), want, f.Screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitSendFailed waits until a sent confirmation is back with its error
// (state confirm and an ✗ line). Waiting for "executing" first would race
// a failure that comes back before the poll sees it.
func waitSendFailed(t *testing.T, f *actions.Flow) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for f.State() != "confirm" || !strings.Contains(f.Screen(), "✗") {
		if time.Now().After(deadline) {
			t.Fatalf("flow state %s, want confirm with the send's error:\n%s", f.State(), f.Screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// focus waits until the form's focused field is field.
func focus(t *testing.T, f *actions.Flow, field string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for f.Focused() != field {
		if time.Now().After(deadline) {
			t.Fatalf("focused field %q (state %s), want %q", f.Focused(), f.State(), field)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func typeText(tm *teatest.TestModel, s string) { tm.Type(s) }

func press(tm *teatest.TestModel, k tea.KeyType) { tm.Send(tea.KeyMsg{Type: k}) }

func final(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
}

var (
	keyRE = regexp.MustCompile(`pd_[0-9a-f]{24}`)
	reqRE = regexp.MustCompile(`req_[0-9A-Za-z]+`)
)

// stable masks what differs between runs (idempotency keys, request ids).
func stable(s string) []byte {
	s = keyRE.ReplaceAllString(s, "pd_XXXXXXXXXXXXXXXXXXXXXXXX")
	return []byte(reqRE.ReplaceAllString(s, "req_XXXX"))
}

// clearField deletes what the focused input holds.
func clearField(tm *teatest.TestModel) {
	tm.Send(tea.KeyMsg{Type: tea.KeyEnd})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
}

// sendConfirmed sends the confirmation (y, or enter after a typed word)
// and waits for the outcome.
func sendConfirmed(t *testing.T, tm *teatest.TestModel, f *actions.Flow) {
	t.Helper()
	waitState(t, f, "confirm")
	sendKey(tm, f)
	waitState(t, f, "done")
}

// sendKey presses the key that sends the confirmation on screen: enter
// after a typed word, y otherwise (enter never sends those).
func sendKey(tm *teatest.TestModel, f *actions.Flow) {
	if strings.Contains(f.Screen(), "Press y to send.") || strings.Contains(f.Screen(), "Press y to retry") {
		typeText(tm, "y")
		return
	}
	press(tm, tea.KeyEnter)
}

// tabTo moves the form's focus forward to field, one field at a time.
func tabTo(t *testing.T, tm *teatest.TestModel, f *actions.Flow, field string) {
	t.Helper()
	for i := 0; f.Focused() != field; i++ {
		if i > 40 {
			t.Fatalf("field %q never focused (at %q)", field, f.Focused())
		}
		before := f.Focused()
		press(tm, tea.KeyTab)
		deadline := time.Now().Add(5 * time.Second)
		for f.Focused() == before {
			if time.Now().After(deadline) {
				t.Fatalf("tab did not leave %q (state %s)", before, f.State())
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// submitForm tabs through the remaining fields until the form is sent
// for preparing.
func submitForm(t *testing.T, tm *teatest.TestModel, f *actions.Flow) {
	t.Helper()
	for i := 0; f.State() == "form"; i++ {
		if i > 40 {
			t.Fatal("form never completed")
		}
		before := f.Focused()
		press(tm, tea.KeyEnter)
		deadline := time.Now().Add(5 * time.Second)
		for f.State() == "form" && f.Focused() == before {
			if time.Now().After(deadline) {
				t.Fatalf("enter did not leave %q:\n%s", before, f.Screen())
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// runAt starts the page under teatest at w x h.
func runAt(t *testing.T, p common.Page, w, h int) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, pagetest.New(p), teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm
}
