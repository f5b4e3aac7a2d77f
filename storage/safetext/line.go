package safetext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Unsafe reports whether r must not reach a terminal as itself: C0 (every
// one), DEL, C1, bidi controls, line/paragraph separators and invisible
// format characters other than the zero-width joiner and non-joiner.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x200c, r == 0x200d: // ZWNJ, ZWJ: part of emoji and script shapes
		return false
	case r == 0x2028, r == 0x2029:
		return true
	}
	return r > 0x9f && unicode.Is(unicode.Cf, r)
}

// Line returns s ready for one line of a terminal: every unsafe rune written
// as an escape (`\u001b`, `\u202e`, `\U000e0041`), every invalid UTF-8
// byte as `\xNN` and every secret redacted (Redact). Clean text is returned
// unchanged.
func Line(s string) string {
	s = Redact(s)
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case Unsafe(r):
			writeEscape(&b, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Cell is Line cut to at most w terminal cells, ending in "…" when cut.
func Cell(s string, w int) string { return Trunc(Line(s), w) }

// Width is the number of terminal cells s takes, by grapheme cluster;
// escape sequences (the program's own styling) take none.
func Width(s string) int { return ansi.StringWidth(s) }

// Trunc cuts s (already safe, possibly styled) to at most w cells by whole
// grapheme clusters, ending it in "…" when it was longer.
func Trunc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// clean reports whether s is valid UTF-8 without unsafe runes (the common
// case, checked without allocating).
func clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || Unsafe(r) {
			return false
		}
		i += n
	}
	return true
}

func writeEscape(b *strings.Builder, r rune) {
	if r > 0xffff {
		b.WriteString(`\U`)
		b.WriteString(pad(strconv.FormatInt(int64(r), 16), 8))
		return
	}
	b.WriteString(`\u`)
	b.WriteString(pad(strconv.FormatInt(int64(r), 16), 4))
}

func hex2(c byte) string { return pad(strconv.FormatInt(int64(c), 16), 2) }

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// Text is Line for multi-line text (evidence, descriptions in a text
// area): LF stays a line break, everything else unsafe is escaped.
func Text(s string) string {
	if !strings.ContainsRune(s, '\n') {
		return Line(s)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Line(l)
	}
	return strings.Join(lines, "\n")
}
