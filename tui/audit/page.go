// Package audit is view 8 of the console: the audit log of money actions,
// newest first and paged from storage, with the intents whose outcome is
// unknown (a crash, a dropped session, Stripe unreachable) in a second
// list where each can be resolved with billing's Resume on behalf of the
// session's operator.
package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/widget"
)

// resumeTimeout bounds one resolution (a lookup and a send).
const resumeTimeout = 90 * time.Second

// pendingLimit bounds the pending list and the banner's count.
const pendingLimit = 500

type mode int

const (
	modeLog mode = iota
	modePending
)

// Page is the Audit view.
type Page struct {
	c    *common.Common
	mode mode

	recs []storage.AuditRecord
	// starts holds the beforeSeq of every page shown so far (0: newest);
	// the last one is the current page's.
	starts []uint64
	more   bool

	// intents are the shown records' intents by key (what they sent).
	intents map[string]*storage.Intent
	pending []storage.Intent
	sel     int
	err     error

	confirming string // key of the intent waiting for y (common.SendKey)
	abandoning bool   // the confirmation is to abandon, not resolve
	enterHit   bool   // enter was pressed on the confirmation: say y sends
	resolving  string // key being resolved
	note       string // outcome of the last resolution

	w, h int
	keys keyMap
}

type keyMap struct {
	Up, Down, Next, Prev, Open, Toggle, Resolve, Abandon, Cancel key.Binding
}

var _ common.Page = (*Page)(nil)

// New builds the Audit view for a session.
func New(c *common.Common) common.Page {
	return &Page{c: c, w: 80, h: 20, starts: []uint64{0}, keys: keyMap{
		Up:      widget.UpKey(),
		Down:    widget.DownKey(),
		Next:    key.NewBinding(key.WithKeys("pgdown", "right", "l", " "), key.WithHelp("pgdn", "older")),
		Prev:    key.NewBinding(key.WithKeys("pgup", "left", "h"), key.WithHelp("pgup", "newer")),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Toggle:  key.NewBinding(key.WithKeys("p", "tab"), key.WithHelp("p", "log/pending")),
		Resolve: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "resolve pending")),
		Abandon: key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "abandon if never sent")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "keep")),
	}}
}

// resolvedMsg is the outcome of a Resume.
type resolvedMsg struct {
	key    string
	result billing.Result
	err    error
}

// StackWide marks resolvedMsg as a common.StackMsg: it reaches the page
// even when a detail was opened before the outcome arrived.
func (resolvedMsg) StackWide() {}

// Init reads the newest page.
func (p *Page) Init() tea.Cmd {
	p.reload()
	return nil
}

// Title is the header breadcrumb.
func (p *Page) Title() string { return "Audit" }

// SetSize re-pages to the new height.
func (p *Page) SetSize(w, h int) {
	resize := h != p.h
	p.w, p.h = w, h
	if resize && p.recs != nil {
		p.reloadLog()
	}
}

// pageSize is how many rows fit under the page's own lines (and the
// selected record's two lines of what it did).
func (p *Page) pageSize() int { return max(3, p.h-8) }

// reload reads the log page and the pending intents.
func (p *Page) reload() {
	was := p.selection()
	p.reloadLog()
	// storage indexes intents by time, not state: listing the pending
	// ones walks the intent log, so it is done on open, refresh, toggle
	// and resolve, never per page turn.
	ins, err := p.c.Store.Intents(storage.IntentPending, pendingLimit)
	if err != nil && p.err == nil {
		p.err = err
	}
	p.pending = ins
	p.reselect(was)
}

// reloadLog reads the current page of the log (one more record than
// shown, to know whether older ones exist).
func (p *Page) reloadLog() {
	was := p.selection()
	recs, err := p.c.Store.Audit(p.starts[len(p.starts)-1], p.pageSize()+1)
	p.err = err
	if err == nil {
		p.more = len(recs) > p.pageSize()
		if p.more {
			recs = recs[:p.pageSize()]
		}
		p.recs = recs
		p.intents = map[string]*storage.Intent{}
		for _, r := range recs {
			if r.Key == "" {
				continue
			}
			if in, err := p.c.Store.Intent(r.Key); err == nil {
				p.intents[r.Key] = &in
			}
		}
	}
	p.reselect(was)
}

func (p *Page) rows() int {
	if p.mode == modePending {
		return len(p.pending)
	}
	return len(p.recs)
}

// Update moves, pages, toggles, opens and resolves.
func (p *Page) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case resolvedMsg:
		p.resolving = ""
		if msg.err != nil {
			p.note = "✗ " + msg.key + ": " + billing.ExplainAction(msg.err)
		} else {
			p.note = "✓ " + msg.key + " resolved: " + string(msg.result.State) + resultWords(msg.result)
		}
		p.starts = []uint64{0}
		p.reload()
		return p, common.Toast(toastLevel(msg.err), strings.TrimPrefix(strings.TrimPrefix(p.note, "✓ "), "✗ "))
	case common.RefreshMsg:
		p.reload()
		return p, nil
	case common.LiveMsg:
		// Only intent and audit writes (this session's or another's) touch
		// the log; the newest page is one cheap read.
		if (msg.Change.Reload || msg.Change.Op == storage.OpIntent || msg.Change.Op == storage.OpAudit) && len(p.starts) == 1 {
			p.reloadLog()
		}
		return p, nil
	case tea.KeyMsg:
		return p, p.onKey(msg)
	}
	return p, nil
}

func toastLevel(err error) common.ToastLevel {
	if err != nil {
		return common.ToastError
	}
	return common.ToastInfo
}

func resultWords(r billing.Result) string {
	s := ""
	if r.ResultID != "" {
		s += ", " + r.ResultID
	}
	if r.Detail != "" {
		s += " (" + r.Detail + ")"
	}
	return s
}

func (p *Page) onKey(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	if p.confirming != "" {
		switch {
		case key.Matches(msg, common.SendKey("")):
			// y, never Enter (common.SendKey): the Enter that opened
			// a record a moment ago cannot resolve one.
			return p.resolve(p.confirming)
		case msg.Type == tea.KeyEnter:
			p.enterHit = true
		case key.Matches(msg, k.Cancel):
			p.confirming, p.abandoning = "", false
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Up):
		p.sel = max(0, p.sel-1)
	case key.Matches(msg, k.Down):
		p.sel = min(max(0, p.rows()-1), p.sel+1)
	case key.Matches(msg, k.Next):
		if p.mode == modeLog && p.more && len(p.recs) > 0 {
			p.starts = append(p.starts, p.recs[len(p.recs)-1].Seq)
			p.sel = 0
			p.reloadLog()
		}
	case key.Matches(msg, k.Prev):
		if p.mode == modeLog && len(p.starts) > 1 {
			p.starts = p.starts[:len(p.starts)-1]
			p.sel = 0
			p.reloadLog()
		}
	case key.Matches(msg, k.Toggle):
		p.mode = 1 - p.mode
		p.sel = 0
		p.reload()
	case key.Matches(msg, k.Open):
		return p.open()
	case key.Matches(msg, k.Resolve), key.Matches(msg, k.Abandon):
		if p.mode != modePending || p.sel >= len(p.pending) || p.resolving != "" {
			return nil
		}
		in := p.pending[p.sel]
		if err := p.check(billing.Action(in.Action)); err != nil {
			return common.Toast(common.ToastWarn, "resolve unavailable: "+err.Error())
		}
		p.confirming, p.abandoning, p.enterHit = in.Key, key.Matches(msg, k.Abandon), false
	}
	return nil
}

// check says whether this session may resolve an intent of action a now.
func (p *Page) check(a billing.Action) error {
	if ok, why := p.c.CanAct(a); !ok {
		return fmt.Errorf("%s", why)
	}
	if p.c.Money == nil {
		return common.ErrNoMoney
	}
	return p.c.AuthorizeNow(a)
}

func (p *Page) resolve(k string) tea.Cmd {
	abandon := p.abandoning
	p.confirming, p.abandoning = "", false
	var in storage.Intent
	for _, x := range p.pending {
		if x.Key == k {
			in = x
		}
	}
	if err := p.check(billing.Action(in.Action)); err != nil {
		return common.Toast(common.ToastWarn, "resolve unavailable: "+err.Error())
	}
	p.resolving = k
	acts, op := p.c.Money, p.c.Operator
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), resumeTimeout)
		defer cancel()
		if abandon {
			// Looked up on Stripe first: given up only when it never happened.
			r, err := acts.Abandon(ctx, op, k)
			return resolvedMsg{key: k, result: r, err: err}
		}
		r, err := acts.Resume(ctx, op, k)
		return resolvedMsg{key: k, result: r, err: err}
	}
}

func (p *Page) open() tea.Cmd {
	switch {
	case p.mode == modeLog && p.sel < len(p.recs):
		rec := p.recs[p.sel]
		var in *storage.Intent
		if rec.Key != "" {
			if x, err := p.c.Store.Intent(rec.Key); err == nil {
				in = &x
			}
		}
		return common.Push(newDetail(p.c, &rec, in))
	case p.mode == modePending && p.sel < len(p.pending):
		in := p.pending[p.sel]
		return common.Push(newDetail(p.c, nil, &in))
	}
	return nil
}

// verb is what y does on the confirmation.
func (p *Page) verb() string {
	if p.abandoning {
		return "abandon"
	}
	return "resolve"
}

// ShortHelp is the footer's help.
func (p *Page) ShortHelp() []key.Binding {
	k := p.keys
	if p.confirming != "" {
		return []key.Binding{common.SendKey(p.verb()), k.Cancel}
	}
	if p.mode == modePending {
		return []key.Binding{k.Up, k.Down, k.Open, k.Resolve, k.Abandon, k.Toggle}
	}
	return []key.Binding{k.Up, k.Down, k.Next, k.Prev, k.Open, k.Toggle}
}

// FullHelp is the `?` help.
func (p *Page) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.Next, k.Prev}, {k.Open, k.Toggle, k.Resolve, k.Cancel}}
}

// PendingBanner returns a command that toasts how many money actions are
// pending (nil message when none): the root or main fires it at start.
func PendingBanner(c *common.Common) tea.Cmd {
	store := c.Store
	return func() tea.Msg {
		ins, err := store.Intents(storage.IntentPending, pendingLimit)
		if err != nil || len(ins) == 0 {
			return nil
		}
		n := fmt.Sprint(len(ins))
		if len(ins) == pendingLimit {
			n += "+"
		}
		what := "money actions are"
		if len(ins) == 1 {
			what = "money action is"
		}
		return common.ToastMsg{Level: common.ToastWarn, Text: n + " " + what + " pending: open Audit (8) to resolve"}
	}
}
