package widget

// Scroll keeps a list's cursor on one of its n rows and the window of
// visible rows (starting at offset) around it: the cursor is clamped to
// [0, n-1], the window moves just enough to show it, and never starts past
// the last full window. visible below 1 counts as 1.
func Scroll(cursor, offset, n, visible int) (newCursor, newOffset int) {
	cursor = max(0, min(cursor, n-1))
	visible = max(1, visible)
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+visible {
		offset = cursor - visible + 1
	}
	offset = max(0, min(offset, max(0, n-visible)))
	return cursor, offset
}
