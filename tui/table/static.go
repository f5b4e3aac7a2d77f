package table

import (
	"strings"

	"github.com/paydesk/paydesk/tui/common"
)

// Render draws rows of cells as a static list (the related objects on a
// detail page) with the table's column fitting, header and status colours.
func Render(s *common.Styles, cols []Column, rows [][]string, width int) string {
	shown, widths := Layout(cols, width, rows)
	var b strings.Builder
	var hdr strings.Builder
	hdr.WriteString(strings.Repeat(" ", marker))
	for j, i := range shown {
		if j > 0 {
			hdr.WriteString(strings.Repeat(" ", gap))
		}
		hdr.WriteString(fitCell(strings.ToUpper(cols[i].Title), widths[j], cols[i].Right))
	}
	b.WriteString(s.Label.Render(strings.TrimRight(hdr.String(), " ")))
	for _, cells := range rows {
		b.WriteString("\n" + strings.Repeat(" ", marker))
		var line strings.Builder
		for j, i := range shown {
			if j > 0 {
				line.WriteString(strings.Repeat(" ", gap))
			}
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			text := fitCell(cell, widths[j], cols[i].Right)
			if j == len(shown)-1 {
				text = strings.TrimRight(text, " ")
			}
			if cols[i].Status {
				text = s.Status(cell).Render(text)
			}
			line.WriteString(text)
		}
		b.WriteString(line.String())
	}
	return b.String()
}
