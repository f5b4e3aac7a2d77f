package webhooks_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

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

// With the account's clock run ahead of real time (the demo's clock), the
// refetch reads "refetched" without a time: the cache is stamped in account
// time and the receipt in real time, and the demo read "16:33:13 …
// refetched at 16:13:14", a refetch before its delivery.
func TestRefetchWithoutTimeWhenClocksDiffer(t *testing.T) {
	store := fixtureStore(t)
	c := pagetest.Session(store, now)
	c.Clocks.Account = func() time.Time { return now.Add(15 * time.Hour) }
	tm, _ := start(t, c)
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 3)
	waitFor(t, tm, "refetch pending")
	raw, err := json.Marshal(object("in_C", nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutObject(raw, at(12, 0, 30).Unix()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tm, "refetched")
	if v := final(t, tm).View(); strings.Contains(v, "refetched at") {
		t.Fatalf("a refetch time from another clock:\n%s", v)
	}
}
