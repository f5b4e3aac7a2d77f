package tui

import "github.com/charmbracelet/bubbles/key"

// rootKeys are bound on every page (unless the page captures input).
type rootKeys struct {
	Quit, Help, Command, Back, View, Find key.Binding
}

func defaultRootKeys() rootKeys {
	return rootKeys{
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Command: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "view by name, or open a pasted id")),
		Find:    key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", "find anything")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		View:    key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "views")),
	}
}
