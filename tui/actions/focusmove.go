package actions

import tea "github.com/charmbracelet/bubbletea"

// huh moves the focus between fields with a message of its own (NextField,
// PrevField): a key that moves it (enter, tab, shift+tab) returns a command
// whose message moves it later. Keys that arrive before that message (typed
// quickly, or read together over SSH: "enter 7 5 tab") would reach the field
// being left — a select drops digits — so the flow holds them until the
// move has happened and then hands them to the form in order.

// settledMsg says the commands of a focus-moving key have been delivered.
type settledMsg struct{ flow *Flow }

// movesFocus reports whether k may move a form's focus.
func movesFocus(k tea.KeyMsg) bool {
	switch k.Type {
	case tea.KeyEnter, tea.KeyTab, tea.KeyShiftTab:
		return !k.Paste
	}
	return false
}

// afterMove runs cmd (what the form answered a focus-moving key) and then
// releases the keys held meanwhile. Bubble Tea delivers a sequence's
// messages in order, so the form has moved its focus when settledMsg comes.
func (f *Flow) afterMove(cmd tea.Cmd) tea.Cmd {
	f.moving = true
	flow := f
	return tea.Sequence(cmd, func() tea.Msg { return settledMsg{flow: flow} })
}

// hold keeps k while a focus move is under way; it reports whether it did.
func (f *Flow) hold(k tea.KeyMsg) bool {
	if !f.moving {
		return false
	}
	f.held = append(f.held, k)
	return true
}

// settle hands the held keys to the form in order, stopping at another
// focus move (the rest wait for that one). Keys held for a form that is no
// longer shown (it was completed) are dropped: they were typed for the
// form, and must not act on the confirmation.
func (f *Flow) settle() tea.Cmd {
	f.moving = false
	var cmds []tea.Cmd
	for len(f.held) > 0 && !f.moving {
		k := f.held[0]
		f.held = f.held[1:]
		if f.st != stForm {
			f.held = nil
			break
		}
		cmds = append(cmds, f.onKey(k))
	}
	return tea.Batch(cmds...)
}
