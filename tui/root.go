// Package tui is paydesk's Bubble Tea console: a root model with a header,
// a page stack and a footer, over the resource tables and detail pages of
// its sub-packages. One root model runs per session (local terminal or SSH
// connection) with its own common.Common.
//
// # Wiring (main.go, tui/ssh)
//
//	c := common.New(common.Common{Store: store, Billing: bc, Receiving: rx != nil,
//		Operator: op, Mode: "demo", Offline: pingFailed})
//	m := tui.New(c) // *tui.Model, a tea.Model
//	defer m.Close() // releases the store feed subscription
//	_, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion()).Run()
//
// Billing nil or Offline set: every view browses the cache, the header says
// "offline" with the cache's age and `r` explains why it cannot refetch.
// Every cache change (webhook, catch-up, backfill page, refetch, intent,
// audit) reaches the pages through the store's feed; without Receiving the
// header says "no webhooks" instead of the event rate. For SSH, build
// Renderer from the session (bm.MakeRenderer) before common.New, so styles,
// NO_COLOR and the OSC 52 copy go to that session.
//
// # Views
//
// Views 1-5 are resource tables (tui/table with the descriptors of
// tui/resources); 6-8 are the Dunning, Webhooks and Audit pages of their
// packages. DefaultViews registers all eight; a build may register another
// view (or replace one by Name) in Views, once before the first session:
//
//	tui.Views.Register(tui.View{Key: "6", Name: "dunning", Aliases: []string{"dun"},
//		Title: "Dunning", New: func(c *common.Common) common.Page { return dunning.New(c) }})
//
// # Contract for pages (common.Page)
//
// The root owns the stack: common.Push/Pop/Toast from any page; it calls
// SetSize then Init on a pushed page; esc pops (except on a view's own page,
// where the page gets it); q, ?, :, 1-9 are global unless the page
// implements common.InputCapturer and is capturing (forms, filters).
// common.LiveMsg (one per change the store announces) and
// common.RefreshMsg go to every page on the stack, and so do messages that
// implement common.StackMsg (a page's own background answers); everything
// else only to the active page. resources.Open(c, kind, id) opens the detail page of a
// cached object; money actions register in common.Actions (detail pages show
// their keys, or CanAct's reason).
package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/audit"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/search"
)

// headerLines and footerLines frame the page body.
const (
	headerLines = 2
	footerLines = 1
	// toastFor is how long a toast stays in the footer.
	toastFor = 4 * time.Second
	// busBuffer is the session's queue on the store's feed; a session that
	// falls further behind gets a Reload change instead.
	busBuffer = 512
)

// Model is the root model of one console session.
type Model struct {
	c     *common.Common
	views *Registry
	view  View
	stack []common.Page

	keys     rootKeys
	help     help.Model
	showHelp bool

	cmdline    textinput.Model
	commanding bool

	// interrupted: the last key was a ctrl+c that a page answered
	// (common.Interruptible); the next ctrl+c quits.
	interrupted bool
	// quitting: quit was asked and answered; the rest of a key burst
	// (handleBurst) is not handled.
	quitting bool

	toast    common.ToastMsg
	toastSeq int

	sub     *storage.Subscription
	arrived []time.Time // notice times of the last minute (wall clock)

	account   storage.Account
	lastEvent int64
	// heard is when (wall clock) the last live notice arrived: the cache
	// was current then, whatever the event's own created stamp says (the
	// demo's account clock runs hours ahead of the wall between events).
	heard time.Time
}

// noticeMsg is one change of the store's feed read by listen.
type noticeMsg struct{ n storage.Change }

// tickMsg redraws the header (cache age, event rate) and rereads the
// account's sync mark.
type tickMsg struct{}

// tickEvery paces tickMsg.
const tickEvery = 30 * time.Second

func tick() tea.Cmd {
	return tea.Tick(tickEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

// toastExpiredMsg clears toast number seq.
type toastExpiredMsg struct{ seq int }

// New builds the root model of a session over c, starting on the first
// registered view (Customers). It subscribes to c.Store's change feed; call
// Close when the program ends.
func New(c *common.Common) *Model {
	return NewWith(c, Views)
}

// viewNames lists every registered view for the ":" prompt's hint, so a
// view added to the registry (coupons, promotion codes) is named there
// too: by its name, or by its first alias of 4 letters or more when the
// name is long ("subs", "promos"), so the hint fits 120 columns.
func viewNames(views *Registry) string {
	var names []string
	for _, v := range views.List() {
		name := v.Name
		if len(name) > 9 {
			for _, a := range v.Aliases {
				if len(a) >= 4 && len(a) < len(name) {
					name = a
					break
				}
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, " ")
}

// NewWith is New with another view registry (tests, custom builds).
func NewWith(c *common.Common, views *Registry) *Model {
	in := textinput.New()
	in.Prompt = ":"
	in.Placeholder = viewNames(views) + " · or a pasted id"
	h := help.New()
	h.Styles.ShortKey = c.Styles.Help.Bold(true)
	h.Styles.ShortDesc = c.Styles.Help
	h.Styles.ShortSeparator = c.Styles.Help
	h.Styles.FullKey = c.Styles.Help.Bold(true)
	h.Styles.FullDesc = c.Styles.Help
	h.Styles.FullSeparator = c.Styles.Help
	m := &Model{c: c, views: views, keys: defaultRootKeys(), help: h, cmdline: in}
	if c.Store != nil {
		m.sub = c.Store.Subscribe(busBuffer)
	}
	return m
}

// Close releases the feed subscription.
func (m *Model) Close() {
	if m.sub != nil {
		m.sub.Close()
	}
}

// Active is the page on top of the stack (nil before Init).
func (m *Model) Active() common.Page {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

// Init opens the first view and starts listening to the bus.
func (m *Model) Init() tea.Cmd {
	m.loadMeta()
	var cmds []tea.Cmd
	if vs := m.views.List(); len(vs) > 0 {
		cmds = append(cmds, m.switchTo(vs[0]))
	}
	cmds = append(cmds, m.listen(), tick(), audit.PendingBanner(m.c))
	return tea.Batch(cmds...)
}

func (m *Model) loadMeta() {
	if a, err := m.c.Store.Account(); err == nil {
		m.account = a
	}
	if e, err := m.c.Store.LastEvent(); err == nil {
		m.lastEvent = max(m.lastEvent, e.Created)
	}
}

// listen reads one notice; Update re-arms it after each one.
func (m *Model) listen() tea.Cmd {
	if m.sub == nil {
		return nil
	}
	sub := m.sub
	return func() tea.Msg {
		n, ok := sub.Next()
		if !ok {
			return nil
		}
		return noticeMsg{n: n}
	}
}

func (m *Model) bodyHeight() int { return max(1, m.c.Height-headerLines-footerLines) }

func (m *Model) switchTo(v View) tea.Cmd {
	m.view = v
	m.stack = m.stack[:0]
	m.showHelp = false
	return m.push(v.New(m.c))
}

func (m *Model) push(p common.Page) tea.Cmd {
	m.stack = append(m.stack, p)
	p.SetSize(m.c.Width, m.bodyHeight())
	return p.Init()
}

// Update handles the root's keys and messages and delegates the rest to
// the active page (live notices, refreshes and common.StackMsg go to every
// page).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.cmdline.Width = max(10, msg.Width-4)
		for _, p := range m.stack {
			p.SetSize(m.c.Width, m.bodyHeight())
		}
		return m, nil
	case tea.KeyMsg:
		if keys := splitBurst(msg); keys != nil {
			return m, m.handleBurst(keys)
		}
		return m, m.handleKey(msg)
	case common.PushPageMsg:
		if msg.Page != nil {
			m.showHelp = false
			return m, m.push(msg.Page)
		}
		return m, nil
	case common.OpenObjectMsg:
		return m, m.openObject(msg)
	case fetchedIDMsg:
		return m, m.openFetched(msg)
	case fetchedEventMsg:
		return m, m.openFetchedEvent(msg)
	case common.ActionRequestMsg:
		return m, m.requestAction(msg)
	case common.PopPageMsg:
		m.pop()
		return m, nil
	case common.ToastMsg:
		return m, m.showToast(msg)
	case toastExpiredMsg:
		if msg.seq == m.toastSeq {
			m.toast = common.ToastMsg{}
		}
		return m, nil
	case common.OperatorChangedMsg:
		m.c.Operator = msg.Operator
		m.c.ReadOnly = msg.Operator.Role == billing.RoleViewer
		t := m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: "your role is now " + string(msg.Operator.Role)})
		return m, tea.Batch(t, m.broadcast(common.RefreshMsg{}))
	case common.RefetchedMsg:
		cmd := m.showToast(common.RefetchToast(msg))
		return m, tea.Batch(cmd, m.broadcast(common.RefreshMsg{}))
	case tickMsg:
		m.loadMeta()
		return m, tea.Batch(tick(), m.delegate(common.ClockMsg{}))
	case noticeMsg:
		return m, tea.Batch(m.onNotice(msg.n), m.listen())
	case common.LiveMsg, common.RefreshMsg, common.StackMsg:
		return m, m.broadcast(msg)
	}
	return m, m.delegate(msg)
}

func (m *Model) delegate(msg tea.Msg) tea.Cmd {
	if len(m.stack) == 0 {
		return nil
	}
	i := len(m.stack) - 1
	p, cmd := m.stack[i].Update(msg)
	m.stack[i] = p
	return cmd
}

func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, p := range m.stack {
		np, cmd := p.Update(msg)
		m.stack[i] = np
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) pop() {
	if len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
	}
}

func (m *Model) showToast(t common.ToastMsg) tea.Cmd {
	m.toast = t
	m.toastSeq++
	seq := m.toastSeq
	return tea.Tick(toastFor, func(time.Time) tea.Msg { return toastExpiredMsg{seq: seq} })
}

// onNotice counts a delivered event (webhook, catch-up, replay, rejected
// request) in the event rate, toasts what staff must see and hands every
// change to every page.
func (m *Model) onNotice(n storage.Change) tea.Cmd {
	if n.Op == storage.OpEvent || n.Op == storage.OpDelivery {
		now := m.c.Wall()
		m.arrived = append(m.arrived, now)
		if n.Result.Verdict != storage.VerdictRejected {
			m.heard = now
		}
		m.trimRate(now)
	}
	if n.Result.Created > m.lastEvent {
		m.lastEvent = n.Result.Created
	}
	var cmds []tea.Cmd
	if t, ok := noticeToast(n); ok {
		cmds = append(cmds, m.showToast(t))
	}
	cmds = append(cmds, m.broadcast(common.LiveMsg{Change: n}))
	return tea.Batch(cmds...)
}

// noticeToast words the events that need a human: failed payments and
// new disputes.
func noticeToast(n storage.Change) (common.ToastMsg, bool) {
	r := n.Result
	if r.Verdict == storage.VerdictDuplicate || r.Verdict == storage.VerdictRejected {
		return common.ToastMsg{}, false
	}
	who := ""
	if r.Customer != "" {
		who = " (" + r.Customer + ")"
	}
	switch r.Type {
	case "invoice.payment_failed":
		return common.ToastMsg{Level: common.ToastError, Text: "payment failed: " + r.ObjectID + who}, true
	case "charge.dispute.created":
		return common.ToastMsg{Level: common.ToastError, Text: "new dispute: " + r.ObjectID + who}, true
	}
	return common.ToastMsg{}, false
}

func (m *Model) trimRate(now time.Time) {
	cut := now.Add(-time.Minute)
	i := 0
	for i < len(m.arrived) && !m.arrived[i].After(cut) {
		i++
	}
	m.arrived = m.arrived[i:]
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyCtrlC {
		return m.quitAsked()
	}
	if !key.Matches(msg, m.keys.Quit) {
		m.interrupted = false
	}
	if m.commanding {
		return m.updateCommand(msg)
	}
	if c, ok := m.Active().(common.InputCapturer); ok && c.CapturingInput() {
		return m.delegate(msg)
	}
	k := m.keys
	if key.Matches(msg, k.View) || key.Matches(msg, k.Command) || key.Matches(msg, k.Find) {
		if h, ok := m.Active().(common.Holder); ok && !m.showHelp {
			if why := h.Holding(); why != "" {
				return common.Toast(common.ToastWarn, why)
			}
		}
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quitAsked()
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		return nil
	case key.Matches(msg, k.Command):
		m.commanding = true
		m.cmdline.SetValue("")
		return m.cmdline.Focus()
	case key.Matches(msg, k.Find):
		m.showHelp = false
		return m.push(search.New(m.c, ""))
	case key.Matches(msg, k.Back) && (len(m.stack) > 1 || m.showHelp):
		if l, ok := m.Active().(common.Leaver); ok && !m.showHelp {
			if cmd, held := l.Leave(); held {
				return cmd
			}
		}
		if m.showHelp {
			m.showHelp = false
		} else {
			m.pop()
		}
		return nil
	case key.Matches(msg, k.View):
		if v, ok := m.views.ByKey(msg.String()); ok {
			return m.switchTo(v)
		}
		return nil
	}
	return m.delegate(msg)
}

func (m *Model) updateCommand(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		m.commanding = false
		m.cmdline.Blur()
		return nil
	case tea.KeyEnter:
		m.commanding = false
		m.cmdline.Blur()
		name := strings.TrimSpace(m.cmdline.Value())
		switch name {
		case "":
			return nil
		case "q", "quit":
			return m.quit()
		}
		if v, ok := m.views.Lookup(name); ok {
			return m.switchTo(v)
		}
		if isStripeID(name) {
			return m.openID(name)
		}
		return m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: "no view named " + name})
	}
	var cmd tea.Cmd
	m.cmdline, cmd = m.cmdline.Update(msg)
	return cmd
}

// quitAsked answers q and ctrl+c: a page holding work (an open form, an
// unsent confirmation, a request on its way) answers the first one
// (common.Interruptible) and the next one quits; elsewhere it quits.
func (m *Model) quitAsked() tea.Cmd {
	if p, ok := m.Active().(common.Interruptible); ok && !m.interrupted {
		if cmd, held := p.Interrupt(); held {
			m.interrupted = true
			return cmd
		}
	}
	return m.quit()
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.Close()
	return tea.Quit
}
