package dunning

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the Dunning page's keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown key.Binding
	Window, Sort, Reverse      key.Binding
	OpenCustomer, OpenInvoice  key.Binding
	Retry                      key.Binding
}

// DefaultKeyMap returns the page's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Window:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "7/30/90 days")),
		Sort:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Reverse:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse")),
		OpenCustomer: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "customer")),
		OpenInvoice:  key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "open invoice")),
		Retry:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "retry now")),
	}
}
