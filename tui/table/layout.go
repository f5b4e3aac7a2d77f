package table

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/paydesk/paydesk/safetext"
)

// gap separates columns; the first cell of a row is the cursor marker.
const (
	gap    = 2
	marker = 2
)

// layout picks the columns that fit width and their widths: columns are
// dropped highest Priority first until the minimum widths fit, then flex
// columns share what is left.
func layout(cols []Column, width int) (shown []int, widths []int) {
	shown = make([]int, len(cols))
	for i := range cols {
		shown[i] = i
	}
	need := func() int {
		n := marker
		for j, i := range shown {
			if j > 0 {
				n += gap
			}
			n += cols[i].Width
		}
		return n
	}
	for need() > width && len(shown) > 1 {
		drop := -1
		for j, i := range shown {
			if cols[i].Priority > 0 && (drop < 0 || cols[i].Priority >= cols[shown[drop]].Priority) {
				drop = j
			}
		}
		if drop < 0 {
			break
		}
		shown = append(shown[:drop:drop], shown[drop+1:]...)
	}
	widths = make([]int, len(shown))
	flex := 0
	for j, i := range shown {
		widths[j] = cols[i].Width
		if cols[i].Flex {
			flex++
		}
	}
	extra := width - need()
	if extra > 0 && flex > 0 {
		each, rest := extra/flex, extra%flex
		for j, i := range shown {
			if cols[i].Flex {
				widths[j] += each
				if rest > 0 {
					widths[j]++
					rest--
				}
			}
		}
	}
	if extra < 0 && len(widths) > 0 { // even the kept columns are too wide: squeeze the last
		widths[len(widths)-1] = max(1, widths[len(widths)-1]+extra)
	}
	return shown, widths
}

// fitCell truncates s to w cells (with an ellipsis) and pads it.
func fitCell(s string, w int, right bool) string {
	s = safetext.Line(s)
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	pad := strings.Repeat(" ", max(0, w-sw))
	if right {
		return pad + s
	}
	return s + pad
}
