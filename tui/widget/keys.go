package widget

import "github.com/charmbracelet/bubbles/key"

// The cursor keys every list page binds alike, so that ↑/k and ↓/j move
// the same way (and read the same in help) on every screen.

// UpKey moves a list's cursor up a row.
func UpKey() key.Binding {
	return key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up"))
}

// DownKey moves a list's cursor down a row.
func DownKey() key.Binding {
	return key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down"))
}

// PageUpKey moves up a screenful.
func PageUpKey() key.Binding {
	return key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up"))
}

// PageDownKey moves down a screenful.
func PageDownKey() key.Binding {
	return key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down"))
}
