// Package search is the console's global search page (ctrl+f from any
// view): one line typed or pasted, answered from the cache's indexes as
// each key is typed (billing/find), and from Stripe's Search API when the
// cache has no hit and Stripe is reachable. Results are grouped by kind;
// enter opens the selected object's page.
package search

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/billing/find"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
)

// perKind caps the hits shown per kind.
const perKind = 8

// stripeTimeout bounds one Search API round.
const stripeTimeout = 15 * time.Second

// Page is the global search page.
type Page struct {
	c     *common.Common
	input textinput.Model
	keys  keyMap

	res    find.Result
	err    error
	cursor int // index into the flattened hits
	asking string
	note   string

	width, height int
}

var (
	_ common.Page          = (*Page)(nil)
	_ common.InputCapturer = (*Page)(nil)
)

type keyMap struct {
	Open, Up, Down, Stripe, Back key.Binding
}

// New builds the page, optionally with a first line (pasted text).
func New(c *common.Common, text string) *Page {
	in := textinput.New()
	in.Prompt = "find: "
	in.Placeholder = "email, name, phone, last4, $12.50 [2026-11-01..2026-11-30], invoice number, text, id"
	in.CharLimit = 120
	in.SetValue(text)
	p := &Page{c: c, input: in, width: 80, height: 20, keys: keyMap{
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Up:     key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "ctrl+n", "tab"), key.WithHelp("↓", "down")),
		Stripe: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "ask Stripe")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}}
	return p
}

// Init focuses the line and answers any first text.
func (p *Page) Init() tea.Cmd {
	p.search()
	return p.input.Focus()
}

// Title names the page.
func (p *Page) Title() string { return "Find" }

// CapturingInput: every key but the page's own goes to the line.
func (p *Page) CapturingInput() bool { return true }

// SetSize fits the page.
func (p *Page) SetSize(w, h int) {
	p.width, p.height = w, h
	p.input.Width = max(10, w-8)
}

// Result is what the page shows (tests).
func (p *Page) Result() find.Result { return p.res }

// search answers the line from the cache.
func (p *Page) search() {
	q := find.Parse(p.input.Value(), p.c.Loc)
	p.note = ""
	if q.Text == "" {
		p.res, p.err = find.Result{Query: q}, nil
		return
	}
	p.res, p.err = find.Cache(p.c.Store, q, perKind)
	p.cursor = min(p.cursor, max(0, p.res.Count()-1))
}

// stripeMsg is the Search API's answer.
type stripeMsg struct {
	text string
	res  find.Result
	err  error
}

// askStripe sends the line to Stripe's Search API; offline sessions say why not.
func (p *Page) askStripe() tea.Cmd {
	q := find.Parse(p.input.Value(), p.c.Loc)
	if q.Text == "" {
		return nil
	}
	if why := p.c.OfflineReason(); why != "" {
		p.note = "not in the cache; Stripe not asked (" + why + ")"
		return nil
	}
	p.asking = q.Text
	p.note = "asking Stripe…"
	bc, store := p.c.Billing, p.c.Store
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), stripeTimeout)
		defer cancel()
		res, err := find.Stripe(ctx, bc, store, q, perKind)
		return stripeMsg{text: q.Text, res: res, err: err}
	}
}

// Update types, moves and opens.
func (p *Page) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case stripeMsg:
		if msg.text != p.asking || msg.text != strings.TrimSpace(p.input.Value()) {
			return p, nil // the line changed meanwhile
		}
		p.asking = ""
		switch {
		case msg.err != nil:
			p.note = "Stripe search: " + msg.err.Error()
		case msg.res.Count() == 0:
			p.note = "nothing in the cache or on Stripe"
		default:
			p.note = ""
			p.res, p.cursor = msg.res, 0
		}
		return p, nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, p.keys.Back):
			return p, common.Pop()
		case key.Matches(msg, p.keys.Down):
			p.cursor = min(p.cursor+1, max(0, p.res.Count()-1))
			return p, nil
		case key.Matches(msg, p.keys.Up):
			p.cursor = max(p.cursor-1, 0)
			return p, nil
		case key.Matches(msg, p.keys.Stripe):
			return p, p.askStripe()
		case key.Matches(msg, p.keys.Open):
			if e, ok := p.selected(); ok {
				return p, common.OpenObject(e.Kind, e.ID)
			}
			if p.res.Count() == 0 && p.res.Query.Text != "" && p.c.Online() {
				return p, p.askStripe()
			}
			return p, nil
		}
		var cmd tea.Cmd
		before := p.input.Value()
		p.input, cmd = p.input.Update(msg)
		if p.input.Value() != before {
			p.cursor = 0
			p.search()
		}
		return p, cmd
	}
	return p, nil
}

func (p *Page) selected() (storage.Envelope, bool) {
	i := 0
	for _, g := range p.res.Groups {
		for _, e := range g.Items {
			if i == p.cursor {
				return e, true
			}
			i++
		}
	}
	return storage.Envelope{}, false
}

// View draws the line, then each kind's hits.
func (p *Page) View() string {
	s := p.c.Styles
	var b strings.Builder
	b.WriteString(p.input.View())
	b.WriteByte('\n')
	lines := []string{}
	switch {
	case p.err != nil:
		lines = append(lines, s.Bad.Render("cannot read the cache: "+p.err.Error()))
	case p.res.Query.Text == "":
		lines = append(lines, s.Muted.Render("type to search every kind in the cache; paste an id to find it"))
	case p.res.Count() == 0:
		msg := "nothing in the cache matches"
		if p.c.Online() {
			msg += ": enter asks Stripe's Search API"
		} else {
			msg += " (offline: Stripe not asked)"
		}
		lines = append(lines, s.Muted.Render(msg))
	}
	if p.note != "" {
		lines = append(lines, s.Muted.Render(clean(p.note)))
	}
	if p.res.Source == "stripe" {
		lines = append(lines, s.Muted.Render("from Stripe's Search API (now cached)"))
	}
	i := 0
	for _, g := range p.res.Groups {
		lines = append(lines, s.Title.Render(kindTitle(g.Kind))+s.Muted.Render(" "+strconv.Itoa(len(g.Items))))
		for _, e := range g.Items {
			line := p.row(e)
			if i == p.cursor {
				line = s.SelectedRow.Render(ansi.Truncate("> "+line, p.width, "…"))
			} else {
				line = ansi.Truncate("  "+line, p.width, "…")
			}
			lines = append(lines, line)
			i++
		}
	}
	// Keep the selected row on screen.
	body := max(1, p.height-1)
	if len(lines) > body {
		sel := p.selectedLine(lines)
		start := max(0, min(sel-body/2, len(lines)-body))
		lines = lines[start : start+body]
	}
	b.WriteString(strings.Join(lines, "\n"))
	return b.String()
}

// selectedLine is the line index of the cursor's row in View's lines.
func (p *Page) selectedLine(lines []string) int {
	for i, l := range lines {
		if strings.HasPrefix(ansi.Strip(l), "> ") {
			return i
		}
	}
	return 0
}

// row is one hit: id, status, amount, who or what, created.
func (p *Page) row(e storage.Envelope) string {
	who := firstOf(e.Number, e.Name, e.Email, e.Customer)
	if e.Kind == storage.KindCustomer {
		who = firstOf(e.Name, "-")
		if e.Email != "" {
			who += " <" + e.Email + ">"
		}
	} else if e.Customer == "" && (e.Kind == storage.KindCharge || e.Kind == storage.KindPaymentIntent) {
		who = "guest " + firstOf(e.Email, e.Name)
	}
	amount := ""
	if e.Currency != "" && e.Kind != storage.KindCustomer {
		amount = money.Format(e.Amount, e.Currency)
	}
	cols := []string{pad(e.ID, 28), pad(firstOf(e.Status, "-"), 14), padLeft(amount, 12), pad(clean(who), 32), format.Date(e.Created, p.c.Loc)}
	return strings.Join(cols, "  ")
}

func kindTitle(k storage.Kind) string {
	switch k {
	case storage.KindCustomer:
		return "Customers"
	case storage.KindSubscription:
		return "Subscriptions"
	case storage.KindInvoice:
		return "Invoices"
	case storage.KindCharge:
		return "Charges"
	case storage.KindPaymentIntent:
		return "Payment intents"
	case storage.KindRefund:
		return "Refunds"
	case storage.KindDispute:
		return "Disputes"
	case storage.KindBalanceTransaction:
		return "Balance transactions"
	case storage.KindProduct:
		return "Products"
	case storage.KindPrice:
		return "Prices"
	}
	return string(k)
}

// clean drops escape sequences and control characters from Stripe text.
func clean(s string) string {
	s = ansi.Strip(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}

func pad(s string, w int) string {
	s = clean(s)
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-ansi.StringWidth(s))
}

func padLeft(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// ShortHelp is the footer's help.
func (p *Page) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Open, p.keys.Down, p.keys.Up, p.keys.Stripe, p.keys.Back}
}

// FullHelp is the `?` help.
func (p *Page) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
