package webhooks

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
)

// DetailPage shows one delivery: its receipt, the stored event as pretty
// JSON with search, and the diff of the object it carried against the
// previous event for the same object in the event log.
type DetailPage struct {
	c    *common.Common
	keys DetailKeyMap
	d    storage.Delivery

	loaded  bool
	event   string   // pretty event JSON, or why there is none
	diff    []string // diff lines, or a note
	diffOf  string   // what the diff compares
	showing int      // 0 event, 1 diff
	fold    int      // index into foldDepths (event JSON only)

	vp        viewport.Model
	searching bool
	input     textinput.Model
	query     string
	matches   []int // line numbers of matches in the shown text
	match     int

	width, height int
}

// foldDepths is the z cycle: everything, then nesting levels 1 to 4.
var foldDepths = []int{0, 1, 2, 3, 4}

// NewDetail builds the detail page of d.
func NewDetail(c *common.Common, d storage.Delivery) *DetailPage {
	in := textinput.New()
	in.Prompt = "search: "
	in.CharLimit = 120
	return &DetailPage{c: c, keys: DefaultDetailKeyMap(), d: d, vp: viewport.New(80, 20), input: in}
}

type detailMsg struct {
	event, diffOf string
	diff          []string
}

// Init loads the event and the previous state of its object.
func (p *DetailPage) Init() tea.Cmd {
	store, d := p.c.Store, p.d
	return func() tea.Msg { return loadDetail(store, d) }
}

func loadDetail(store *storage.Store, d storage.Delivery) detailMsg {
	if d.EventID == "" {
		return detailMsg{event: "(no event: the request was rejected before its body was trusted)", diff: []string{"(nothing to compare)"}}
	}
	raw, err := store.Event(d.EventID)
	if errors.Is(err, storage.ErrNotFound) {
		why := "(event " + d.EventID + " is not stored"
		if d.Verdict == storage.VerdictRejected {
			why += ": the request was rejected"
		} else {
			why += ": trimmed from the event store"
		}
		return detailMsg{event: why + ")", diff: []string{"(nothing to compare)"}}
	}
	if err != nil {
		return detailMsg{event: "(" + err.Error() + ")", diff: []string{"(nothing to compare)"}}
	}
	m := detailMsg{event: PrettyJSON(raw)}
	after := dataObject(raw)
	if after == nil || d.ObjectID == "" {
		m.diff = []string{"(this event carries no cached object)"}
		return m
	}
	prev, err := previousEvent(store, d.ObjectID, d.EventID)
	switch {
	case err != nil:
		m.diff = []string{"(" + err.Error() + ")"}
	case prev == "":
		m.diffOf = "no earlier event for " + d.ObjectID + " in the log: the whole object as this event carried it"
		m.diff = LineDiff("", PrettyJSON(after), 3)
	default:
		before, err := store.Event(prev)
		if err != nil {
			m.diff = []string{"(previous event " + prev + ": " + err.Error() + ")"}
			break
		}
		m.diffOf = fmt.Sprintf("%s as of %s → as of %s", d.ObjectID, prev, d.EventID)
		m.diff = LineDiff(PrettyJSON(dataObject(before)), PrettyJSON(after), 3)
	}
	return m
}

// previousEvent is the object's event logged just before eventID, in
// Stripe's order (created, then log order within a second); "" when there is
// none.
func previousEvent(store *storage.Store, objectID, eventID string) (string, error) {
	prev, ok, err := store.EventBefore(objectID, eventID)
	if err != nil || !ok {
		return "", err
	}
	return prev.ID, nil
}

func dataObject(raw []byte) json.RawMessage {
	var ev struct {
		Data struct {
			Object json.RawMessage `json:"object"`
		} `json:"data"`
	}
	if json.Unmarshal(raw, &ev) != nil || len(ev.Data.Object) == 0 {
		return nil
	}
	return ev.Data.Object
}

// Title names the page in the header.
func (p *DetailPage) Title() string { return "Delivery " + dash(p.d.EventID) }

// SetSize gives the page its area.
func (p *DetailPage) SetSize(w, h int) {
	p.width, p.height = w, h
	p.vp.Width = max(20, w)
	p.vp.Height = max(3, h-len(p.header()))
	p.render()
}

// Update handles keys and the loaded detail.
func (p *DetailPage) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case detailMsg:
		p.loaded = true
		p.event, p.diff, p.diffOf = msg.event, msg.diff, msg.diffOf
		p.SetSize(p.width, p.height)
		return p, nil
	case replayedMsg:
		return p, replayToast(msg)
	case tea.KeyMsg:
		if p.searching {
			return p, p.searchKey(msg)
		}
		return p, p.key(msg)
	}
	return p, nil
}

func (p *DetailPage) key(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	switch {
	case key.Matches(msg, k.Back):
		return common.Pop() // the root pops on esc itself; this serves roots that delegate it
	case key.Matches(msg, k.Toggle):
		p.showing = 1 - p.showing
		p.render()
		p.vp.GotoTop()
	case key.Matches(msg, k.Fold):
		p.fold = (p.fold + 1) % len(foldDepths)
		p.render()
		p.vp.GotoTop()
	case key.Matches(msg, k.Search):
		p.searching = true
		p.input.SetValue(p.query)
		p.input.CursorEnd()
		return p.input.Focus()
	case key.Matches(msg, k.Next):
		p.jump(1)
	case key.Matches(msg, k.Prev):
		p.jump(-1)
	case key.Matches(msg, k.Replay):
		return Replay(p.c, p.d)
	case key.Matches(msg, k.OpenObject):
		if p.d.ObjectID != "" && p.d.Kind != "" {
			return common.OpenObject(p.d.Kind, p.d.ObjectID)
		}
	default:
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		return cmd
	}
	return nil
}

func (p *DetailPage) searchKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEnter:
		p.searching = false
		p.input.Blur()
		p.query = p.input.Value()
		p.render()
		p.match = -1
		p.jump(1)
		return nil
	case tea.KeyEsc:
		p.searching = false
		p.input.Blur()
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// jump moves to the next (dir 1) or previous (-1) match, wrapping.
func (p *DetailPage) jump(dir int) {
	if len(p.matches) == 0 {
		return
	}
	p.match = (p.match + dir + len(p.matches)) % len(p.matches)
	p.render()
	p.vp.SetYOffset(max(0, p.matches[p.match]-p.vp.Height/3))
}

// render fills the viewport with the shown text, marking search matches in
// the gutter ("> " the current one, "* " the others).
func (p *DetailPage) render() {
	text := FoldJSON(p.event, foldDepths[p.fold])
	if p.showing == 1 {
		text = strings.Join(p.diff, "\n")
	}
	lines := strings.Split(text, "\n")
	p.matches = p.matches[:0]
	q := strings.ToLower(p.query)
	for i, l := range lines {
		if q != "" && strings.Contains(strings.ToLower(l), q) {
			p.matches = append(p.matches, i)
		}
	}
	p.match = min(p.match, len(p.matches)-1)
	text = safetext.EscapeJSON(text) // error lines and non-JSON bodies too
	if q == "" {
		p.vp.SetContent(text)
		return
	}
	var b strings.Builder
	for i, l := range lines {
		gutter := "  "
		for mi, m := range p.matches {
			if m == i {
				gutter = "* "
				if mi == p.match {
					gutter = "> "
				}
			}
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(gutter + l)
	}
	p.vp.SetContent(b.String())
}

func (p *DetailPage) header() []string {
	st := p.c.Styles
	d := p.d // a copy: the page looks the event up by the raw ids
	safetext.Walk(&d)
	at := time.Unix(0, d.At).In(p.c.Loc)
	l1 := fmt.Sprintf("%s  %s  %s  %s", st.Title.Render(dash(d.Type)), d.Verdict, dash(d.ObjectID), st.Muted.Render(dash(d.EventID)))
	l2 := st.Muted.Render(fmt.Sprintf("seq %d · %s (%s) · %s · HTTP %d · %s · %d bytes · api %s",
		d.Seq, at.Format("2006-01-02 15:04:05.000 MST"), format.Relative(at, p.c.Wall()), dash(d.Source), d.Status,
		latency(time.Duration(d.LatencyUS)*time.Microsecond), d.Bytes, dash(d.APIVersion)))
	if d.Seq == 0 {
		// Opened by id with no receipt: it came by Events-API catch-up
		// (or its receipt left the log); only the event log's time is known.
		when := "time unknown"
		if d.At > 0 {
			when = "created " + at.Format("2006-01-02 15:04:05 MST") + " (" + format.Relative(at, p.c.Wall()) + ")"
		}
		l2 = st.Muted.Render("no webhook receipt in the log (applied by Events API catch-up, or the receipt was trimmed) · " + when)
	}
	out := []string{l1, l2}
	if d.Account != "" {
		out = append(out, st.Warn.Render("connected account "+d.Account)+st.Muted.Render(": kept apart from the platform's cache"))
	}
	if d.Reason != "" {
		out = append(out, st.Bad.Render("reason: "+d.Reason))
	}
	tabs := "[event JSON]  diff"
	if d := foldDepths[p.fold]; d > 0 {
		tabs += st.Muted.Render(fmt.Sprintf("  folded below depth %d (z)", d))
	}
	if p.showing == 1 {
		tabs = " event JSON  [diff]"
		if p.diffOf != "" {
			tabs += st.Muted.Render("  " + safetext.Line(p.diffOf))
		}
	}
	out = append(out, tabs)
	switch {
	case p.searching:
		out = append(out, p.input.View())
	case p.query != "":
		out = append(out, st.Muted.Render(fmt.Sprintf("search %q: %d matching lines (n/N)", p.query, len(p.matches))))
	}
	return out
}

// View draws the page.
func (p *DetailPage) View() string {
	hdr := p.header()
	if !p.loaded {
		return strings.Join(append(hdr, p.c.Styles.Muted.Render("loading…")), "\n")
	}
	if p.height > 0 {
		p.vp.Height = max(3, p.height-len(hdr)) // the header grows while searching
	}
	return strings.Join(append(hdr, p.vp.View()), "\n")
}

// ShortHelp is the footer's help.
func (p *DetailPage) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{k.Toggle, k.Search, k.Next, k.Replay, k.Back}
}

// FullHelp is the ? help.
func (p *DetailPage) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Toggle, k.Fold, k.Search, k.Next, k.Prev}, {k.Replay, k.OpenObject, k.Back}}
}

// CapturingInput is true while a search is being typed.
func (p *DetailPage) CapturingInput() bool { return p.searching }

var (
	_ common.Page          = (*DetailPage)(nil)
	_ common.InputCapturer = (*DetailPage)(nil)
)
