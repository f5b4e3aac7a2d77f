package actions_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// TestCancelFormShowsEveryOption: on a subscription whose cancellation at
// period end is already scheduled, the cancel form preselects undo but
// still shows (and lets the operator choose) at period end and now.
func TestCancelFormShowsEveryOption(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := activeSub(e, "")
	var m map[string]any
	if err := json.Unmarshal(sub.Raw, &m); err != nil {
		t.Fatal(err)
	}
	m["cancel_at_period_end"] = true
	sub.Raw, _ = json.Marshal(m)
	f := open(t, e.Session(actenv.Admin), billing.ActionCancel, sub)
	tm, _ := run(t, e, f)
	focus(t, f, "mode")
	waitFor(t, tm, "undo")
	screen := f.Screen()
	// The page is titled by the chosen mode: undoing is not "Cancel".
	if !strings.Contains(screen, "Withdraw the cancellation of "+sub.ID) {
		t.Errorf("undo form is not titled as a withdrawal:\n%s", screen)
	}
	for _, want := range []string{"at period end", "now — ends it immediately", "undo — withdraw"} {
		if !strings.Contains(screen, want) {
			t.Errorf("cancel form lacks %q:\n%s", want, screen)
		}
	}
	final(t, tm)
}

// TestPauseFormShowsEveryOption: the same kind of select on the pause form
// of a paused subscription (resume preselected) still shows "pause".
func TestPauseFormShowsEveryOption(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	sub := activeSub(e, "")
	var m map[string]any
	if err := json.Unmarshal(sub.Raw, &m); err != nil {
		t.Fatal(err)
	}
	m["pause_collection"] = map[string]any{"behavior": "void"}
	sub.Raw, _ = json.Marshal(m)
	f := open(t, e.Session(actenv.Admin), billing.ActionPause, sub)
	tm, _ := run(t, e, f)
	focus(t, f, "mode")
	waitFor(t, tm, "resume collection")
	if screen := f.Screen(); !strings.Contains(screen, "pause collection") {
		t.Errorf("pause form of a paused subscription hides 'pause collection':\n%s", screen)
	}
	final(t, tm)
}
