package common

import (
	"math"
	"time"

	"github.com/paydesk/paydesk/tui/format"
)

// CacheAge words how old cached data is, the one rule the header's "cache
// …" and a detail page's "Cached" line share: at is the newest write
// stamp (unix seconds on the session's account clock: a sync, an applied
// event, a copy's cached_at) and heard is when (wall clock) a live notice
// about the data last arrived; the more recent of the two wins, so an
// event that just arrived reads "just now" even when the account clock
// steps hours at a time (the demo). A stamp ahead of the clock is current.
// ok is false when neither is known.
func (c *Common) CacheAge(at int64, heard time.Time) (words string, ok bool) {
	if at == 0 && heard.IsZero() {
		return "", false
	}
	now := c.Now()
	age := time.Duration(math.MaxInt64)
	if at != 0 {
		age = max(0, now.Sub(time.Unix(at, 0)))
	}
	if !heard.IsZero() {
		age = min(age, max(0, c.Wall().Sub(heard)))
	}
	return format.Relative(now.Add(-age), now), true
}

// ClockMsg tells the active page that time moved on (the root model sends
// it with each header tick): pages that word times relative to now ("2m
// ago", "due in 3d") redraw them.
type ClockMsg struct{}
