// Package pagetest runs one common.Page under teatest the way the root
// model would: it sizes the page, forwards messages, follows PushPageMsg and
// PopPageMsg on a small stack, and records the routing messages a page emits
// for the root (OpenObjectMsg, ActionRequestMsg, ToastMsg) so that tests can
// assert them.
package pagetest

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// Width and Height are the terminal size of golden tests.
const (
	Width  = 120
	Height = 36
)

// Session builds a Common for tests: ASCII renderer (no colour codes in
// goldens), a fixed clock, UTC, an admin operator.
func Session(store *storage.Store, now time.Time) *common.Common {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	return common.New(common.Common{
		Store: store, Clocks: billing.Clocks{Account: func() time.Time { return now }}, Loc: testclock.Zone(), Renderer: r,
		Operator: billing.Operator{Name: "test@paydesk", Role: billing.RoleAdmin},
		Account:  "Paydesk Test", Mode: "test",
	})
}

// Harness is a minimal root model around a page stack.
type Harness struct {
	stack []common.Page
	w, h  int

	mu     sync.Mutex
	routed []tea.Msg
}

// New wraps page.
func New(page common.Page) *Harness { return &Harness{stack: []common.Page{page}} }

// Top is the active page.
func (h *Harness) Top() common.Page { return h.stack[len(h.stack)-1] }

// Routed returns the routing messages seen so far.
func (h *Harness) Routed() []tea.Msg {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]tea.Msg(nil), h.routed...)
}

// Init initialises the first page.
func (h *Harness) Init() tea.Cmd { return h.Top().Init() }

// Update routes msg like the root model: sizes, the page stack, then the active page.
func (h *Harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.w, h.h = msg.Width, msg.Height
		for _, p := range h.stack {
			p.SetSize(msg.Width, msg.Height)
		}
		return h, nil
	case tea.KeyMsg:
		if msg.String() == "ctrl+c" {
			return h, tea.Quit
		}
	case common.PushPageMsg:
		msg.Page.SetSize(h.w, h.h)
		h.stack = append(h.stack, msg.Page)
		return h, msg.Page.Init()
	case common.PopPageMsg:
		if len(h.stack) > 1 {
			h.stack = h.stack[:len(h.stack)-1]
		}
		return h, nil
	case common.OpenObjectMsg, common.ActionRequestMsg, common.ToastMsg:
		h.mu.Lock()
		h.routed = append(h.routed, msg)
		h.mu.Unlock()
		return h, nil
	}
	p, cmd := h.Top().Update(msg)
	h.stack[len(h.stack)-1] = p
	return h, cmd
}

// View is the active page's view.
func (h *Harness) View() string { return h.Top().View() }

// WaitFor waits until the program's output read since the last wait holds
// every want; it fails the test after 15 s (a ceiling for a loaded machine,
// not a measurement: it returns as soon as the text is there).
func WaitFor(t testing.TB, tm *teatest.TestModel, want ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range want {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}
