package resources

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/table"
)

// Payments is the Payments view: every charge (guest payments without a
// customer included), and with `t` every payment intent. Each is the
// generic resource table, with its own filter, sort and position.
type Payments struct {
	c      *common.Common
	tables [2]*table.Model
	cur    int
	toggle key.Binding
}

var (
	_ common.Page          = (*Payments)(nil)
	_ common.InputCapturer = (*Payments)(nil)
)

// NewPayments builds the view on the charges table.
func NewPayments(c *common.Common) *Payments {
	return &Payments{c: c,
		tables: [2]*table.Model{table.New(c, Charges()), table.New(c, PaymentIntents())},
		toggle: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "charges/intents")),
	}
}

// Active is the table shown (charges or payment intents).
func (p *Payments) Active() *table.Model { return p.tables[p.cur] }

// Init loads the charges.
func (p *Payments) Init() tea.Cmd { return p.tables[0].Init() }

// Title names the view.
func (p *Payments) Title() string { return "Payments" }

// CapturingInput follows the shown table's filter line.
func (p *Payments) CapturingInput() bool { return p.Active().CapturingInput() }

// SetSize sizes both tables.
func (p *Payments) SetSize(w, h int) {
	for _, t := range p.tables {
		t.SetSize(w, h)
	}
}

// Update switches tables with t and hands everything else to the shown one
// (live notices to both).
func (p *Payments) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if !p.Active().CapturingInput() && key.Matches(msg, p.toggle) {
			p.cur = 1 - p.cur
			return p, p.Active().Init()
		}
	case common.LiveMsg, common.RefreshMsg:
		var cmds []tea.Cmd
		for i, t := range p.tables {
			np, cmd := t.Update(msg)
			p.tables[i] = np.(*table.Model)
			cmds = append(cmds, cmd)
		}
		return p, tea.Batch(cmds...)
	}
	np, cmd := p.Active().Update(msg)
	p.tables[p.cur] = np.(*table.Model)
	return p, cmd
}

// View draws the shown table.
func (p *Payments) View() string { return p.Active().View() }

// ShortHelp adds the toggle to the table's keys.
func (p *Payments) ShortHelp() []key.Binding {
	return append([]key.Binding{p.toggle}, p.Active().ShortHelp()...)
}

// FullHelp adds the toggle to the table's groups.
func (p *Payments) FullHelp() [][]key.Binding {
	return append([][]key.Binding{{p.toggle}}, p.Active().FullHelp()...)
}
