package dunning

import (
	"fmt"
	"strings"

	bd "github.com/paydesk/paydesk/billing/dunning"
)

// levels draws 1..8 units of a sparkline; zero days are a dot so that a
// quiet day and a small one never look alike.
var levels = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws one character per value, scaled to the largest value.
func Sparkline(vals []int) string {
	top := 0
	for _, v := range vals {
		top = max(top, v)
	}
	return SparklineTo(vals, top)
}

// SparklineTo draws vals on a scale whose full block is top.
func SparklineTo(vals []int, top int) string {
	top = max(top, 1)
	var b strings.Builder
	for _, v := range vals {
		switch {
		case v <= 0:
			b.WriteByte('.')
		default:
			i := (min(v, top)*len(levels) - 1) / top // 1..top -> 0..7
			b.WriteRune(levels[min(i, len(levels)-1)])
		}
	}
	return b.String()
}

// seriesLines renders failed and recovered per day, one character a day
// (both rows on the same scale), under a date axis.
func seriesLines(days []bd.Day, label func(string) string) []string {
	if len(days) == 0 {
		return nil
	}
	failed := make([]int, len(days))
	recovered := make([]int, len(days))
	top := 0
	for i, d := range days {
		failed[i], recovered[i] = d.Failed, d.Recovered
		top = max(top, d.Failed, d.Recovered)
	}
	scale := func(v []int) string { return SparklineTo(v, top) } // one scale for both rows
	first := days[0].Start.Format("01-02")
	last := days[len(days)-1].Start.Format("01-02")
	axis := first + " → " + last
	if pad := len(days) - len(first) - len(last); pad > 0 {
		axis = first + strings.Repeat(" ", pad) + last
	}
	sum := func(v []int) int {
		n := 0
		for _, x := range v {
			n += x
		}
		return n
	}
	return []string{
		label("per day    ") + axis,
		label("failed     ") + scale(failed) + fmt.Sprintf("  %d, max %d/day", sum(failed), top),
		label("recovered  ") + scale(recovered) + fmt.Sprintf("  %d", sum(recovered)),
	}
}
