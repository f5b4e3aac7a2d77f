package webhooks_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// arrive logs a charge.failed of ch_A1 at 12:00:0s and hands the page what
// the store announced, as the root does.
func arrive(t *testing.T, store *storage.Store, send func(tea.Msg), id string, s int) {
	t.Helper()
	sub := store.Subscribe(4)
	defer sub.Close()
	d := storage.Delivery{At: at(12, 0, s).UnixNano(), Source: "webhook", Status: 200}
	if _, err := store.ApplyEvent(event(id, "charge.failed", at(12, 0, s), object("ch_A1", nil), storage.APIVersion), &d); err != nil {
		t.Fatal(err)
	}
	change, _ := sub.Next()
	send(common.LiveMsg{Change: change})
}

// The operator chose the top row (evt_08 on in_F: enter, esc); a delivery
// arrives above it; o filters in_F, the chosen row's object, not the
// newcomer's.
func TestTailKeepsTheTopSelection(t *testing.T) {
	store := fixtureStore(t)
	tm, h := start(t, pagetest.Session(store, now))
	waitFor(t, tm, "in_F")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "[event JSON]")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "filter: none")
	arrive(t, store, tm.Send, "evt_09", 5)
	waitFor(t, tm, clockOf(at(12, 0, 5)))
	typeKeys(tm, "o")
	waitFor(t, tm, "filter: object")
	final(t, tm)
	if got := listPage(t, h).Filter().ObjectID; got != "in_F" {
		t.Fatalf("o filtered %q, want in_F (the row chosen before evt_09 arrived)", got)
	}
}

// A full reload of the tail (r, a refetch) keeps the cursor on the delivery
// it was on.
func TestReloadKeepsTheSelection(t *testing.T) {
	store := fixtureStore(t)
	tm, h := start(t, pagetest.Session(store, now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 3) // evt_05 on in_C
	waitFor(t, tm, "refetch pending")
	arrive(t, store, func(tea.Msg) {}, "evt_09", 5) // announced while the page was not told
	tm.Send(common.RefreshMsg{})
	waitFor(t, tm, clockOf(at(12, 0, 5)))
	typeKeys(tm, "o")
	waitFor(t, tm, "filter: object")
	final(t, tm)
	if got := listPage(t, h).Filter().ObjectID; got != "in_C" {
		t.Fatalf("o filtered %q, want in_C", got)
	}
}

// Until the operator chooses a row the cursor rides the newest delivery (the
// live tail); g returns to that after a choice.
func TestUnchosenCursorRidesTheTail(t *testing.T) {
	store := fixtureStore(t)
	tm, h := start(t, pagetest.Session(store, now))
	waitFor(t, tm, "in_F")
	arrive(t, store, tm.Send, "evt_09", 5)
	waitFor(t, tm, "> "+clockOf(at(12, 0, 5)))
	press(tm, tea.KeyDown, 1)
	waitFor(t, tm, "> "+clockOf(at(11, 59, 0)))
	typeKeys(tm, "g")
	waitFor(t, tm, "> "+clockOf(at(12, 0, 5)))
	arrive(t, store, tm.Send, "evt_10", 6)
	waitFor(t, tm, "> "+clockOf(at(12, 0, 6)))
	final(t, tm)
	if d, ok := listPage(t, h).Selected(); !ok || d.EventID != "evt_10" {
		t.Fatalf("selected %+v, want the newest (evt_10)", d)
	}
}
