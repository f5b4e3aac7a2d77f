package common

import (
	"github.com/paydesk/paydesk/storage"
)

// LiveMsg carries one change of the store's feed (storage.Change: an
// event from a webhook, catch-up or replay, a backfill page, a refetch, an
// intent or audit write, a rejected delivery) to every page on the stack.
// The root model reads the feed one change per command and re-arms it, so
// a page never blocks on the feed; it only decides whether the change
// touches what it shows (Touches) and reloads from the cache if so.
type LiveMsg struct{ Change storage.Change }

// Touches reports whether the change may alter an object of kind with
// id (or, for a customer id, anything of that customer). A Reload change
// touches everything; a backfill page (no object id) touches every object
// of its kind and every customer's related lists.
func (m LiveMsg) Touches(kind storage.Kind, id string) bool {
	n := m.Change
	if n.Reload {
		return true
	}
	r := n.Result
	if !r.Changed() {
		return false
	}
	if r.ObjectID == "" {
		if kind == "" {
			kind, _ = storage.KindOfID(id)
		}
		return r.Kind == kind || kind == storage.KindCustomer
	}
	if r.ObjectID == id && (kind == "" || r.Kind == kind) {
		return true
	}
	return kind == storage.KindCustomer && r.Customer == id
}

// RefreshMsg asks every page to reload what it shows from the cache (sent
// after a refetch or when the root model wants a full redraw).
type RefreshMsg struct{}

// InputCapturer is implemented by pages that sometimes take every key
// (a focused filter or form field): while CapturingInput is true the root
// model hands them keys like "q", ":" and "1" instead of acting on them.
// ctrl+c quits (after a page holding work, see Interruptible, answered it once).
type InputCapturer interface {
	CapturingInput() bool
}

// StackMsg is implemented by the answers of commands a page starts for
// itself (a Stripe read in the background): the root model hands them to
// every page on the stack, like LiveMsg, because another page may be on
// top by the time the answer lands. Each page keeps only its own answers.
type StackMsg interface {
	// StackWide marks the message; it does nothing.
	StackWide()
}
