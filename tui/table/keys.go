package table

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/paydesk/paydesk/tui/widget"
)

// KeyMap are the table's keys.
type KeyMap struct {
	Up, Down, PageDown, PageUp, Top key.Binding
	Open, Filter, Status, Sort      key.Binding
	Raw, Copy, Refetch, Clear       key.Binding
}

// DefaultKeyMap follows DESIGN.md's TUI conventions.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       widget.UpKey(),
		Down:     widget.DownKey(),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "right", "l", "ctrl+f", " "), key.WithHelp("pgdn", "next page")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "left", "h", "ctrl+b"), key.WithHelp("pgup", "prev page")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first page")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Status:   key.NewBinding(key.WithKeys("f", "F"), key.WithHelp("f", "status")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Raw:      key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "json")),
		Copy:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy id")),
		Refetch:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refetch")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}
