// Package raw is the `J` page: one cached object's Stripe JSON, indented,
// in a scrolling viewport.
package raw

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
)

// Page shows the raw JSON of kind/id.
type Page struct {
	c    *common.Common
	kind storage.Kind
	id   string
	vp   viewport.Model
	copy key.Binding
	back key.Binding
}

// New builds the page; it reads the cache on Init and on live changes.
func New(c *common.Common, kind storage.Kind, id string) *Page {
	vp := viewport.New(80, 20)
	return &Page{c: c, kind: kind, id: id, vp: vp,
		copy: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy id")),
		back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// Init loads the JSON.
func (p *Page) Init() tea.Cmd {
	p.load()
	return nil
}

func (p *Page) load() {
	env, err := p.c.Store.Get(p.kind, p.id)
	if err != nil {
		p.vp.SetContent(p.c.Styles.Bad.Render(safetext.Line("cannot read " + p.id + ": " + err.Error())))
		return
	}
	head := ""
	if env.Deleted {
		head = p.c.Styles.Bad.Render("deleted in Stripe") + p.c.Styles.Muted.Render(": the last known JSON") + "\n"
	}
	// safetext.JSON redacts client secrets: they are cached as Stripe sent
	// them but never drawn.
	p.vp.SetContent(head + safetext.JSON(env.Raw))
}

// Title names the page.
func (p *Page) Title() string { return safetext.Line(p.id) + " JSON" }

// SetSize fits the viewport.
func (p *Page) SetSize(w, h int) {
	p.vp.Width, p.vp.Height = w, max(1, h)
}

// Update scrolls, copies and follows live changes of the object.
func (p *Page) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, p.copy) {
			return p, p.c.CopyID(p.id)
		}
	case common.LiveMsg:
		if msg.Touches(p.kind, p.id) {
			p.load()
		}
		return p, nil
	case common.RefreshMsg:
		p.load()
		return p, nil
	}
	var cmd tea.Cmd
	p.vp, cmd = p.vp.Update(msg)
	return p, cmd
}

// View draws the viewport.
func (p *Page) View() string { return p.vp.View() }

// ShortHelp is the footer's help.
func (p *Page) ShortHelp() []key.Binding {
	return []key.Binding{p.vp.KeyMap.Down, p.vp.KeyMap.Up, p.vp.KeyMap.PageDown, p.copy, p.back}
}

// FullHelp is the `?` help.
func (p *Page) FullHelp() [][]key.Binding {
	km := p.vp.KeyMap
	return [][]key.Binding{{km.Up, km.Down, km.PageUp, km.PageDown, km.HalfPageUp, km.HalfPageDown}, {p.copy, p.back}}
}
