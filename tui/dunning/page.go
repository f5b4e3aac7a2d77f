// Package dunning is the Dunning view: the figures of billing/dunning for a
// 7, 30 or 90-day window, a per-day sparkline of failed and recovered
// payments, the decline-code breakdown and a sortable worklist of
// subscriptions and invoices in dunning. enter on a worklist row asks the
// root to open the customer (common.OpenObjectMsg), i the invoice; p asks
// for a retry now (common.ActionRequestMsg with billing.ActionInvoicePay),
// which the root routes to the money-actions form. The page recomputes when
// root broadcasts a common.LiveMsg (or a bare storage.Change) that changed
// an invoice, subscription or charge, and on common.RefreshMsg.
package dunning

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	bd "github.com/paydesk/paydesk/billing/dunning"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/widget"
)

// Page is the Dunning view.
type Page struct {
	c    *common.Common
	keys KeyMap

	window  int // index into bd.Windows
	report  bd.Report
	loaded  bool
	err     error
	loading bool
	dirty   bool // a change arrived while loading: load again after
	gen     int  // generation of the newest load asked for

	sortKey int // index into bd.SortKeys
	desc    bool
	cursor  int
	offset  int

	width, height int
}

// New builds the page over the session c; Init loads the 7-day window.
func New(c *common.Common) *Page {
	return &Page{c: c, keys: DefaultKeyMap(), desc: true}
}

// reportMsg carries a computed report back to the page.
type reportMsg struct {
	gen    int
	report bd.Report
	err    error
}

// Init computes the first report.
func (p *Page) Init() tea.Cmd { return p.load() }

func (p *Page) load() tea.Cmd {
	if p.loading {
		p.dirty = true
		return nil
	}
	p.loading, p.dirty = true, false
	p.gen++
	gen, store, w, now := p.gen, p.c.Store, bd.Windows[p.window], p.c.Now().In(p.c.Loc)
	return func() tea.Msg {
		r, err := bd.Compute(store, w, now)
		return reportMsg{gen: gen, report: r, err: err}
	}
}

// Title names the page in the header.
func (p *Page) Title() string { return "Dunning" }

// SetSize gives the page its area.
func (p *Page) SetSize(w, h int) { p.width, p.height = w, h }

// Report is the report on screen (for the root and tests).
func (p *Page) Report() bd.Report { return p.report }

// StackWide marks reportMsg as a common.StackMsg: a report computed while
// a customer opened from the worklist is on top must still reach the page,
// or it stays "loading" and stops following live events.
func (reportMsg) StackWide() {}

// Update handles keys, computed reports and live notices.
func (p *Page) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case reportMsg:
		p.loading = false
		if msg.gen == p.gen {
			p.report, p.err, p.loaded = msg.report, msg.err, true
			p.applySort()
			p.clampCursor()
		}
		if p.dirty {
			return p, p.load()
		}
		return p, nil
	case common.LiveMsg:
		return p, p.onNotice(msg.Change)
	case storage.Change:
		return p, p.onNotice(msg)
	case common.RefreshMsg:
		return p, p.load()
	case tea.KeyMsg:
		return p, p.key(msg)
	}
	return p, nil
}

// onNotice recomputes when a delivery changed an invoice, subscription or
// charge (or the bus lost notices).
func (p *Page) onNotice(n storage.Change) tea.Cmd {
	if n.Reload || (n.Result.Changed() && touchesDunning(n.Result.Kind)) {
		return p.load()
	}
	return nil
}

func touchesDunning(k storage.Kind) bool {
	return k == storage.KindInvoice || k == storage.KindSubscription || k == storage.KindCharge
}

func (p *Page) key(msg tea.KeyMsg) tea.Cmd {
	rows := len(p.report.Work)
	switch {
	case key.Matches(msg, p.keys.Up):
		p.cursor--
	case key.Matches(msg, p.keys.Down):
		p.cursor++
	case key.Matches(msg, p.keys.PageUp):
		p.cursor -= p.tableRows()
	case key.Matches(msg, p.keys.PageDown):
		p.cursor += p.tableRows()
	case key.Matches(msg, p.keys.Window):
		p.window = (p.window + 1) % len(bd.Windows)
		return p.load()
	case key.Matches(msg, p.keys.Sort):
		p.sortKey = (p.sortKey + 1) % len(bd.SortKeys)
		p.desc = descFirst(bd.SortKeys[p.sortKey])
		p.applySort()
	case key.Matches(msg, p.keys.Reverse):
		p.desc = !p.desc
		p.applySort()
	case key.Matches(msg, p.keys.OpenCustomer):
		if it, ok := p.selected(); ok && it.Customer != "" {
			return common.OpenObject(storage.KindCustomer, it.Customer)
		}
	case key.Matches(msg, p.keys.OpenInvoice):
		if it, ok := p.selected(); ok {
			if it.Invoice == "" {
				return common.Toast(common.ToastWarn, "no invoice of "+it.ID+" in the cache")
			}
			return common.OpenObject(storage.KindInvoice, it.Invoice)
		}
	case key.Matches(msg, p.keys.Retry):
		it, ok := p.selected()
		if !ok {
			return nil
		}
		if it.Invoice == "" {
			return common.Toast(common.ToastWarn, "no invoice of "+it.ID+" in the cache to retry")
		}
		if can, why := p.c.CanAct(billing.ActionInvoicePay); !can {
			return common.Toast(common.ToastWarn, "retry now: "+why)
		}
		return common.RequestAction(billing.ActionInvoicePay, it.Invoice)
	}
	if rows > 0 {
		p.clampCursor()
	}
	return nil
}

func (p *Page) selected() (bd.WorkItem, bool) {
	if p.cursor < 0 || p.cursor >= len(p.report.Work) {
		return bd.WorkItem{}, false
	}
	return p.report.Work[p.cursor], true
}

// Selected is the worklist row under the cursor.
func (p *Page) Selected() (bd.WorkItem, bool) { return p.selected() }

func (p *Page) applySort() {
	bd.SortWork(p.report.Work, bd.SortKeys[p.sortKey], p.desc)
}

func (p *Page) clampCursor() {
	p.cursor, p.offset = widget.Scroll(p.cursor, p.offset, len(p.report.Work), p.tableRows())
}

// ShortHelp is the footer's help.
func (p *Page) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Window, p.keys.Sort, p.keys.OpenCustomer, p.keys.OpenInvoice, p.keys.Retry}
}

// FullHelp is the ? help.
func (p *Page) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Window, k.Sort, k.Reverse}, {k.OpenCustomer, k.OpenInvoice, k.Retry}}
}

var _ common.Page = (*Page)(nil)

// descFirst is the direction a sort key starts in: amounts and attempts
// largest first, next retry soonest first, customer A to Z, status A to Z
// (R reverses any of them).
func descFirst(k bd.SortKey) bool {
	return k == bd.SortAmount || k == bd.SortAttempts
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
