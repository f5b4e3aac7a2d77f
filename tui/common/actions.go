package common

import (
	"slices"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
)

// ActionSpec is one money action a detail page offers for a kind: the key
// that starts it and the page (a form, a confirmation) it opens. Detail
// pages list every spec registered for their kind and show CanAct's reason
// instead of starting it when the session may not act.
type ActionSpec struct {
	Kind storage.Kind
	// Key is a single key ("R", "C") bound on the detail page and on the
	// table row of the kind. Keys the root, tables or detail pages use
	// (j k h l J y r q ? : / f F s g G, digits, esc, enter, tab...) are refused.
	Key string
	// Label is what the key does ("refund", "adjust credit").
	Label string
	// Action is what CanAct checks.
	Action billing.Action
	// Also are further actions the page it opens can take (the trial
	// page ends a trial or, for roles allowed to, extends it).
	Also []billing.Action
	// Open builds the action's first page for the object shown.
	Open func(c *Common, env storage.Envelope) (Page, error)
}

// Actions is a registry of action specs, filled once at start (main wires
// the packages that build money actions) and read by every session.
type Actions struct {
	mu    sync.RWMutex
	specs []ActionSpec
}

// DefaultActions is the registry New puts in a Common that has none.
var DefaultActions = &Actions{}

// reservedKeys are bound by the root model or by detail pages.
var reservedKeys = []string{"j", "k", "h", "l", "J", "y", "r", "q", "?", ":", "/", "f", "F", "s",
	"esc", "enter", "tab", "shift+tab", " ", "1", "2", "3", "4", "5", "6", "7", "8", "9",
	"up", "down", "left", "right", "pgup", "pgdown", "home", "g", "G"}

// Register adds (or, for the same kind and key, replaces) a spec. It
// reports false for a spec without Open or with a reserved key.
func (a *Actions) Register(s ActionSpec) bool {
	if s.Open == nil || s.Key == "" || slices.Contains(reservedKeys, s.Key) {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, old := range a.specs {
		if old.Kind == s.Kind && old.Key == s.Key {
			a.specs[i] = s
			return true
		}
	}
	a.specs = append(a.specs, s)
	return true
}

// For lists the specs of kind in registration order.
func (a *Actions) For(kind storage.Kind) []ActionSpec {
	if a == nil {
		return nil
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	var out []ActionSpec
	for _, s := range a.specs {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

// ForObject lists the specs of env's kind whose action env's state allows
// (billing.NotApplicable, Stripe's state rules): the keys a page offers
// for that object.
func (a *Actions) ForObject(env storage.Envelope) []ActionSpec {
	var out []ActionSpec
	if env.Deleted {
		return nil // Stripe refuses every action on a deleted object
	}
	for _, s := range a.For(env.Kind) {
		if billing.NotApplicable(s.Action, env.Kind, env.Raw) == "" {
			out = append(out, s)
		}
	}
	return out
}

// Start runs the spec for env: a toast with the reason when the session
// may not act or the object's state does not allow the action (as Stripe
// would refuse it), an error toast when the page cannot be built, else a
// push.
func (s ActionSpec) Start(c *Common, env storage.Envelope) tea.Cmd {
	if ok, why := c.CanAct(s.Action); !ok {
		return Toast(ToastWarn, s.Label+" unavailable: "+why)
	}
	if env.Deleted {
		return Toast(ToastWarn, s.Label+" not possible: "+env.ID+" was deleted in Stripe")
	}
	if why := billing.NotApplicable(s.Action, env.Kind, env.Raw); why != "" {
		return Toast(ToastWarn, s.Label+" not possible: "+why)
	}
	p, err := s.Open(c, env)
	if err != nil {
		return Toast(ToastError, s.Label+": "+err.Error())
	}
	return Push(p)
}
