package main

import (
	"strings"
	"testing"
)

// TestHelpFlagPrintsCommandList: "paydesk --help" (and -h, -help) prints the
// command list as "paydesk help" does, not the console's flags; a command's
// own -h still prints that command's flags.
func TestHelpFlagPrintsCommandList(t *testing.T) {
	for _, arg := range []string{"help", "--help", "-h", "-help"} {
		code, out, errOut := runCLI(t, arg)
		if code != 0 {
			t.Fatalf("paydesk %s: exit %d, stderr %q", arg, code, errOut)
		}
		for _, want := range []string{"paydesk demo", "paydesk serve", "paydesk ls KIND", "paydesk refund CHARGE"} {
			if !strings.Contains(out, want) {
				t.Errorf("paydesk %s: output lacks %q:\n%s", arg, want, out)
			}
		}
	}
	code, out, errOut := runCLI(t, "tui", "--help")
	if code != 0 || !strings.Contains(errOut+out, "-read-only") {
		t.Errorf("paydesk tui --help: exit %d, want the console's flags, got %q %q", code, out, errOut)
	}
}
