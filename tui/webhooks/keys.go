package webhooks

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/paydesk/paydesk/tui/widget"
)

// KeyMap is the Webhooks page's keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top key.Binding
	Pause, TypeFilter, Verdict      key.Binding
	Object, Clear                   key.Binding
	Detail, OpenObject, Replay      key.Binding
}

// DefaultKeyMap returns the list's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:         widget.UpKey(),
		Down:       widget.DownKey(),
		PageUp:     widget.PageUpKey(),
		PageDown:   widget.PageDownKey(),
		Top:        key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "newest")),
		Pause:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pause/resume")),
		TypeFilter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "type glob")),
		Verdict:    key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verdict")),
		Object:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "this object")),
		Clear:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "clear filters")),
		Detail:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		OpenObject: key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "open object")),
		Replay:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "replay")),
	}
}

// DetailKeyMap is the detail page's keys.
type DetailKeyMap struct {
	Up, Down, PageUp, PageDown key.Binding
	Toggle, Search, Next, Prev key.Binding
	Fold                       key.Binding
	Replay, OpenObject, Back   key.Binding
}

// DefaultDetailKeyMap returns the detail page's bindings.
func DefaultDetailKeyMap() DetailKeyMap {
	return DetailKeyMap{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll")),
		PageUp:     widget.PageUpKey(),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down")),
		Toggle:     key.NewBinding(key.WithKeys("d", "tab"), key.WithHelp("d", "event/diff")),
		Search:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Next:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		Prev:       key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "prev match")),
		Fold:       key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "fold depth")),
		Replay:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "replay")),
		OpenObject: key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "open object")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}
