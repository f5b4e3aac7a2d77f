package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/webhooks"
)

// fetchedEventPage shows an event retrieved from Stripe for a pasted evt_
// id that is not in the cache. It is not applied to the cache (the cached
// objects may be newer than it): it is shown as Stripe sent it.
type fetchedEventPage struct {
	c    *common.Common
	id   string
	vp   viewport.Model
	copy key.Binding
	back key.Binding
}

func newFetchedEventPage(c *common.Common, id string, raw []byte) *fetchedEventPage {
	p := &fetchedEventPage{c: c, id: id, vp: viewport.New(80, 20),
		copy: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy id")),
		back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
	note := c.Styles.Muted.Render("from Stripe (not in the cache; not applied to it)")
	// Indented JSON escapes control characters inside strings; strip any
	// escape sequence that a broken body could still carry.
	p.vp.SetContent(note + "\n" + ansi.Strip(webhooks.PrettyJSON(raw)))
	return p
}

func (p *fetchedEventPage) Init() tea.Cmd { return nil }

func (p *fetchedEventPage) Title() string { return "Event " + p.id }

func (p *fetchedEventPage) SetSize(w, h int) { p.vp.Width, p.vp.Height = w, max(1, h) }

func (p *fetchedEventPage) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, p.copy) {
		return p, p.c.CopyID(p.id)
	}
	var cmd tea.Cmd
	p.vp, cmd = p.vp.Update(msg)
	return p, cmd
}

func (p *fetchedEventPage) View() string { return strings.TrimRight(p.vp.View(), "\n") }

func (p *fetchedEventPage) ShortHelp() []key.Binding {
	return []key.Binding{p.vp.KeyMap.Down, p.copy, p.back}
}

func (p *fetchedEventPage) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.vp.KeyMap.Up, p.vp.KeyMap.Down, p.vp.KeyMap.PageUp, p.vp.KeyMap.PageDown}, {p.copy, p.back}}
}
