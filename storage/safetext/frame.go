package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Frame is the console's last guard over a whole rendered frame: it keeps
// SGR styling (ESC [ params m) and newlines, turns TAB into a space, and
// drops every other escape sequence (CSI, OSC up to BEL or ST, DCS/SOS/PM/APC
// up to ST, two-byte ESC sequences), every other unsafe rune and every
// invalid byte. Dropping keeps the layout: the widths the frame was laid out
// with count none of them.
func Frame(s string) string {
	if frameClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			n, sgr := sequence(s[i:])
			if sgr {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError && n <= 1, Unsafe(r):
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func frameClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\n' {
			i++
			continue
		}
		if c == 0x1b {
			n, sgr := sequence(s[i:])
			if !sgr {
				return false
			}
			i += n
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

// sequence measures the escape sequence at the start of s (s[0] == ESC) and
// says whether it is SGR.
func sequence(s string) (n int, sgr bool) {
	if len(s) < 2 {
		return len(s), false
	}
	switch s[1] {
	case '[':
		i := 2
		for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
			i++
		}
		params := s[2:i]
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i >= len(s) || s[i] < 0x40 || s[i] > 0x7e {
			return i, false
		}
		return i + 1, s[i] == 'm' && sgrParams(params)
	case ']', 'P', 'X', '^', '_':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 && s[1] == ']' {
				return i + 1, false
			}
			if s[i] == 0x1b {
				if i+1 < len(s) && s[i+1] == '\\' {
					return i + 2, false
				}
				return i, false
			}
		}
		return len(s), false
	}
	_, w := utf8.DecodeRuneInString(s[1:])
	return 1 + w, false
}

// sgrParams accepts the parameter bytes of SGR styling: digits, ';' and ':'.
func sgrParams(p string) bool {
	for i := 0; i < len(p); i++ {
		if c := p[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

// Finding is one thing Scan found that a terminal would act on.
type Finding struct {
	Offset int    // byte offset in the scanned output
	What   string // e.g. `CSI "2J"`, `OSC`, `U+202E`, `byte 0x9b`
}

func (f Finding) String() string { return fmt.Sprintf("%s at byte %d", f.What, f.Offset) }

// Scan reports every byte sequence in out that a terminal would act on
// other than SGR styling and LF.
func Scan(out []byte) []Finding {
	var fs []Finding
	s := string(out)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\n' {
			i++
			continue
		}
		if c == 0x1b {
			n, sgr := sequence(s[i:])
			if !sgr {
				fs = append(fs, Finding{i, fmt.Sprintf("escape %q", s[i:i+n])})
			}
			i += n
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fs = append(fs, Finding{i, fmt.Sprintf("byte 0x%02x", c)})
		case Unsafe(r):
			fs = append(fs, Finding{i, fmt.Sprintf("U+%04X", r)})
		}
		i += n
	}
	return fs
}
