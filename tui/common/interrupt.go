package common

import tea "github.com/charmbracelet/bubbletea"

// Interruptible is implemented by pages that hold work a ctrl+c would lose
// silently: a half-typed form, a confirmation not yet sent, a request on
// its way to Stripe. The root model's first ctrl+c on such a page calls
// Interrupt instead of quitting; a second ctrl+c in a row quits.
type Interruptible interface {
	// Interrupt returns the command that answers ctrl+c (cancel the form
	// and say so, or say what quitting would leave) and true, or false
	// when the page holds nothing and ctrl+c may quit at once.
	Interrupt() (tea.Cmd, bool)
}
