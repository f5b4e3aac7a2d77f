package safetext

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// JSON returns a Stripe object's JSON indented by two spaces, with every
// unsafe rune inside it written as a JSON escape (`\u001b`, surrogate pairs
// above U+FFFF) and invalid UTF-8 as `\ufffd`: the text stays valid JSON
// meaning the same object, and no byte of it acts on a terminal. Secrets are
// redacted (Redact: `"client_secret": "[redacted]"`). Input that is not JSON
// is returned as Line would show it, one line per source line.
func JSON(raw []byte) string {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		lines := strings.Split(string(raw), "\n")
		for i, l := range lines {
			lines[i] = Line(l)
		}
		return strings.Join(lines, "\n")
	}
	return EscapeJSON(b.String())
}

// EscapeJSON escapes the unsafe runes of an already formatted JSON text,
// keeping its newlines (the indentation's) as they are, and redacts its
// secrets (Redact).
func EscapeJSON(s string) string {
	s = Redact(s)
	if clean(strings.ReplaceAll(s, "\n", " ")) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case r == utf8.RuneError && n <= 1:
			b.WriteString(`\ufffd`)
		case Unsafe(r):
			if r > 0xffff {
				hi, lo := utf16Pair(r)
				writeEscape(&b, hi)
				writeEscape(&b, lo)
			} else {
				writeEscape(&b, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff
}
