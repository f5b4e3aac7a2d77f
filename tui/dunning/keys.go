package dunning

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/paydesk/paydesk/tui/widget"
)

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
		Up:           widget.UpKey(),
		Down:         widget.DownKey(),
		PageUp:       widget.PageUpKey(),
		PageDown:     widget.PageDownKey(),
		Window:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "7/30/90 days")),
		Sort:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Reverse:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse")),
		OpenCustomer: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "customer")),
		OpenInvoice:  key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "open invoice")),
		Retry:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "retry now")),
	}
}
