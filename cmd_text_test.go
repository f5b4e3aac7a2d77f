package main

import (
	"strings"
	"testing"
)

// TestCLIRefusesControlCharactersInText: a flag value with terminal
// controls is refused with the field and the character named, in dry run
// and with --yes alike; nothing is planned or sent.
func TestCLIRefusesControlCharactersInText(t *testing.T) {
	db, base, px := cliSandbox(t)
	cus := firstCustomer(t, base)
	for _, args := range [][]string{
		{"customer", "edit", cus, "--name", "Evil\x1b]0;pwned\x07Name", "--db", db},
		{"customer", "edit", cus, "--name", "Evil\x1b]0;pwned\x07Name", "--yes", "--db", db},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != 1 || !strings.Contains(errOut, "Name contains U+001B (escape) at character 5") || strings.Contains(out, "Idempotency key") {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
		if strings.Contains(out+errOut, "\x1b") || strings.Contains(out+errOut, "\x07") {
			t.Fatalf("raw control bytes in the output: %q %q", out, errOut)
		}
	}
	if n := px.Effects("POST", "/v1/customers/"+cus); n != 0 {
		t.Fatalf("%d edits sent", n)
	}
}
