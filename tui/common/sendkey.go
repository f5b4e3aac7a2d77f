package common

import "github.com/charmbracelet/bubbles/key"

// The one rule of every confirmation not confirmed by a typed word (money
// actions, customer edits, links, an audit record's resolve or abandon):
// it is sent by y only. Enter never sends it, so the Enter keys of a form
// typed in a burst (the last field's Enter opens the confirmation) cannot
// carry on through it before the operator has read it. Irreversible
// actions keep their typed word followed by Enter.

// SendKeys are the keys that send such a confirmation.
var SendKeys = []string{"y"}

// SendKey is the binding of SendKeys with verb as its help ("send to
// Stripe", "resolve").
func SendKey(verb string) key.Binding {
	return key.NewBinding(key.WithKeys(SendKeys...), key.WithHelp(SendKeys[0], verb))
}

// EnterDoesNotSend is what a confirmation says when Enter is pressed on it.
const EnterDoesNotSend = "Not sent: press y to send (enter never sends a confirmation)."
