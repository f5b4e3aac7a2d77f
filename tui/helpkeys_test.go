package tui

import (
	"strings"
	"testing"
)

// TestHelpOffersOnlyWorkingKeys: Customers have no status filter, so
// neither the footer nor ? offers "f status" there (f only toasts that
// it does nothing); Subscriptions have one and offer it.
func TestHelpOffersOnlyWorkingKeys(t *testing.T) {
	m := start(session(nil, nil), 160, 36)
	footer := func() string { v := strings.Split(m.View(), "\n"); return v[len(v)-1] }
	if f := footer(); strings.Contains(f, "f status") || !strings.Contains(f, "s sort") {
		t.Errorf("customers footer: %q", f)
	}
	drive(m, keyMsg("?"))
	if v := m.View(); strings.Contains(v, "f   status") || strings.Contains(v, "f status") || !strings.Contains(v, "sort") {
		t.Errorf("customers full help:\n%s", v)
	}
	drive(m, keyMsg("?"), keyMsg("2"))
	if f := footer(); !strings.Contains(f, "f status") || !strings.Contains(f, "s sort") {
		t.Errorf("subscriptions footer: %q", f)
	}
}
