package widget

import "testing"

func TestTruncCellSpread(t *testing.T) {
	cases := []struct{ got, want string }{
		{Trunc("card_declined", 20), "card_declined"},
		{Trunc("card_declined", 6), "card_…"},
		{Trunc("abc", 0), "…"},
		{Cell("ab", 5, false), "ab   "},
		{Cell("ab", 5, true), "   ab"},
		{Cell("abcdefg", 5, true), "abcd…"},
		{Spread("L", "R", 6), "L    R"},
		{Spread("left", "right", 6), "left  right"},
		{Spread("L", "R", 0), "L  R"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

// TestFitLinesMarksTheCut: a line wider than the page ends in "…" (a
// viewport cuts without a mark: "(cus_7JEmjGC" read as a whole id), and
// narrower lines and styles are kept.
func TestFitLinesMarksTheCut(t *testing.T) {
	got := FitLines("short\nvoid applies only when open or uncollectible\n\x1b[1mbold text here\x1b[0m", 20)
	want := "short\nvoid applies only w…\n\x1b[1mbold text here\x1b[0m"
	if got != want {
		t.Fatalf("FitLines:\n%q\nwant\n%q", got, want)
	}
}
