package widget

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Trunc cuts s to at most w cells, ending it with "…" when it was longer.
func Trunc(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	return string(r[:max(0, w-1)]) + "…"
}

// Cell fits s into a column w cells wide: truncated, then padded on the
// right (or, for a right-aligned column, on the left).
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
