package audit

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/widget"
)

// detail shows one audit record and the intent behind it.
type detail struct {
	c    *common.Common
	rec  *storage.AuditRecord
	in   *storage.Intent
	vp   viewport.Model
	back key.Binding
}

func newDetail(c *common.Common, rec *storage.AuditRecord, in *storage.Intent) *detail {
	d := &detail{c: c, rec: rec, in: in, vp: viewport.New(80, 20),
		back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))}
	d.render(80)
	return d
}

func (d *detail) Init() tea.Cmd { return nil }

func (d *detail) Title() string {
	if d.rec != nil {
		return fmt.Sprintf("Audit #%d", d.rec.Seq)
	}
	return "Intent " + d.in.Key
}

func (d *detail) SetSize(w, h int) {
	d.vp.Width, d.vp.Height = w, max(1, h)
	d.render(w)
}

func (d *detail) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	var cmd tea.Cmd
	d.vp, cmd = d.vp.Update(msg)
	return d, cmd
}

func (d *detail) View() string { return d.vp.View() }

func (d *detail) ShortHelp() []key.Binding {
	return []key.Binding{d.vp.KeyMap.Down, d.vp.KeyMap.Up, d.back}
}

func (d *detail) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }

func (d *detail) render(width int) {
	s := d.c.Styles
	var b strings.Builder
	pairs := func(title string, rows [][2]string) {
		b.WriteString(s.Title.Render(title) + "\n")
		for _, r := range rows {
			// Targets, details and errors carry Stripe text: it passes
			// the boundary, and a line break in it (an error's, a memo's)
			// is a line break under the value, not an escape.
			v := safetext.Text(r[1])
			if v == "" {
				continue
			}
			b.WriteString("  " + s.Label.Render(fmt.Sprintf("%-12s", r[0])) + "  " +
				strings.ReplaceAll(ansi.Wrap(v, max(20, width-18), " ,"), "\n", "\n"+strings.Repeat(" ", 16)) + "\n")
		}
		b.WriteString("\n")
	}
	if r := d.rec; r != nil {
		pairs(fmt.Sprintf("Audit record #%d", r.Seq), [][2]string{
			{"Time", format.Stamp(r.At, d.c.Loc)}, {"Operator", r.Operator}, {"Action", actionTitle(r.Action, r.Variant, d.in)},
			{"Target", r.Target}, {"What", whatWasDone(d.c.Store, r.Action, d.in)}, {billing.AmountLabel(billing.Action(r.Action)), amount(r.Action, r.Amount, r.Currency)}, {"Outcome", r.Outcome},
			{"Request id", dash(r.RequestID)}, {"Key", dash(r.Key)}, {"Detail", r.Detail}})
	}
	if in := d.in; in != nil {
		call := string(in.Params)
		var c billing.Call
		if json.Unmarshal(in.Params, &c) == nil && c.Path != "" {
			call = c.String()
		}
		pairs("Intent", [][2]string{
			{"Key", in.Key}, {"State", string(in.State)}, {"Operator", in.Operator},
			{"Created", format.Stamp(in.CreatedAt, d.c.Loc)}, {"Updated", format.Stamp(in.UpdatedAt, d.c.Loc)},
			{"Attempts", fmt.Sprint(in.Attempts)}, {billing.AmountLabel(billing.Action(in.Action)), amount(in.Action, in.Amount, in.Currency)},
			{"Call", call}, {"Result", dash(in.ResultID)}, {"Request id", dash(in.RequestID)}, {"Error", in.Error}})
	}
	d.vp.SetContent(widget.FitLines(strings.TrimRight(b.String(), "\n"), width))
}
