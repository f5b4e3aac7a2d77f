package tui

import (
	"bytes"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/tui/internal/goldens"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/storage/safetext/hostile"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
)

// hostileStore is a cache holding the hostile corpus in every field a
// screen shows.
func hostileStore(t *testing.T) *storage.Store {
	t.Helper()
	store, err := storage.Open(filepath.Join(t.TempDir(), "hostile.db"), storage.Options{Now: fixture.Clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := hostile.Seed(store); err != nil {
		t.Fatal(err)
	}
	return store
}

// screenCheck asserts one drawn screen is safe: the page's own view (before
// the root's frame guard) and the whole frame hold no escape at all (the
// ASCII profile draws no styling), none of the corpus's SGR bytes, and no
// line wider than the terminal.
func screenCheck(t *testing.T, m *Model, what string, w int) string {
	t.Helper()
	page := m.Active().View()
	frame := m.View()
	for name, out := range map[string]string{"page": page, "frame": frame} {
		if fs := safetext.Scan([]byte(out)); len(fs) > 0 {
			t.Errorf("%s: %s output holds %v", what, name, fs[:min(3, len(fs))])
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Errorf("%s: %s output holds ESC under the ASCII profile", what, name)
		}
		for _, p := range hostile.Payloads {
			if strings.Contains(out, p) {
				t.Errorf("%s: %s output holds the corpus's own %q", what, name, p)
			}
		}
	}
	for i, l := range strings.Split(frame, "\n") {
		if cw := safetext.Width(l); cw > w {
			t.Errorf("%s: line %d is %d cells wide (terminal %d)", what, i, cw, w)
		}
	}
	return frame
}

// TestHostileCorpusConsole drives every hostile string through every view
// (lists 1-8) and every detail, raw JSON, event JSON and diff page of the
// objects that carry it, on a 120x36 terminal, and scans each screen.
func TestHostileCorpusConsole(t *testing.T) {
	testclock.DateFree(t)
	store := hostileStore(t)
	var clip bytes.Buffer // where the OSC 52 copies land
	c := session(&clip, func(c *common.Common) { c.Store = store })
	const w, h = 120, 36
	m := start(c, w, h)
	defer m.Close()
	screens := 0
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
		drive(m, keyMsg(k))
		screenCheck(t, m, "view "+k, w)
		screens++
	}
	checked := 0
	for _, s := range hostile.Sets() {
		objs := []struct {
			kind storage.Kind
			id   string
		}{{storage.KindCustomer, s.Customer}, {storage.KindSubscription, s.Subscription}, {storage.KindInvoice, s.Invoice},
			{storage.KindCharge, s.Charge}, {storage.KindRefund, s.Refund}, {storage.KindDispute, s.Dispute}}
		for _, o := range objs {
			drive(m, keyMsg("1"), common.OpenObjectMsg{Kind: o.kind, ID: o.id})
			out := screenCheck(t, m, s.Name+" "+string(o.kind)+" detail", w)
			if s.Name == "osc0_title" && o.kind == storage.KindCustomer && !strings.Contains(out, `Eve \u001b]0;pwned\u0007`) {
				t.Errorf("customer detail does not show the name's escape visibly:\n%s", out)
			}
			drive(m, keyMsg("J"))
			screenCheck(t, m, s.Name+" "+string(o.kind)+" JSON", w)
			checked += 2
		}
	}
	// y copies the id: what lands on the clipboard is safe text too.
	bad := hostile.Sets()[len(hostile.Sets())-1]
	drive(m, keyMsg("1"), common.OpenObjectMsg{Kind: storage.KindCustomer, ID: bad.Customer}, keyMsg("y"))
	copied := clipboard(t, clip.String())
	if fs := safetext.Scan([]byte(copied)); len(fs) > 0 || !strings.HasPrefix(copied, `cus_\u001b]0;id`) {
		t.Errorf("copied id %q holds %v", copied, fs)
	}

	// Webhooks: every delivery (newest first), its event JSON and its diff.
	drive(m, keyMsg("7"))
	n, _ := store.Deliveries(0, 1)
	for i := 0; i < int(n[0].Seq) && i < 400; i++ {
		drive(m, keyMsg("enter"))
		screenCheck(t, m, "delivery event JSON", w)
		drive(m, keyMsg("tab"))
		screenCheck(t, m, "delivery diff", w)
		drive(m, keyMsg("esc"), keyMsg("down"))
		checked += 2
	}
	screens += checked
	t.Logf("hostile corpus: %d strings (+all, +hostile ids) x %d console screens scanned", len(hostile.Corpus), screens)
}

// clipboard decodes the last OSC 52 copy written to a session's output.
func clipboard(t *testing.T, out string) string {
	t.Helper()
	i := strings.LastIndex(out, "\x1b]52;c;")
	if i < 0 {
		t.Fatalf("no OSC 52 copy in %q", out)
	}
	rest := out[i+len("\x1b]52;c;"):]
	end := strings.IndexAny(rest, "\x07\x1b")
	if end < 0 {
		end = len(rest)
	}
	b, err := base64.StdEncoding.DecodeString(rest[:end])
	if err != nil {
		t.Fatalf("OSC 52 payload %q: %v", rest[:end], err)
	}
	return string(b)
}

// TestHostileGolden keeps the layout of the hostile customers list and of
// the customer carrying every string at once (widths held, escapes shown).
func TestHostileGolden(t *testing.T) {
	store := hostileStore(t)
	c := session(&bytes.Buffer{}, func(c *common.Common) { c.Store = store })
	m := start(c, 120, 36)
	defer m.Close()
	t.Run("customers", func(t *testing.T) {
		drive(m, keyMsg("1"))
		goldens.RequireEqual(t, []byte(m.View()))
	})
	all := hostile.Sets()[len(hostile.Corpus)]
	t.Run("customer_all", func(t *testing.T) {
		drive(m, common.OpenObjectMsg{Kind: storage.KindCustomer, ID: all.Customer})
		goldens.RequireEqual(t, []byte(m.View()))
	})
	t.Run("invoice_all", func(t *testing.T) {
		drive(m, keyMsg("1"), common.OpenObjectMsg{Kind: storage.KindInvoice, ID: all.Invoice})
		goldens.RequireEqual(t, []byte(m.View()))
	})
}

var _ tea.Msg = common.OpenObjectMsg{}
