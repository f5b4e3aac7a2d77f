package widget

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/paydesk/paydesk/storage/safetext"
)

// Trunc passes s through safetext.Line and cuts it to at most w cells by
// grapheme cluster, ending it with "…" when it was longer (a column with no
// room still shows "…" when s has something).
func Trunc(s string, w int) string {
	if w <= 0 && s != "" {
		return "…"
	}
	return safetext.Cell(s, w)
}

// Cell fits s into a column w cells wide: made safe and truncated, then
// padded on the right (or, for a right-aligned column, on the left).
func Cell(s string, w int, right bool) string {
	s = Trunc(s, w)
	pad := strings.Repeat(" ", max(0, w-lipgloss.Width(s)))
	if right {
		return pad + s
	}
	return s + pad
}

// Spread puts left and right on one line of width w (two spaces apart when
// they do not fit).
func Spread(left, right string, w int) string {
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if w <= 0 || gap < 2 {
		return left + "  " + right
	}
	return left + strings.Repeat(" ", gap) + right
}

// FitLines cuts every line of s wider than w cells with "…" (styles are
// kept), so text a page hands to a viewport never loses its end silently:
// the viewport itself cuts at its width without a mark.
func FitLines(s string, w int) string {
	if w <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	return strings.Join(lines, "\n")
}
