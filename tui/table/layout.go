package table

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/paydesk/paydesk/storage/safetext"
)

// gap separates columns; the first cell of a row is the cursor marker.
const (
	gap    = 2
	marker = 2
)

// Layout picks the columns of cols that fit width cells and their widths,
// for the rows about to be drawn (nil: size by Width alone). Exported so
// pages that draw their own rows (the webhook tail) fit columns the same
// way. The order in which a narrow terminal takes space away:
//
//  1. every column is only as wide as its widest cell on the page (and its
//     title), up to Width: a Status column of "active" rows takes 8 cells,
//     not the 18 "incomplete_expired" would need;
//  2. free text (Flex columns, and any column with Priority > 0 and a Min)
//     shrinks to its Min, so an email is cut with … before anything goes;
//  3. columns are dropped, highest Priority first (0 is never dropped),
//     also when keeping one would cut a more important column below its
//     natural width;
//  4. ids and money (Priority 0) shrink to their Min, if they have one;
//  5. the last column is squeezed.
//
// Space is given back in the opposite order: Priority-0 columns first, then
// by Priority, then Flex columns up to their widest cell, then Flex columns
// share what is left evenly.
func Layout(cols []Column, width int, rows [][]string) (shown []int, widths []int) {
	natural := make([]int, len(cols))
	content := make([]int, len(cols)) // widest cell (and title); Width without rows
	for i, c := range cols {
		natural[i], content[i] = c.Width, c.Width
		if rows == nil {
			continue
		}
		w := ansi.StringWidth(c.Title)
		for _, r := range rows {
			if i < len(r) {
				w = max(w, ansi.StringWidth(r[i]))
			}
		}
		content[i] = w
		if !c.Flex {
			natural[i] = min(c.Width, w)
		}
	}
	// low is the narrowest a column may be at a stage: stage 0 shrinks free
	// text only, stage 1 also ids and money.
	low := func(i, stage int) int {
		c := cols[i]
		if c.Min <= 0 || c.Min >= natural[i] {
			return natural[i]
		}
		if c.Flex || c.Priority > 0 || stage > 0 {
			return c.Min
		}
		return natural[i]
	}
	shown = make([]int, len(cols))
	for i := range cols {
		shown[i] = i
	}
	need := func(stage int) int {
		n := marker
		for j, i := range shown {
			if j > 0 {
				n += gap
			}
			n += low(i, stage)
		}
		return n
	}
	for need(0) > width && len(shown) > 1 {
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
	// a column also goes when keeping it would cut a more important one
	// below its natural width (an email cut so that CREATED can stay)
	for len(shown) > 1 {
		drop := -1
		for j, i := range shown {
			if cols[i].Priority > 0 && (drop < 0 || cols[i].Priority >= cols[shown[drop]].Priority) {
				drop = j
			}
		}
		if drop < 0 {
			break
		}
		p := cols[shown[drop]].Priority
		n := marker
		for j, i := range shown {
			if j > 0 {
				n += gap
			}
			if cols[i].Priority < p {
				n += max(low(i, 0), min(natural[i], content[i]))
			} else {
				n += low(i, 0)
			}
		}
		if n <= width {
			break
		}
		shown = append(shown[:drop:drop], shown[drop+1:]...)
	}
	stage := 0
	if need(0) > width {
		stage = 1
	}
	widths = make([]int, len(shown))
	for j, i := range shown {
		widths[j] = low(i, stage)
	}
	extra := width - need(stage)
	// give back: Priority 0 first, then by Priority, each up to its natural width
	grow := func(ok func(c Column) bool) {
		for j, i := range shown {
			if extra <= 0 {
				return
			}
			if ok(cols[i]) {
				add := min(extra, natural[i]-widths[j])
				widths[j] += add
				extra -= add
			}
		}
	}
	grow(func(c Column) bool { return c.Priority == 0 && !c.Flex })
	maxPrio := 0
	for _, i := range shown {
		maxPrio = max(maxPrio, cols[i].Priority)
	}
	for p := 0; p <= maxPrio; p++ {
		grow(func(c Column) bool { return c.Priority == p })
	}
	// flex columns first grow to their widest cell, then share the rest
	for j, i := range shown {
		if cols[i].Flex && extra > 0 && content[i] > widths[j] {
			add := min(extra, content[i]-widths[j])
			widths[j] += add
			extra -= add
		}
	}
	flex := 0
	for _, i := range shown {
		if cols[i].Flex {
			flex++
		}
	}
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
