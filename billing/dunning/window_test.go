package dunning_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"

	"github.com/paydesk/paydesk/billing/dunning"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
)

// boundaryInstants are the calendar edges the series must survive: month
// ends of 31, 30 and 28/29 days, a leap day, the year end, and the days
// clocks change in the zones below, plus the suite's anchor.
var boundaryInstants = []string{
	"2027-01-31T12:00:00Z", "2026-11-30T12:00:00Z", "2027-03-01T00:30:00Z", "2028-02-29T12:00:00Z",
	"2028-03-01T00:00:00Z", "2026-12-31T23:59:00Z", "2027-01-01T00:00:00Z",
	"2027-03-14T12:00:00Z", "2027-11-07T12:00:00Z", "2027-03-28T12:00:00Z", "2027-10-31T12:00:00Z",
	"2027-04-04T12:00:00Z", "2027-10-03T12:00:00Z",
}

var boundaryZones = []string{"UTC", "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Tokyo"}

// TestWindowDaysAreCalendarDays: every window is exactly Days calendar days
// in the operator's zone, each starting at local midnight, consecutive,
// none dropped or doubled, across month ends, leap days and DST changes; a
// failed charge at the first and at the last second of each day counts on
// that day only.
func TestWindowDaysAreCalendarDays(t *testing.T) {
	instants := append([]string{testclock.Anchor().Format(time.RFC3339)}, boundaryInstants...)
	for _, zname := range boundaryZones {
		loc, err := time.LoadLocation(zname)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range instants {
			at, _ := time.Parse(time.RFC3339, s)
			now := at.In(loc)
			for _, w := range dunning.Windows {
				t.Run(fmt.Sprintf("%s/%s/%s", zname, s, w), func(t *testing.T) {
					checkWindow(t, w, now)
				})
			}
		}
	}
}

func checkWindow(t *testing.T, w dunning.Window, now time.Time) {
	t.Helper()
	store := openStore(t)
	from, to := w.Bounds(now)
	if !to.Equal(now) {
		t.Fatalf("window ends %s, want now %s", to, now)
	}
	// One failed charge at each day's first second and one at its last.
	var want []int
	var page []json.RawMessage
	day := from
	for i := 0; i < w.Days; i++ {
		next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, day.Location())
		n := 0
		for j, ts := range []int64{day.Unix(), next.Unix() - 1} {
			if ts > now.Unix() {
				continue
			}
			page = append(page, json.RawMessage(fmt.Sprintf(`{"id":"ch_d%d_%d","object":"charge","status":"failed","amount":100,"currency":"usd","created":%d,"outcome":{"reason":"generic_decline"}}`, i, j, ts)))
			n++
		}
		want = append(want, n)
		day = next
	}
	if _, err := store.PutPage(storage.KindCharge, page, now.Unix(), storage.Cursor{Done: true}); err != nil {
		t.Fatal(err)
	}
	r, err := dunning.Compute(store, w, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Days) != w.Days {
		t.Fatalf("%d days in the series, want %d", len(r.Days), w.Days)
	}
	if !r.Days[0].Start.Equal(from) {
		t.Fatalf("series starts %s, window %s", r.Days[0].Start, from)
	}
	for i, d := range r.Days {
		st := d.Start
		if st.Hour() != 0 || st.Minute() != 0 || st.Second() != 0 {
			t.Fatalf("day %d starts %s, not at local midnight", i, st)
		}
		if i > 0 {
			prev := r.Days[i-1].Start
			if y, m, dd := prev.Date(); !st.Equal(time.Date(y, m, dd+1, 0, 0, 0, 0, st.Location())) {
				t.Fatalf("day %d is %s after %s: a calendar day was dropped or doubled", i, st, prev)
			}
		}
		if d.Failed != want[i] {
			t.Errorf("day %d (%s): %d failed, want %d", i, st.Format("2006-01-02"), d.Failed, want[i])
		}
	}
	last := r.Days[len(r.Days)-1].Start
	if y, m, dd := now.Date(); !last.Equal(time.Date(y, m, dd, 0, 0, 0, 0, now.Location())) {
		t.Fatalf("last day %s is not today (%s)", last, now)
	}
}
