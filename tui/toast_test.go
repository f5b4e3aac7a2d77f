package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/tui/common"
)

// TestToastKeepsFooterHelp: a toast takes the line above the footer, so
// the short help stays visible (the demo toasts a failed payment every
// few seconds) and the screen keeps its height; at 80 columns the page's
// keys give way to "? help" and "q quit", and the footer fits the width.
func TestToastKeepsFooterHelp(t *testing.T) {
	for _, size := range [][2]int{{120, 36}, {80, 24}} {
		m := start(session(nil, nil), size[0], size[1])
		drive(m, common.ToastMsg{Level: common.ToastError, Text: "payment failed: in_toast (cus_toast)"})
		lines := strings.Split(m.View(), "\n")
		if len(lines) != size[1] {
			t.Fatalf("%dx%d: %d lines with a toast", size[0], size[1], len(lines))
		}
		foot, above := lines[len(lines)-1], lines[len(lines)-2]
		if !strings.Contains(foot, "? help") || strings.Contains(foot, "payment failed") {
			t.Errorf("%dx%d footer with a toast: %q", size[0], size[1], foot)
		}
		if w := ansi.StringWidth(foot); w > size[0] {
			t.Errorf("%dx%d footer is %d cells wide: %q", size[0], size[1], w, foot)
		}
		if !strings.Contains(above, "payment failed: in_toast (cus_toast)") {
			t.Errorf("%dx%d line above the footer: %q", size[0], size[1], above)
		}
	}
}
