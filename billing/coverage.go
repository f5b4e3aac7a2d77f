package billing

import "github.com/paydesk/paydesk/storage"

// coverage measures how much of a kind's `created` span its ranges have
// walked, for the backfill's ETA. Spans open below start at the account's
// creation (floor), spans open above end when the walk started (now).
type coverage struct {
	floor, now int64
	spans      map[string]span
}

// span is one range: [lo, hi] walked from hi down to pos.
type span struct{ lo, hi, pos int64 }

func newCoverage(floor, now int64, stored map[string]storage.Cursor) *coverage {
	c := &coverage{floor: floor, now: now, spans: map[string]span{}}
	for key, cur := range stored {
		lo, hi := c.bounds(cur)
		pos := hi // progress of an unfinished range from an earlier run: unknown
		if cur.Done {
			pos = lo
		}
		c.spans[key] = span{lo, hi, pos}
	}
	return c
}

func (c *coverage) bounds(cur storage.Cursor) (int64, int64) {
	lo, hi := cur.CreatedGTE, cur.CreatedLTE
	if lo == 0 {
		lo = c.floor
	}
	if hi == 0 {
		hi = c.now
	}
	return lo, max(lo, hi)
}

// add records a new range (nothing walked yet).
func (c *coverage) add(rs *rangeState) {
	lo, hi := c.bounds(rs.cur)
	c.spans[rs.key] = span{lo, hi, hi}
}

// update records rs after a page.
func (c *coverage) update(rs *rangeState) {
	lo, hi := c.bounds(rs.cur)
	pos := hi
	if old, ok := c.spans[rs.key]; ok {
		pos = old.pos
	}
	switch {
	case rs.cur.Done:
		pos = lo
	case rs.last > 0:
		pos = rs.last
	}
	c.spans[rs.key] = span{lo, hi, min(max(pos, lo), hi)}
}

// share is the walked share of the whole span in (0, 1], or -1 when the
// floor is unknown or nothing is walked yet.
func (c *coverage) share() float64 {
	if c.floor <= 0 {
		return -1
	}
	var total, walked int64
	for _, s := range c.spans {
		total += s.hi - s.lo
		walked += s.hi - s.pos
	}
	if total <= 0 || walked <= 0 {
		return -1
	}
	return float64(walked) / float64(total)
}
