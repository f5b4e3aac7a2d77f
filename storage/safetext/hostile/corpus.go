// Package hostile is the hostile-string corpus the sanitising tests drive
// through every console view and CLI command, and a cache seeded with it:
// each string in every field a screen shows.
package hostile

import "strings"

// Case is one hostile string.
type Case struct {
	Name string
	Text string
}

// Long is the 10,000-character customer-typed string.
var Long = strings.Repeat("Wide name ", 1000)

// Corpus is every hostile string, in a fixed order.
var Corpus = []Case{
	{"osc0_title", "Eve \x1b]0;pwned\x07"},
	{"osc2_title_st", "Eve \x1b]2;renamed\x1b\\"},
	{"osc8_link", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"},
	{"osc52_clipboard", "clip \x1b]52;c;cHduZWQgY2xpcGJvYXJk\x07 end"},
	{"csi_clear_home", "eve\x1b[2J\x1b[H@example.test"},
	{"sgr_conceal", "\x1b[8;31;5mhidden\x1b[0m"},
	{"dcs", "\x1bP+q544e\x1b\\dcs"},
	{"c1_csi", "c1\u009b2Jcsi"},
	{"c1_osc", "c1\u009d0;c1title\u0007osc"},
	{"backspace", "paid\b\b\b\bvoid"},
	{"carriage_return", "ok\rEVIL"},
	{"line_feed", "two\nlines"},
	{"nul", "nul\x00byte"},
	{"del", "del\x7fete"},
	{"bidi_override", "invoice\u202Efdp.exe"},
	{"bidi_isolate", "\u2066iso\u2069late\u200f"},
	{"zwj_family", "👨\u200d👩\u200d👧\u200d👦 family 🏳️\u200d🌈"},
	{"cjk", "山田太郎株式会社・東京支店"},
	{"combining", "Zoe\u0308 Ame\u0301lie Z\u0335\u0321a\u0336l"},
	{"invisible", "zero\u200bwidth\ufeffbom\u00adshy"},
	{"long_10000", Long},
}

// All is every short corpus string in one.
func All() string {
	var b strings.Builder
	for _, c := range Corpus {
		if c.Name != "long_10000" {
			b.WriteString(c.Text + "|")
		}
	}
	return b.String()
}

// Payloads are byte sequences of the corpus that must never appear in
// output as they are: a scanner that only knows escape grammar lets SGR
// through (it is also the program's own styling), so the corpus's own SGR
// is looked for by its bytes.
var Payloads = []string{"\x1b[8;31;5m"}
