package tui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// TestDetailPagesInColourShowNoEscapeText: in a colour terminal no detail
// page shows paydesk's own styling as escaped text. Before, the invoice
// page's "Links" heading passed its styled hint through the sanitiser and
// printed `\u001b[38;5;243m(tab selects, y copies)\u001b[0m`; the ASCII
// goldens could not see it.
func TestDetailPagesInColourShowNoEscapeText(t *testing.T) {
	testclock.DateFree(t) // a byte scan: no date is read
	for _, kind := range []storage.Kind{storage.KindCustomer, storage.KindSubscription, storage.KindInvoice, storage.KindCharge, storage.KindDispute} {
		env := firstOf(t, storage.Query{Kind: kind})
		out := &bytes.Buffer{}
		m := start(session(out, func(c *common.Common) {
			r := lipgloss.NewRenderer(out, termenv.WithProfile(termenv.ANSI256))
			r.SetColorProfile(termenv.ANSI256)
			c.Renderer = r
		}), 160, 80)
		typeCommand(m, env.ID)
		v := m.View()
		if !strings.Contains(v, env.ID) {
			t.Fatalf("%s page did not open:\n%s", kind, v)
		}
		if strings.Contains(v, `\u001b`) || strings.Contains(v, `\x1b`) {
			t.Errorf("%s page shows escape codes as text:\n%s", kind, v)
		}
	}
}
