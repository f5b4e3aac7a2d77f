package table

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/raw"
)

// row is one visible object: its cells and the envelope behind them.
type row struct {
	env   storage.Envelope
	cells []string
}

// Model is a resource table page.
type Model struct {
	c    *common.Common
	d    *Descriptor
	keys KeyMap

	width, height int
	loaded        bool

	rows   []row
	cursor int
	// after is the token the visible page starts after ("" for the first
	// page); back holds the tokens of the pages before it.
	after     string
	back      []string
	next      string
	truncated bool
	pageNo    int
	// shift is how many rows the page start moved down to keep the
	// selected row on screen while rows arrived above it (see follow).
	shift int
	err   error

	// refreshQueued is set while a coalesced first-page reload is pending.
	refreshQueued bool

	filter  int
	sort    int
	search  string
	input   textinput.Model
	editing bool
}

var (
	_ common.Page          = (*Model)(nil)
	_ common.InputCapturer = (*Model)(nil)
)

// New builds a table page for d. It reads nothing until SetSize or Init.
func New(c *common.Common, d *Descriptor) *Model {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "id, email, name, number, phone, last4, text prefix"
	in.CharLimit = 64
	return &Model{c: c, d: d, keys: DefaultKeyMap(), input: in, height: 20, width: 80}
}

// Descriptor is the kind description the table draws.
func (m *Model) Descriptor() *Descriptor { return m.d }

// Init loads the first page.
func (m *Model) Init() tea.Cmd {
	m.loaded = true
	m.reload()
	return nil
}

// Title names the view in the header.
func (m *Model) Title() string { return m.d.Title }

// CapturingInput is true while the filter line is focused.
func (m *Model) CapturingInput() bool { return m.editing }

// SetSize fits the page into the body area; the page size follows the height.
func (m *Model) SetSize(w, h int) {
	resized := h != m.height
	m.width, m.height = w, h
	m.input.Width = max(10, w-20)
	if resized && m.loaded {
		m.reload()
	}
}

// limit is how many rows fit: the body minus the title and column header.
func (m *Model) limit() int { return max(1, m.height-2) }

func (m *Model) query() storage.Query {
	q := storage.Query{Kind: m.d.Kind, Limit: m.limit(), Search: m.search, Customer: m.d.Customer}
	if len(m.d.Filters) > 0 {
		f := m.d.Filters[m.filter]
		q.Status, q.Balance = f.Status, f.Balance
	}
	if len(m.d.Sorts) > 0 {
		s := m.d.Sorts[m.sort]
		q.Sort, q.Asc = s.Sort, s.Asc
		if q.Status == "" && q.Sort == storage.SortStatusAt {
			// Time in status needs one status: across all, the heading
			// says "newest", and newest first it is (the spec's Asc is
			// for deadlines, soonest first).
			q.Sort, q.Asc = storage.SortCreated, false
		}
	}
	return q
}

// reload reads the visible page again (same position).
func (m *Model) reload() {
	q := m.query()
	q.After = m.after
	m.load(q)
}

// reloadKeep rereads the page after a live change and keeps the cursor on
// the row it was on when that row is still on the page: rows arriving
// above must not slide another customer or invoice under the cursor just
// before a key (a money action) is pressed.
func (m *Model) reloadKeep() {
	env, ok := m.Selected()
	at := m.cursor
	m.reload()
	if ok && !m.reselect(env.ID) {
		m.follow(env.ID, at)
	}
}

// reselect puts the cursor on the row of id when the page holds it.
func (m *Model) reselect(id string) bool {
	for i, r := range m.rows {
		if r.env.ID == id {
			m.cursor = i
			return true
		}
	}
	return false
}

// follow keeps the selected row on screen when rows that sort above it
// pushed it below the page: the page start moves down by as many rows, so
// the row stays at screen row at. It looks one page further at most; a row
// that left the list (its status no longer matches) is not followed.
func (m *Model) follow(id string, at int) {
	q := m.query()
	q.After, q.Limit = m.after, 2*m.limit()
	p, err := m.c.Store.List(q)
	if err != nil {
		return
	}
	i := -1
	for j, e := range p.Items {
		if e.ID == id {
			i = j
			break
		}
	}
	if i <= at {
		return
	}
	q.Limit = i - at
	skip, err := m.c.Store.List(q)
	if err != nil || skip.Next == "" {
		return
	}
	m.after = skip.Next
	m.shift += i - at
	m.reload()
	m.reselect(id)
}

func (m *Model) load(q storage.Query) {
	p, err := m.c.Store.List(q)
	if err != nil {
		m.err, m.rows = err, nil
		return
	}
	m.err = nil
	m.rows = m.rows[:0]
	for _, e := range p.Items {
		m.rows = append(m.rows, row{env: e, cells: m.d.Row(m.c, e)})
	}
	m.next, m.truncated = p.Next, p.Truncated
	m.cursor = min(m.cursor, max(0, len(m.rows)-1))
}

// first goes back to the first page (after a filter, sort or view change).
func (m *Model) first() {
	m.after, m.back, m.pageNo, m.cursor, m.shift = "", nil, 0, 0, 0
	m.reload()
}

func (m *Model) pageDown() bool {
	if m.next == "" {
		return false
	}
	m.back = append(m.back, m.after)
	m.after = m.next
	m.pageNo++
	m.cursor = 0
	m.reload()
	return true
}

func (m *Model) pageUp() bool {
	if len(m.back) == 0 {
		if m.after == "" {
			return false
		}
		m.first() // a first page moved down by follow: back to the top
		return true
	}
	m.after = m.back[len(m.back)-1]
	m.back = m.back[:len(m.back)-1]
	m.pageNo--
	m.reload()
	return true
}

// HasNext reports whether a page follows the visible one.
func (m *Model) HasNext() bool { return m.next != "" }

// Rows is how many rows the visible page holds.
func (m *Model) Rows() int { return len(m.rows) }

// Selected is the object under the cursor.
func (m *Model) Selected() (storage.Envelope, bool) {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return storage.Envelope{}, false
	}
	return m.rows[m.cursor].env, true
}

// Update handles keys, live notices and refreshes.
func (m *Model) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if m.editing {
			return m, m.updateInput(msg)
		}
		return m, m.handleKey(msg)
	case tea.MouseMsg:
		switch msg.Button {
		case tea.MouseButtonWheelDown:
			return m, m.handleKey(tea.KeyMsg{Type: tea.KeyDown})
		case tea.MouseButtonWheelUp:
			return m, m.handleKey(tea.KeyMsg{Type: tea.KeyUp})
		}
	case common.LiveMsg:
		switch m.touched(msg) {
		case touchVisible:
			m.reloadKeep()
		case touchMaybe:
			if !m.refreshQueued {
				m.refreshQueued = true
				return m, tea.Tick(coalesce, func(time.Time) tea.Msg { return common.RefreshMsg{} })
			}
		}
	case common.RefreshMsg:
		m.refreshQueued = false
		m.reloadKeep()
	}
	return m, nil
}

// coalesce batches the reloads of a first page under a burst of events.
const coalesce = 150 * time.Millisecond

type touch int

const (
	touchNone touch = iota
	// touchVisible: the notice changed a row on screen (or asks a reload).
	touchVisible
	// touchMaybe: an object of the kind changed off screen and may now
	// sort into the first page (new, or a status or balance change).
	touchMaybe
)

// touched says how a notice affects the page.
func (m *Model) touched(msg common.LiveMsg) touch {
	n := msg.Change
	if n.Reload {
		return touchVisible
	}
	if !n.Result.Changed() || n.Result.Kind != m.d.Kind {
		return touchNone
	}
	if n.Result.ObjectID == "" { // a backfill page of this kind
		return touchVisible
	}
	for _, r := range m.rows {
		if r.env.ID == n.Result.ObjectID {
			return touchVisible
		}
	}
	if m.after == "" {
		return touchMaybe
	}
	return touchNone
}

func (m *Model) updateInput(msg tea.KeyMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		m.editing = false
		m.input.Blur()
		return nil
	case "esc":
		m.editing = false
		m.input.Blur()
		m.input.SetValue("")
		m.search = ""
		m.first()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if v := strings.TrimSpace(m.input.Value()); v != m.search {
		m.search = v
		m.first()
	}
	return cmd
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Down):
		if m.cursor < len(m.rows)-1 {
			m.cursor++
		} else if m.pageDown() {
			m.cursor = 0
		}
	case key.Matches(msg, k.Up):
		if m.cursor > 0 {
			m.cursor--
		} else if m.pageUp() {
			m.cursor = max(0, len(m.rows)-1)
		}
	case key.Matches(msg, k.PageDown):
		m.pageDown()
	case key.Matches(msg, k.PageUp):
		m.pageUp()
	case key.Matches(msg, k.Top):
		m.first()
	case key.Matches(msg, k.Filter):
		m.editing = true
		m.input.SetValue(m.search)
		m.input.CursorEnd()
		return m.input.Focus()
	case key.Matches(msg, k.Clear):
		if m.search != "" {
			m.search = ""
			m.input.SetValue("")
			m.first()
		}
	case key.Matches(msg, k.Status):
		if len(m.d.Filters) == 0 {
			return common.Toast(common.ToastInfo, m.d.Title+" have no status filter")
		}
		step := 1
		if msg.String() == "F" {
			step = len(m.d.Filters) - 1
		}
		m.filter = (m.filter + step) % len(m.d.Filters)
		m.first()
	case key.Matches(msg, k.Sort):
		if len(m.d.Sorts) < 2 {
			return common.Toast(common.ToastInfo, m.d.Title+" have one order only")
		}
		m.sort = (m.sort + 1) % len(m.d.Sorts)
		m.first()
	case key.Matches(msg, k.Open):
		if env, ok := m.Selected(); ok {
			if m.d.Detail != nil {
				return common.Push(m.d.Detail(m.c, env))
			}
			return common.Push(raw.New(m.c, env.Kind, env.ID))
		}
	case key.Matches(msg, k.Raw):
		if env, ok := m.Selected(); ok {
			return common.Push(raw.New(m.c, env.Kind, env.ID))
		}
	case key.Matches(msg, k.Copy):
		if env, ok := m.Selected(); ok {
			return m.c.CopyID(env.ID)
		}
	case key.Matches(msg, k.Refetch):
		if env, ok := m.Selected(); ok {
			return m.c.Refetch(env.Kind, env.ID)
		}
	default:
		// Money actions registered for the kind run on the selected row.
		if env, ok := m.Selected(); ok {
			for _, a := range m.c.Actions.For(m.d.Kind) {
				if msg.String() == a.Key {
					return a.Start(m.c, env)
				}
			}
		}
	}
	return nil
}

// ShortHelp is the footer's help.
func (m *Model) ShortHelp() []key.Binding {
	if m.editing {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		}
	}
	k := m.keys
	return m.offered([]key.Binding{k.Open, k.Filter, k.Status, k.Sort, k.PageDown, k.Raw, k.Copy, k.Refetch})
}

// offered drops the status and sort keys from help when this kind has no
// status filter or a single order: they would only answer with a toast.
func (m *Model) offered(keys []key.Binding) []key.Binding {
	out := keys[:0:0]
	for _, b := range keys {
		if (len(m.d.Filters) == 0 && b.Help() == m.keys.Status.Help()) ||
			(len(m.d.Sorts) < 2 && b.Help() == m.keys.Sort.Help()) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// FullHelp is the `?` help.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	groups := [][]key.Binding{
		{k.Up, k.Down, k.PageDown, k.PageUp, k.Top},
		{k.Open, k.Raw, k.Copy, k.Refetch},
		m.offered([]key.Binding{k.Filter, k.Clear, k.Status, k.Sort}),
	}
	// Money actions: those the selected row's state allows.
	var actions []key.Binding
	if env, ok := m.Selected(); ok {
		for _, a := range m.c.Actions.ForObject(env) {
			actions = append(actions, key.NewBinding(key.WithKeys(a.Key), key.WithHelp(a.Key, a.Label)))
		}
	}
	if len(actions) > 0 {
		groups = append(groups, actions)
	}
	return groups
}

// heading is the line above the columns: what is listed and how.
func (m *Model) heading() string {
	s := m.c.Styles
	parts := []string{s.Title.Render(m.d.Title)}
	if len(m.d.Filters) > 0 {
		f := m.d.Filters[m.filter]
		label := "status:"
		if f.Balance != "" {
			label = "balance:"
		}
		parts = append(parts, s.Label.Render(label)+f.Label)
	}
	if len(m.d.Sorts) > 0 {
		label := m.d.Sorts[m.sort].Label
		if q := m.query(); q.Status != "" && (q.Sort == storage.SortAmount || q.Sort == storage.SortCurrencyAmount) {
			label = "newest (status filter)"
		} else if q.Status == "" && q.Sort == storage.SortStatusAt {
			label = "newest (all statuses)"
		}
		if m.search != "" && searchOrders(m.query()) {
			label = "match"
		}
		parts = append(parts, s.Label.Render("sort:")+label)
	}
	if m.editing {
		parts = append(parts, m.input.View())
	} else if m.search != "" {
		parts = append(parts, s.Label.Render("filter:")+"/"+m.search)
	}
	from := m.pageNo*m.limit() + m.shift + 1
	pos := "page " + strconv.Itoa(m.pageNo+1)
	if len(m.rows) > 0 {
		pos += fmt.Sprintf(" · %d-%d", from, from+len(m.rows)-1)
	}
	if m.next != "" {
		pos += " · more"
	}
	parts = append(parts, s.Muted.Render(pos))
	return strings.Join(parts, "  ")
}

// searchOrders reports whether the search index decides the order (no other
// index is walked, so rows come in term order).
func searchOrders(q storage.Query) bool { return q.Status == "" && q.Balance == "" && q.Customer == "" }

// View draws the heading, the column header and the page.
func (m *Model) View() string {
	s := m.c.Styles
	var b strings.Builder
	b.WriteString(m.heading())
	b.WriteByte('\n')
	cells := make([][]string, len(m.rows))
	for i, rw := range m.rows {
		cells[i] = rw.cells
	}
	shown, widths := Layout(m.d.Columns, m.width, cells)
	var hdr strings.Builder
	hdr.WriteString(strings.Repeat(" ", marker))
	for j, i := range shown {
		if j > 0 {
			hdr.WriteString(strings.Repeat(" ", gap))
		}
		col := m.d.Columns[i]
		hdr.WriteString(fitCell(strings.ToUpper(col.Title), widths[j], col.Right))
	}
	b.WriteString(s.TableHeader.Render(hdr.String()))
	switch {
	case m.err != nil:
		b.WriteString("\n" + s.Bad.Render("cannot read the cache: "+m.err.Error()))
	case len(m.rows) == 0:
		msg := "nothing cached"
		if m.d.Empty != "" {
			msg = m.d.Empty
		}
		if m.search != "" || m.filter > 0 {
			msg = "nothing matches"
		}
		if m.truncated {
			msg += " in the keys searched so far: pgdn continues"
		}
		b.WriteString("\n  " + s.Muted.Render(msg))
	}
	for r, rw := range m.rows {
		b.WriteByte('\n')
		b.WriteString(m.renderRow(rw, r == m.cursor, shown, widths))
	}
	return b.String()
}

func (m *Model) renderRow(rw row, selected bool, shown, widths []int) string {
	s := m.c.Styles
	var b strings.Builder
	if selected {
		b.WriteString("> ")
	} else {
		b.WriteString("  ")
	}
	for j, i := range shown {
		if j > 0 {
			b.WriteString("  ")
		}
		col := m.d.Columns[i]
		cell := ""
		if i < len(rw.cells) {
			cell = rw.cells[i]
		}
		text := fitCell(cell, widths[j], col.Right)
		if col.Status && !selected {
			text = s.Status(cell).Render(text)
		}
		b.WriteString(text)
	}
	if selected {
		return s.SelectedRow.Render(b.String())
	}
	return b.String()
}
