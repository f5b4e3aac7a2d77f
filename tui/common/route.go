package common

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
)

// OpenObjectMsg asks the root model to open the detail page of a cached
// object (enter on a dunning worklist row, a webhook delivery's object).
type OpenObjectMsg struct {
	Kind storage.Kind
	ID   string
}

// ActionRequestMsg asks the root model to start a money action on Target
// (a Stripe id) through the money-actions forms, e.g. "retry now"
// (billing.ActionInvoicePay on an invoice) from the dunning worklist.
type ActionRequestMsg struct {
	Action billing.Action
	Target string
}

// OpenObject returns a command that emits OpenObjectMsg.
func OpenObject(kind storage.Kind, id string) tea.Cmd {
	return func() tea.Msg { return OpenObjectMsg{Kind: kind, ID: id} }
}

// RequestAction returns a command that emits ActionRequestMsg.
func RequestAction(a billing.Action, target string) tea.Cmd {
	return func() tea.Msg { return ActionRequestMsg{Action: a, Target: target} }
}

// OperatorChangedMsg tells a session its operator changed while it was
// open (an SSH key's role edited in the authorized-keys file): the root
// model takes the new operator, a viewer becomes read-only and every page
// redraws what it offers.
type OperatorChangedMsg struct {
	Operator billing.Operator
}
