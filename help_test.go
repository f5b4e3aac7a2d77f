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

// TestBadFlagIsOneUsageError: a flag no command knows is a usage error
// (exit 2, like an unknown command), said once with where the flags are
// listed. Before, "paydesk --bogus" printed the flag package's message,
// every default of the console, the message again, and exited 1.
func TestBadFlagIsOneUsageError(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"--bogus"}, {"ls", "--bogus"}, {"sync", "--bogus"}, {"demo", "--bogus"}, {"refund", "ch_1", "--bogus"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 2 {
			t.Errorf("paydesk %v: exit %d, want 2", args, code)
		}
		if n := strings.Count(errOut, "flag provided but not defined"); n != 1 || !strings.Contains(errOut, "--help lists its flags") || out != "" {
			t.Errorf("paydesk %v: stdout %q, stderr %q", args, out, errOut)
		}
	}
	if _, out, _ := runCLI(t, "help"); !strings.Contains(out, "PAYDESK_WEBHOOK_ADDR") {
		t.Errorf("paydesk help does not list PAYDESK_WEBHOOK_ADDR:\n%s", out)
	}
}
