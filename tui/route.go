package tui

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/resources"
)

// openObject pushes the detail page of a cached object (OpenObjectMsg from
// the dunning worklist, a webhook delivery...).
func (m *Model) openObject(msg common.OpenObjectMsg) tea.Cmd {
	env, err := m.lookup(msg.Kind, msg.ID)
	if err != nil {
		return m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: err.Error()})
	}
	m.showHelp = false
	return m.push(resources.Open(m.c, env.Kind, env.ID))
}

// requestAction starts the money action registered for the target's kind
// (ActionRequestMsg, e.g. "retry now" on a dunning row), or says why not.
func (m *Model) requestAction(msg common.ActionRequestMsg) tea.Cmd {
	env, err := m.lookup("", msg.Target)
	if err != nil {
		return m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: err.Error()})
	}
	for _, spec := range m.c.Actions.For(env.Kind) {
		if spec.Action == msg.Action {
			return spec.Start(m.c, env)
		}
	}
	return m.showToast(common.ToastMsg{Level: common.ToastWarn,
		Text: string(msg.Action) + " on " + string(env.Kind) + "s is not available in this build"})
}

// lookup reads kind/id from the cache; an empty kind is guessed from the id.
func (m *Model) lookup(kind storage.Kind, id string) (storage.Envelope, error) {
	var env storage.Envelope
	var err error
	if kind == "" {
		env, err = m.c.Store.Find(id)
	} else {
		env, err = m.c.Store.Get(kind, id)
	}
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return env, errors.New(common.NotCached(id))
	case err != nil:
		return env, errors.New("cannot read " + id + ": " + err.Error())
	}
	return env, nil
}
