package actions_test

import (
	"testing"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/actions"
)

// TestEveryActionHasAKey: each action billing describes (billing.Specs)
// can be started from the console, on the detail page of every kind it
// applies to; an action added to billing without a key fails here.
func TestEveryActionHasAKey(t *testing.T) {
	type onKind struct {
		act  billing.Action
		kind string
	}
	keyed := map[onKind]string{}
	for _, s := range actions.Specs() {
		for _, a := range append([]billing.Action{s.Action}, s.Also...) {
			keyed[onKind{a, string(s.Kind)}] = s.Key
		}
	}
	for _, s := range billing.Specs() {
		for _, k := range s.Kinds {
			if keyed[onKind{s.Action, string(k)}] == "" {
				t.Errorf("%s (%s) has no key on the %s page", s.Name, s.Action, k)
			}
		}
	}
}
