package resources

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/raw"
	"github.com/paydesk/paydesk/tui/table"
	"github.com/paydesk/paydesk/tui/widget"
)

// Detail is a detail page: sections about one cached object drawn into a
// scrolling viewport, reloaded when a live notice touches the object (or,
// for objects of a customer, anything of that customer).
type Detail struct {
	c      *common.Common
	kind   storage.Kind
	id     string
	label  string
	env    storage.Envelope
	err    error
	body   func(d *Detail, b *sections)
	vp     viewport.Model
	width  int
	loaded bool
	// heard is when (wall clock) a live notice about this object last
	// reloaded the page (see common.CacheAge).
	heard time.Time
	keys  detailKeys

	// links are the related objects listed on the page in display order;
	// sel is the one tab selected (-1: none) and selLine its line.
	links   []link
	sel     int
	selLine int

	// fetch, when set, starts what the page reads from Stripe besides the
	// cache (a subscription's upcoming invoice) in a command: on Init, on
	// r and on live notices it cares about. upcoming holds that answer.
	fetch    func(d *Detail) tea.Cmd
	upcoming upcomingPreview
	// pms is the customer page's read of the payment methods.
	pms paymentMethodsState
}

// link is a related object a detail page can open, or (id empty,
// customer set) the list of a customer's objects of kind behind a
// "… more in the cache" line.
type link struct {
	kind     storage.Kind
	id       string
	customer string
	// url, when set, is a web address (an invoice's hosted page or PDF):
	// y and enter copy it (OSC 52) instead of opening a page.
	url string
}

// isList reports whether the link opens a customer's list, not an object.
func (l link) isList() bool { return l.id == "" && l.customer != "" }

type detailKeys struct {
	Raw, Copy, Refetch, Back, Next, Prev, Open key.Binding
}

var (
	_ common.Page = (*Detail)(nil)
)

func newDetail(c *common.Common, kind storage.Kind, id, label string, body func(*Detail, *sections)) *Detail {
	return &Detail{c: c, kind: kind, id: id, label: label, body: body, vp: viewport.New(80, 20), width: 80, sel: -1,
		keys: detailKeys{
			Next:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "related")),
			Prev:    key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev related")),
			Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
			Raw:     key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "json")),
			Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy id")),
			Refetch: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refetch")),
			Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		}}
}

// ID is the object shown.
func (d *Detail) ID() string { return d.id }

// Envelope is the cached copy shown (zero until loaded).
func (d *Detail) Envelope() storage.Envelope { return d.env }

// Init reads the object and draws the page.
func (d *Detail) Init() tea.Cmd {
	d.reload()
	return d.fetchCmd()
}

// fetchCmd starts the page's background Stripe read, if it has one; the
// page is drawn again to show that it is asking.
func (d *Detail) fetchCmd() tea.Cmd {
	if d.fetch == nil {
		return nil
	}
	cmd := d.fetch(d)
	d.render()
	return cmd
}

// Title is the header breadcrumb.
func (d *Detail) Title() string { return d.label + " " + d.id }

// SetSize fits the viewport and redraws (column fitting follows the width).
func (d *Detail) SetSize(w, h int) {
	d.vp.Width, d.vp.Height = w, max(1, h)
	if w != d.width {
		d.width = w
		if d.loaded {
			d.render()
		}
	}
}

func (d *Detail) reload() {
	env, err := d.c.Store.Get(d.kind, d.id)
	d.env, d.err, d.loaded = env, err, true
	var chosen *link
	if d.sel >= 0 && d.sel < len(d.links) {
		l := d.links[d.sel]
		chosen = &l
	}
	d.render()
	if chosen != nil {
		d.reselect(*chosen)
	}
}

// reselect keeps the tab selection on the related object it was on (the
// one nearest its old place, when it is listed twice) after a live change
// added or removed rows above it, so enter opens what the operator chose;
// when it left the page, nothing is selected.
func (d *Detail) reselect(want link) {
	if d.sel >= 0 && d.sel < len(d.links) && d.links[d.sel] == want {
		return
	}
	best := -1
	for i, l := range d.links {
		if l == want && (best < 0 || abs(i-d.sel) < abs(best-d.sel)) {
			best = i
		}
	}
	d.sel = best // gone from the page: nothing selected rather than a neighbour
	d.render()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func (d *Detail) render() {
	b := &sections{d: d}
	d.links, d.selLine = d.links[:0], -1
	if d.err != nil {
		if errors.Is(d.err, storage.ErrNotFound) {
			b.line(d.c.Styles.Warn.Render(common.NotCached(d.id)))
		} else {
			b.line(d.c.Styles.Bad.Render("cannot read " + d.id + ": " + d.err.Error()))
		}
	} else {
		if d.env.Deleted {
			b.line(d.c.Styles.Bad.Render("deleted in Stripe") + "  " + d.c.Styles.Muted.Render("last known details below, as of "+format.Stamp(d.env.EventCreated, d.c.Loc)+"; no actions"))
		}
		d.body(d, b)
		b.actions()
		b.timeline()
	}
	off := d.vp.YOffset
	d.vp.SetContent(widget.FitLines(strings.TrimRight(b.String(), "\n"), d.width))
	if d.sel >= len(d.links) {
		d.sel = -1
	}
	if d.selLine >= 0 { // keep the selected link on screen
		switch {
		case d.selLine < off:
			off = d.selLine
		case d.selLine >= off+d.vp.Height:
			off = d.selLine - d.vp.Height + 1
		}
	}
	d.vp.SetYOffset(off)
}

// Open builds the page for a cached object: the detail page of customers,
// subscriptions, invoices, charges and disputes, the raw JSON of other kinds.
func Open(c *common.Common, kind storage.Kind, id string) common.Page {
	switch kind {
	case storage.KindCustomer:
		return NewCustomer(c, id)
	case storage.KindSubscription:
		return NewSubscription(c, id)
	case storage.KindInvoice:
		return NewInvoice(c, id)
	case storage.KindDispute:
		return NewDispute(c, id)
	case storage.KindCharge:
		return NewCharge(c, id)
	case storage.KindCreditNote:
		return NewCreditNote(c, id)
	}
	return raw.New(c, kind, id)
}

// Update scrolls, runs J/y/r and the registered actions, and follows live
// notices.
func (d *Detail) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, d.keys.Raw):
			return d, common.Push(raw.New(d.c, d.kind, d.id))
		case key.Matches(msg, d.keys.Copy):
			if l, ok := d.selectedURL(); ok {
				return d, d.c.CopyID(l.url)
			}
			return d, d.c.CopyID(d.id)
		case key.Matches(msg, d.keys.Refetch):
			return d, tea.Batch(d.c.Refetch(d.kind, d.id), d.fetchCmd())
		case key.Matches(msg, d.keys.Next, d.keys.Prev):
			if n := len(d.links); n > 0 {
				if key.Matches(msg, d.keys.Next) {
					d.sel = (d.sel + 1) % n
				} else {
					d.sel = (max(d.sel, 0) + n - 1) % n
				}
				d.render()
			}
			return d, nil
		case key.Matches(msg, d.keys.Open):
			if d.sel >= 0 && d.sel < len(d.links) {
				l := d.links[d.sel]
				if l.url != "" {
					return d, d.c.CopyID(l.url)
				}
				if l.isList() {
					if p, ok := CustomerList(d.c, l.kind, l.customer); ok {
						return d, common.Push(p)
					}
					return d, common.Toast(common.ToastInfo, shortKind(l.kind)+"s have no list to open")
				}
				return d, common.Push(Open(d.c, l.kind, l.id))
			}
			return d, nil
		}
		if d.err == nil && !d.env.Deleted {
			for _, a := range d.c.Actions.For(d.kind) {
				if msg.String() == a.Key {
					return d, a.Start(d.c, d.env)
				}
			}
		}
		if cmd, ok := d.linkAction(msg.String()); ok {
			return d, cmd
		}
	case common.LiveMsg:
		cus := d.env.Customer
		if msg.Touches(d.kind, d.id) || (cus != "" && msg.Change.Result.Customer == cus) {
			if !msg.Change.Reload && msg.Touches(d.kind, d.id) {
				d.heard = d.c.Wall()
			}
			d.reload()
		}
		if d.fetch != nil && upcomingTouched(d, msg.Change.Result, msg.Change.Reload) {
			return d, d.fetchCmd()
		}
		return d, nil
	case upcomingMsg:
		if msg.d == d && d.upcoming.apply(msg) {
			d.render()
		}
		return d, nil
	case paymentMethodsMsg:
		if msg.d == d && d.pms.apply(msg) {
			d.render()
		}
		return d, nil
	case common.RefreshMsg:
		d.reload()
		return d, nil
	case common.ClockMsg:
		if d.loaded {
			d.render()
		}
		return d, nil
	}
	var cmd tea.Cmd
	d.vp, cmd = d.vp.Update(msg)
	return d, cmd
}

// View draws the viewport.
func (d *Detail) View() string { return d.vp.View() }

// selectedURL is the web-address link under the tab selection, if any.
func (d *Detail) selectedURL() (link, bool) {
	if d.sel >= 0 && d.sel < len(d.links) && d.links[d.sel].url != "" {
		return d.links[d.sel], true
	}
	return link{}, false
}

// ShortHelp is the footer's help.
func (d *Detail) ShortHelp() []key.Binding {
	k := []key.Binding{d.vp.KeyMap.Down, d.keys.Next, d.keys.Open, d.keys.Raw, d.keys.Copy, d.keys.Refetch, d.keys.Back}
	return append(k, d.actionBindings()...)
}

// FullHelp is the `?` help.
func (d *Detail) FullHelp() [][]key.Binding {
	km := d.vp.KeyMap
	groups := [][]key.Binding{{km.Up, km.Down, km.PageUp, km.PageDown}, {d.keys.Next, d.keys.Prev, d.keys.Open},
		{d.keys.Raw, d.keys.Copy, d.keys.Refetch, d.keys.Back}}
	if a := d.actionBindings(); len(a) > 0 {
		groups = append(groups, a)
	}
	return groups
}

// actionBindings are the money actions offered here: only those the
// object's (and the selected related object's) state allows.
func (d *Detail) actionBindings() []key.Binding {
	var out []key.Binding
	for _, a := range d.c.Actions.ForObject(d.env) {
		out = append(out, key.NewBinding(key.WithKeys(a.Key), key.WithHelp(a.Key, a.Label)))
	}
	if l, ok := d.selected(); ok && len(d.c.Actions.For(l.kind)) > 0 {
		if env, err := d.c.Store.Get(l.kind, l.id); err == nil {
			for _, a := range d.c.Actions.ForObject(env) {
				out = append(out, key.NewBinding(key.WithKeys(a.Key), key.WithHelp(a.Key, a.Label+" "+shortKind(l.kind))))
			}
		}
	}
	return out
}

// selected is the related object tab selected, if any (a list link is
// not an object: actions do not apply to it).
func (d *Detail) selected() (link, bool) {
	if d.sel >= 0 && d.sel < len(d.links) && !d.links[d.sel].isList() {
		return d.links[d.sel], true
	}
	return link{}, false
}

// linkAction starts the money action bound to k on the selected related
// object (R on a customer's charge row refunds that charge), so kinds
// without a page of their own are acted on where they are listed.
func (d *Detail) linkAction(k string) (tea.Cmd, bool) {
	l, ok := d.selected()
	if !ok {
		return nil, false
	}
	for _, a := range d.c.Actions.For(l.kind) {
		if k != a.Key {
			continue
		}
		env, err := d.c.Store.Get(l.kind, l.id)
		if err != nil {
			return common.Toast(common.ToastWarn, a.Label+": "+common.NotCached(l.id)), true
		}
		return a.Start(d.c, env), true
	}
	return nil, false
}

// shortKind names a kind in help text ("charge", "invoice").
func shortKind(k storage.Kind) string {
	if k == storage.KindBalanceTransaction {
		return "balance transaction"
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

// sections builds a detail page's text.
type sections struct {
	d *Detail
	strings.Builder
	lines int
	// rowLinks are the links of the next list's rows; fieldLinks those of
	// the next fields' labels.
	rowLinks   []link
	fieldLinks map[string]link
	// moreLink is the list the next list's "… more" line opens (set by
	// related when more objects are cached); moreN says how many more
	// ("" when the list is filtered and the count unknown).
	moreLink link
	moreN    string
}

func (b *sections) line(s string) {
	b.WriteString(s + "\n")
	b.lines += strings.Count(s, "\n") + 1
}

// linked writes a line (starting with two spaces) that opens l, marked
// when it is the selected link.
func (b *sections) linked(s string, l link) {
	if l.id == "" && !l.isList() && l.url == "" {
		b.line(s)
		return
	}
	idx := len(b.d.links)
	b.d.links = append(b.d.links, l)
	if idx == b.d.sel {
		b.d.selLine = b.lines
		s = b.d.c.Styles.SelectedRow.Render("> " + ansi.Strip(strings.TrimPrefix(s, "  ")))
	}
	b.line(s)
}

// linkRows makes the rows of the next list open kind/ids.
func (b *sections) linkRows(kind storage.Kind, envs []storage.Envelope) {
	b.rowLinks = b.rowLinks[:0]
	for _, e := range envs {
		b.rowLinks = append(b.rowLinks, link{kind: kind, id: e.ID})
	}
}

func (b *sections) heading(title string) {
	if b.Len() > 0 {
		b.line("")
	}
	b.line(b.d.c.Styles.Title.Render(safetext.Line(title)))
}

// hint puts a muted usage hint at the end of the line just written (a
// heading's "(tab selects, y copies)"); the hint is paydesk's own text.
func (b *sections) hint(text string) {
	s := strings.TrimSuffix(b.String(), "\n")
	b.Reset()
	b.WriteString(s + "  " + b.d.c.Styles.Muted.Render(text) + "\n")
}

// fields writes label/value pairs with aligned labels; empty values are skipped.
func (b *sections) fields(pairs ...string) {
	w := 0
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			w = max(w, ansi.StringWidth(pairs[i]))
		}
	}
	s := b.d.c.Styles
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		text := "  " + s.Label.Render(fmt.Sprintf("%-*s", w, pairs[i])) + "  " + pairs[i+1]
		if l, ok := b.fieldLinks[pairs[i]]; ok {
			b.linked(text, l)
			continue
		}
		b.line(text)
	}
	b.fieldLinks = nil
}

// list writes related objects as a static table, or a muted note when none.
func (b *sections) list(cols []table.Column, rows [][]string, more bool, none string) {
	links, moreLink, moreN := b.rowLinks, b.moreLink, b.moreN
	b.rowLinks, b.moreLink, b.moreN = nil, link{}, ""
	if len(rows) == 0 {
		b.line("  " + b.d.c.Styles.Muted.Render(none))
		return
	}
	for i, l := range strings.Split(table.Render(b.d.c.Styles, cols, rows, b.d.width), "\n") {
		if i > 0 && i-1 < len(links) {
			b.linked(l, links[i-1])
			continue
		}
		b.line(l)
	}
	if more {
		text := "… " + moreN + "more in the cache"
		if moreLink.isList() {
			text += " · enter lists the customer's " + shortKind(moreLink.kind) + "s"
			b.linked("  "+b.d.c.Styles.Muted.Render(text), moreLink)
			return
		}
		b.line("  " + b.d.c.Styles.Muted.Render(text))
	}
}

// related lists up to n objects of kind for the page's customer, newest
// first, keeping those keep accepts.
func (b *sections) related(kind storage.Kind, customer string, n int, keep func(storage.Envelope) bool) ([]storage.Envelope, bool) {
	if customer == "" {
		return nil, false
	}
	q := storage.Query{Kind: kind, Customer: customer, Limit: n}
	if keep != nil {
		q.Limit = 50
	}
	var out []storage.Envelope
	for {
		p, err := b.d.c.Store.List(q)
		if err != nil {
			b.line("  " + b.d.c.Styles.Bad.Render("cannot read "+string(kind)+": "+err.Error()))
			return out, false
		}
		for _, e := range p.Items {
			if keep == nil || keep(e) {
				if len(out) == n {
					b.moreLink = link{kind: kind, customer: customer}
					return out, true
				}
				out = append(out, e)
			}
		}
		if p.Next == "" || keep == nil {
			more := p.Next != "" && len(out) == n
			if more {
				b.moreLink = link{kind: kind, customer: customer}
				if keep == nil {
					b.moreN = b.countMore(kind, customer, len(out))
				}
			}
			return out, more
		}
		q.After = p.Next
	}
}

// maxCount bounds the index keys read to count a related list's rest.
const maxCount = 10_000

// countMore words how many of the customer's objects of kind follow the
// shown ones ("7 ", "9995+ "), or "" when the count cannot be read.
func (b *sections) countMore(kind storage.Kind, customer string, shown int) string {
	n, atLimit, err := b.d.c.Store.CountOfCustomer(kind, customer, maxCount)
	if err != nil || n <= shown {
		return ""
	}
	if atLimit {
		return fmt.Sprintf("%d+ ", n-shown)
	}
	return fmt.Sprintf("%d ", n-shown)
}

// status renders a status in the palette.
func (b *sections) status(s string) string {
	if s == "" {
		return "-"
	}
	return b.d.c.Styles.Status(s).Render(s)
}

func (b *sections) money(minor int64, currency string) string { return money.Format(minor, currency) }

// when prints a unix time with minutes and how far it is from now.
func (b *sections) when(unix int64) string {
	if unix == 0 {
		return ""
	}
	c := b.d.c
	return format.Stamp(unix, c.Loc) + " " + c.Styles.Muted.Render("("+format.Relative(time.Unix(unix, 0), c.Now())+")")
}

// actions lists the money actions registered for the kind, or why they
// are unavailable in this session.
func (b *sections) actions() {
	specs := b.d.c.Actions.For(b.d.kind)
	if len(specs) == 0 {
		return
	}
	b.heading("Actions")
	s := b.d.c.Styles
	if b.d.env.Deleted {
		b.line("  " + s.Muted.Render("none: deleted in Stripe"))
		return
	}
	for _, a := range specs {
		if ok, why := b.d.c.CanAct(a.Action); !ok {
			b.line("  " + s.Muted.Render(a.Key+"  "+a.Label+" — unavailable: "+why))
			continue
		}
		// Stripe's state rules, as the footer's keys follow them.
		if why := billing.NotApplicable(a.Action, b.d.kind, b.d.env.Raw); why != "" {
			b.line("  " + s.Muted.Render(a.Key+"  "+a.Label+" — not now: "+safetext.Line(why)))
			continue
		}
		b.line("  " + s.Info.Render(a.Key) + "  " + a.Label)
	}
}

// timeline lists the cached events that touched the object.
func (b *sections) timeline() {
	b.heading("Events")
	evs, err := b.d.c.Store.EventsFor(b.d.id, 10)
	if err != nil {
		b.line("  " + b.d.c.Styles.Bad.Render("cannot read events: "+err.Error()))
		return
	}
	if len(evs) == 0 {
		b.line("  " + b.d.c.Styles.Muted.Render("no events cached for "+b.d.id+" (webhooks add them as they arrive)"))
		return
	}
	rows := make([][]string, 0, len(evs))
	for _, e := range evs {
		rows = append(rows, []string{format.Stamp(e.Created, b.d.c.Loc), e.Type, e.ObjectID, string(e.Verdict), e.ID})
	}
	b.list(eventCols, rows, false, "")
}

var eventCols = []table.Column{
	{Title: "At", Width: 16},
	{Title: "Type", Width: 30, Flex: true},
	{Title: "Object", Width: 18, Priority: 1},
	{Title: "Verdict", Width: 9, Priority: 2},
	{Title: "Event", Width: 18, Priority: 3},
}
