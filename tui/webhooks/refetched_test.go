package webhooks_test

import (
	"encoding/json"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// A delivery that left its object stale reads "… refetch pending"; once the
// object is refetched the list says so, though the receipt itself (a log
// line) never changes.
func TestStaleDeliveryShowsItsRefetch(t *testing.T) {
	store := fixtureStore(t)
	tm, _ := start(t, pagetest.Session(store, now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 3)         // evt_05, another API version, on in_C
	waitFor(t, tm, "refetch pending") // the selected row's whole reason
	raw, err := json.Marshal(object("in_C", nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutObject(raw, at(12, 0, 30).Unix()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tm, "refetched at")
}
