package dunning

import (
	"fmt"
	"strings"

	bd "github.com/paydesk/paydesk/billing/dunning"
	"github.com/paydesk/paydesk/tui/format"
)

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
	scale := func(v []int) string { return format.SparklineTo(v, top) } // one scale for both rows
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
