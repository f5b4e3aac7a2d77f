package common

import tea "github.com/charmbracelet/bubbletea"

// Leaver is a page that answers esc itself where the root would otherwise
// go back (pop it): a money action's confirmation says that nothing was
// sent, or first asks before text the operator typed is thrown away.
type Leaver interface {
	// Leave returns the command answering esc and true, or false to let
	// the root go back as usual.
	Leave() (tea.Cmd, bool)
}

// Holder is a page that must not be left by a jump elsewhere (a view key,
// : or ctrl+f) while Holding: an open money confirmation, which a stray
// digit would otherwise throw away unseen. Esc still leaves it (Leaver).
type Holder interface {
	// Holding returns why the page holds the operator, "" when it does not.
	Holding() string
}
