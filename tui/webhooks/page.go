// Package webhooks is the Webhooks view, the inspector of webhook traffic: a
// live tail of the delivery log (time, verdict, type, object, latency,
// source, reason) with pause/resume and filters by type glob, verdict and
// object id; a stats panel (events per minute, rejects by reason, p50/p99
// latency, age of the last delivery with a warning when none arrived for a
// long time); a detail page per delivery with the stored event as pretty
// JSON (searchable) and the diff of the object against the previous event
// for the same object; and replay of a stored event into the cache.
//
// The root broadcasts common.LiveMsg (a bare storage.Change works too) for
// every delivery on its bus subscription; the page then reads the log after the last seq it showed, so it never misses
// or repeats a delivery even when the bus dropped notices.
package webhooks

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/widget"
)

const (
	// maxRows bounds the deliveries the tail keeps in memory.
	maxRows = 500
	// StatsWindow is the period the stats panel summarises.
	StatsWindow = time.Hour
	// StatsMinutes is the length of the events/min sparkline.
	StatsMinutes = 30
	// QuietAfter is how long without a delivery before the panel warns.
	QuietAfter = 15 * time.Minute
	// statsEvery re-reads the stats so ages and the warning stay current.
	statsEvery = 10 * time.Second
)

// Verdicts is the cycle of the v filter ("" is every verdict).
var Verdicts = []storage.Verdict{"", storage.VerdictApplied, storage.VerdictDuplicate, storage.VerdictRejected,
	storage.VerdictVersionMismatch, storage.VerdictOlder, storage.VerdictConflict, storage.VerdictRecorded}

// Page is the Webhooks view.
type Page struct {
	c    *common.Common
	keys KeyMap

	filter  storage.DeliveryFilter
	verdict int // index into Verdicts
	editing bool
	input   textinput.Model

	rows    []storage.Delivery // newest first
	lastSeq uint64             // newest seq read from the log (filtered or not)
	stats   storage.DeliveryStats
	loaded  bool
	err     error

	paused  bool
	pending int // deliveries announced while paused

	loading bool
	dirty   bool // incremental load wanted after the one in flight
	reload  bool // full reload wanted after the one in flight
	gen     int  // bumped by every full reload: older loads are dropped

	tickGen int

	cursor, offset int
	// chosen is set once the operator moves the cursor or acts on a row:
	// from then on the cursor stays on that delivery as rows arrive. Until
	// then, and again after g, it rides the newest row (the live tail).
	chosen        bool
	width, height int
	// fresh counts deliveries that arrived above the view while it was
	// scrolled down (the "↑ N new" marker); back at the top it is 0.
	fresh int
}

// New builds the page over the session c.
func New(c *common.Common) *Page {
	in := textinput.New()
	in.Prompt = "type glob: "
	in.Placeholder = "invoice.*"
	in.CharLimit = 80
	return &Page{c: c, keys: DefaultKeyMap(), input: in}
}

// Title names the page in the header.
func (p *Page) Title() string { return "Webhooks" }

// SetSize gives the page its area.
func (p *Page) SetSize(w, h int) { p.width, p.height = w, h }

// Rows are the deliveries on screen, newest first (for tests and the root).
func (p *Page) Rows() []storage.Delivery { return p.rows }

// Paused reports whether the tail is paused.
func (p *Page) Paused() bool { return p.paused }

// Filter is the active filter.
func (p *Page) Filter() storage.DeliveryFilter { return p.filter }

type loadedMsg struct {
	gen     int
	full    bool
	rows    []storage.Delivery // full: newest first; incremental: oldest first
	lastSeq uint64
	newest  int64 // incremental: the newest receipt's time, filtered or not
	stats   storage.DeliveryStats
	err     error
}

// statsTickMsg re-reads the stats; gen drops the ticks of an older Init,
// so a root that calls Init again never runs two clocks.
type statsTickMsg struct{ gen int }

type replayedMsg struct {
	eventID string
	res     storage.ApplyResult
	err     error
}

// Init loads the newest deliveries and starts the stats clock.
func (p *Page) Init() tea.Cmd {
	p.tickGen++
	return tea.Batch(p.load(true), p.tick())
}

func (p *Page) tick() tea.Cmd {
	gen := p.tickGen
	return tea.Tick(statsEvery, func(time.Time) tea.Msg { return statsTickMsg{gen: gen} })
}

// load reads the log: full reloads the newest page for the filter,
// otherwise it reads what was logged after lastSeq. One load runs at a time.
func (p *Page) load(full bool) tea.Cmd {
	if p.loading {
		if full {
			p.reload = true
		} else {
			p.dirty = true
		}
		return nil
	}
	p.loading = true
	if full {
		p.gen++
	}
	gen, store, f, after, now := p.gen, p.c.Store, p.filter, p.lastSeq, p.c.Wall()
	return func() tea.Msg {
		m := loadedMsg{gen: gen, full: full}
		if full {
			newest, err := store.Deliveries(0, 1)
			if err != nil {
				m.err = err
				return m
			}
			if len(newest) == 1 {
				m.lastSeq = newest[0].Seq
				page, err := store.QueryDeliveries(storage.DeliveryQuery{DeliveryFilter: f, Before: m.lastSeq + 1, Limit: maxRows})
				m.rows, m.err = page.Items, err
			}
		} else {
			m.lastSeq = after
			ds, err := store.DeliveriesAfter(after, maxRows*2)
			if err != nil {
				m.err = err
				return m
			}
			for _, d := range ds {
				m.lastSeq = d.Seq
				m.newest = max(m.newest, d.At)
				if f.Match(d) {
					m.rows = append(m.rows, d)
				}
			}
		}
		if m.err == nil && full {
			m.stats, m.err = statsOf(store, now)
		}
		return m
	}
}

// statsSample caps the receipts the panel reads (about 2 µs each).
const statsSample = 20_000

// statsOf reads the panel's figures. It runs on full loads and on the stats
// clock, not on every live delivery, so a busy endpoint does not turn each
// notice into a walk over the last hour.
func statsOf(store *storage.Store, now time.Time) (storage.DeliveryStats, error) {
	return store.DeliveryStats(storage.StatsQuery{Since: now.Add(-StatsWindow), Last: statsSample, Now: now, Minutes: StatsMinutes})
}

// The page's background answers go to every page on the stack (see
// common.StackMsg): a delivery or customer opened on top must not swallow
// them, or the tail stays "loading" and freezes after esc.
func (loadedMsg) StackWide()    {}
func (statsTickMsg) StackWide() {}
func (statsMsg) StackWide()     {}

// Update handles keys, loads, live notices and replays.
func (p *Page) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		return p, p.onLoaded(msg)
	case common.LiveMsg:
		return p, p.onNotice(msg.Change)
	case storage.Change:
		return p, p.onNotice(msg)
	case common.RefreshMsg:
		return p, p.load(true)
	case statsTickMsg:
		if msg.gen != p.tickGen {
			return p, nil
		}
		store, now := p.c.Store, p.c.Wall()
		return p, tea.Batch(
			func() tea.Msg { st, err := statsOf(store, now); return statsMsg{st, err} },
			p.tick())
	case statsMsg:
		if msg.err == nil {
			p.stats = msg.stats
		}
		return p, nil
	case replayedMsg:
		return p, tea.Batch(replayToast(msg), p.load(false))
	case tea.KeyMsg:
		if p.editing {
			return p, p.editKey(msg)
		}
		return p, p.key(msg)
	}
	return p, nil
}

// onNotice reads what was logged since the last delivery shown; every
// delivery counts, rejected ones included. Changes that log no delivery
// (backfill pages, refetches, intents, audit) are not the page's business.
func (p *Page) onNotice(n storage.Change) tea.Cmd {
	if !n.Reload && n.Delivery.Seq == 0 {
		return nil
	}
	if p.paused {
		p.pending++
		return nil
	}
	return p.load(n.Reload)
}

// CapturingInput is true while the type glob is being typed, so the root
// hands every key (q, :, digits, esc) to the page.
func (p *Page) CapturingInput() bool { return p.editing }

type statsMsg struct {
	stats storage.DeliveryStats
	err   error
}

func (p *Page) onLoaded(m loadedMsg) tea.Cmd {
	p.loading = false
	if m.gen == p.gen {
		p.err = m.err
		if m.err == nil {
			p.loaded = true
			if m.full {
				p.stats = m.stats
				sel, had := p.Selected()
				had = had && p.chosen
				p.rows, p.lastSeq = m.rows, m.lastSeq
				p.cursor, p.offset, p.fresh = 0, 0, 0
				for i, d := range p.rows { // the same delivery when it is still listed
					if had && d.Seq == sel.Seq {
						p.cursor = i
						break
					}
				}
				p.clamp()
			} else if m.lastSeq > p.lastSeq {
				p.lastSeq = m.lastSeq
				p.prepend(m.rows)
				if m.newest > 0 && (p.stats.Last.IsZero() || m.newest > p.stats.Last.UnixNano()) {
					p.stats.Last = time.Unix(0, m.newest)
				}
			}
		}
	} else if !m.full {
		p.dirty = true // read under an older filter: read again
	}
	switch {
	case p.reload:
		p.reload, p.dirty = false, false
		return p.load(true)
	case p.dirty:
		p.dirty = false
		return p.load(false)
	}
	return nil
}

// prepend puts new deliveries (oldest first) on top. Once the operator
// has chosen a row (see chosen) the cursor stays on that delivery (by seq,
// not by row), the top row included: an o, enter or R pressed just after a
// delivery arrived acts on the delivery the operator chose. At the top the
// view keeps showing the newest rows while the selection fits; scrolled down
// it keeps its rows and counts the new ones.
func (p *Page) prepend(newer []storage.Delivery) {
	if len(newer) == 0 {
		return
	}
	sel, had := p.Selected()
	had = had && p.chosen
	rows := make([]storage.Delivery, 0, min(len(newer)+len(p.rows), maxRows))
	for i := len(newer) - 1; i >= 0 && len(rows) < maxRows; i-- {
		rows = append(rows, newer[i])
	}
	for _, d := range p.rows {
		if len(rows) == maxRows {
			break
		}
		rows = append(rows, d)
	}
	p.rows = rows
	if !had {
		p.clamp()
		return
	}
	p.cursor = len(p.rows) - 1 // trimmed off the tail: the oldest kept
	for i, d := range p.rows {
		if d.Seq == sel.Seq {
			p.cursor = i
			break
		}
	}
	if p.offset > 0 {
		p.offset += len(newer)
		p.fresh += len(newer)
	}
	p.clamp()
	if p.offset > 0 && p.fresh == 0 {
		p.fresh = p.offset // the view left the top to keep the selection: all above is new
	}
}

func (p *Page) key(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	if key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Object, k.Detail, k.OpenObject, k.Replay) {
		p.chosen = true
	}
	switch {
	case key.Matches(msg, k.Up):
		p.cursor--
	case key.Matches(msg, k.Down):
		p.cursor++
	case key.Matches(msg, k.PageUp):
		p.cursor -= p.tableRows()
	case key.Matches(msg, k.PageDown):
		p.cursor += p.tableRows()
	case key.Matches(msg, k.Top):
		p.cursor, p.chosen = 0, false
	case key.Matches(msg, k.Pause):
		p.paused = !p.paused
		if !p.paused {
			p.pending = 0
			return p.load(false)
		}
	case key.Matches(msg, k.TypeFilter):
		p.editing = true
		p.input.SetValue(p.filter.Type)
		p.input.CursorEnd()
		return p.input.Focus()
	case key.Matches(msg, k.Verdict):
		p.verdict = (p.verdict + 1) % len(Verdicts)
		p.filter.Verdict = Verdicts[p.verdict]
		return p.load(true)
	case key.Matches(msg, k.Object):
		if p.filter.ObjectID != "" {
			p.filter.ObjectID = ""
			return p.load(true)
		}
		if d, ok := p.Selected(); ok && d.ObjectID != "" {
			p.filter.ObjectID = d.ObjectID
			return p.load(true)
		}
	case key.Matches(msg, k.Clear):
		p.filter, p.verdict = storage.DeliveryFilter{}, 0
		return p.load(true)
	case key.Matches(msg, k.Detail):
		if d, ok := p.Selected(); ok {
			return common.Push(NewDetail(p.c, d))
		}
	case key.Matches(msg, k.OpenObject):
		if d, ok := p.Selected(); ok && d.ObjectID != "" && d.Kind != "" {
			return common.OpenObject(d.Kind, d.ObjectID)
		}
	case key.Matches(msg, k.Replay):
		if d, ok := p.Selected(); ok {
			return Replay(p.c, d)
		}
	}
	p.clamp()
	return nil
}

func (p *Page) editKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEnter:
		glob := p.input.Value()
		if err := (storage.DeliveryFilter{Type: glob}).Validate(); err != nil {
			return common.Toast(common.ToastError, err.Error())
		}
		p.editing = false
		p.input.Blur()
		p.filter.Type = glob
		return p.load(true)
	case tea.KeyEsc:
		p.editing = false
		p.input.Blur()
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// Selected is the delivery under the cursor.
func (p *Page) Selected() (storage.Delivery, bool) {
	if p.cursor < 0 || p.cursor >= len(p.rows) {
		return storage.Delivery{}, false
	}
	return p.rows[p.cursor], true
}

func (p *Page) clamp() {
	p.cursor, p.offset = widget.Scroll(p.cursor, p.offset, len(p.rows), p.tableRows())
	if p.offset == 0 {
		p.fresh = 0
	}
}

// ShortHelp is the footer's help.
func (p *Page) ShortHelp() []key.Binding {
	k := p.keys
	if p.offset > 0 { // scrolled away from the newest: say how to get back first
		return []key.Binding{k.Top, k.Pause, k.TypeFilter, k.Verdict, k.Object, k.Detail, k.Replay}
	}
	return []key.Binding{k.Pause, k.TypeFilter, k.Verdict, k.Object, k.Detail, k.Replay}
}

// FullHelp is the ? help.
func (p *Page) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top}, {k.Pause, k.TypeFilter, k.Verdict, k.Object, k.Clear},
		{k.Detail, k.OpenObject, k.Replay}}
}

var (
	_ common.Page          = (*Page)(nil)
	_ common.InputCapturer = (*Page)(nil)
)
