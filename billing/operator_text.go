package billing

import (
	"fmt"
	"unicode/utf8"

	"github.com/paydesk/paydesk/storage/safetext"
)

// CheckText is the one check of text an operator sends to Stripe (names,
// emails, phones, addresses, descriptions, memos, comments, evidence text,
// metadata values, promotion codes, return URLs), called by every Prepare
// and by the console's form fields as they are typed. Text is refused,
// never altered: invalid UTF-8, C0 controls (TAB and newline allowed only
// when multiline), carriage returns, DEL, C1 controls (U+0080-U+009F), bidi
// embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and
// marks (U+200E, U+200F, U+061C), line and paragraph separators, and other
// invisible format characters (zero-width space U+200B, word joiner U+2060,
// BOM U+FEFF, soft hyphen U+00AD). The zero-width joiner and non-joiner
// (emoji families, Indic and Persian script) and emoji tag characters
// (U+E0020-U+E007F, subdivision flags) are kept. The set is what
// safetext.Unsafe escapes on the way back to a terminal.
//
// label names the field in the message ("name", "memo"). The error is a
// *FieldError on field naming the character, its code point and its
// position in characters (1-based), e.g. `name contains U+001B (escape) at
// character 6: control and bidi characters are refused, nothing was
// sent; type the text without it`.
func CheckText(field, label, v string, multiline bool) error {
	pos := 0
	for i, r := range v {
		pos++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(v[i:]); size == 1 {
				return fieldErrf(field, "%s is not valid UTF-8 (byte 0x%02x at character %d): nothing was sent", label, v[i], pos)
			}
		}
		if !refusedRune(r, multiline) {
			continue
		}
		return fieldErrf(field, "%s contains %s at character %d: control, bidi and invisible characters are refused%s, nothing was sent; type the text without it",
			label, RuneName(r), pos, map[bool]string{true: " (newlines and tabs are fine)", false: " (one line, no tabs)"}[multiline])
	}
	return nil
}

func refusedRune(r rune, multiline bool) bool {
	switch {
	case multiline && (r == '\n' || r == '\t'):
		return false
	case r >= 0xe0020 && r <= 0xe007f: // emoji tag sequences (subdivision flags)
		return false
	}
	return safetext.Unsafe(r)
}

// runeNames are the refused characters an operator is most likely to meet,
// by their Unicode names.
var runeNames = map[rune]string{
	0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x09: "tab", 0x0a: "newline", 0x0b: "vertical tab",
	0x0c: "form feed", 0x0d: "carriage return", 0x1b: "escape", 0x7f: "delete", 0x85: "next line",
	0x9b: "control sequence introducer", 0x9d: "operating system command", 0xad: "soft hyphen",
	0x061c: "Arabic letter mark", 0x200b: "zero width space", 0x200e: "left-to-right mark", 0x200f: "right-to-left mark",
	0x2028: "line separator", 0x2029: "paragraph separator", 0x202a: "left-to-right embedding",
	0x202b: "right-to-left embedding", 0x202c: "pop directional formatting", 0x202d: "left-to-right override",
	0x202e: "right-to-left override", 0x2060: "word joiner", 0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate", 0x2068: "first strong isolate", 0x2069: "pop directional isolate",
	0xfeff: "zero width no-break space",
}

// RuneName is a character as an operator can find it: its code point and,
// for controls and format characters, what it is ("U+202E (right-to-left
// override)", "U+0001 (control character)").
func RuneName(r rune) string {
	name, ok := runeNames[r]
	switch {
	case ok:
	case r < 0x20 || (r >= 0x80 && r <= 0x9f):
		name = "control character"
	default:
		name = "invisible format character"
	}
	return fmt.Sprintf("U+%04X (%s)", r, name)
}
