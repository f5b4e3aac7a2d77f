package widget

import "testing"

func TestScroll(t *testing.T) {
	cases := []struct {
		cursor, offset, n, visible int
		wantCursor, wantOffset     int
	}{
		{0, 0, 0, 5, 0, 0},   // empty list
		{3, 0, 10, 5, 3, 0},  // inside the window
		{7, 0, 10, 5, 7, 3},  // below it: window follows
		{2, 5, 10, 5, 2, 2},  // above it: window follows
		{42, 0, 10, 5, 9, 5}, // past the end: last row, last window
		{-3, 4, 10, 5, 0, 0}, // before the start
		{1, 8, 10, 5, 1, 1},  // offset never past the last full window
		{4, 0, 10, 0, 4, 4},  // no room: one visible row
		{2, 6, 3, 5, 2, 0},   // shorter than the window
	}
	for _, c := range cases {
		cur, off := Scroll(c.cursor, c.offset, c.n, c.visible)
		if cur != c.wantCursor || off != c.wantOffset {
			t.Errorf("Scroll(%d, %d, %d, %d) = %d, %d; want %d, %d",
				c.cursor, c.offset, c.n, c.visible, cur, off, c.wantCursor, c.wantOffset)
		}
	}
}
