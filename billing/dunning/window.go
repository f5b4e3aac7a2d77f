package dunning

import (
	"fmt"
	"time"
)

// Window is the period the figures cover: the last Days calendar days in the
// location of the clock passed to Compute, today included.
type Window struct {
	Days int
}

// Windows are the periods the Dunning view offers.
var Windows = []Window{{Days: 7}, {Days: 30}, {Days: 90}}

// Validate accepts 7, 30 and 90 days.
func (w Window) Validate() error {
	for _, ok := range Windows {
		if w == ok {
			return nil
		}
	}
	return fmt.Errorf("dunning window of %d days: want 7, 30 or 90", w.Days)
}

// String is "7d", "30d" or "90d".
func (w Window) String() string { return fmt.Sprintf("%dd", w.Days) }

// Bounds returns the window's start (midnight, Days-1 days before now's day,
// in now's location) and its end (now).
func (w Window) Bounds(now time.Time) (from, to time.Time) {
	y, m, d := now.Date()
	start := time.Date(y, m, d-(w.Days-1), 0, 0, 0, 0, now.Location())
	return start, now
}
