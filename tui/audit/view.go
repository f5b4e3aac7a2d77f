package audit

import (
	"fmt"
	"strings"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/table"
)

// The Action column is never cut (credit note and credit note void, trial
// end now and trial extension must read apart): on a narrow terminal the
// request id and key, then the time, give way, and the line under the
// table gives the selected record's in full.
var logCols = []table.Column{
	{Title: "Time", Width: 16, Priority: 2},
	{Title: "Operator", Width: 10, Flex: true, Min: 8},
	{Title: "Action", Width: 32},
	{Title: "Target", Width: 18, Min: 14},
	{Title: "Amount", Width: 16, Right: true},
	{Title: "Outcome", Width: 9, Status: true},
	{Title: "Request", Width: 12, Min: 8, Priority: 4},
	{Title: "Key", Width: 12, Flex: true, Min: 8, Priority: 3},
}

var pendingCols = []table.Column{
	{Title: "Since", Width: 16, Priority: 2},
	{Title: "Operator", Width: 12, Flex: true, Min: 8},
	{Title: "Action", Width: 32},
	{Title: "Target", Width: 18, Min: 14},
	{Title: "Amount", Width: 16, Right: true},
	{Title: "Tries", Width: 5, Right: true, Priority: 1},
	{Title: "Last error", Width: 16, Flex: true, Min: 10, Priority: 2},
	{Title: "Key", Width: 27, Min: 12, Priority: 3},
}

// amount formats an audit amount ("" when none moved); a credit
// adjustment's amount is a balance change, worded as every screen words a
// balance transaction ("€10.00 credit", "€10.00 debit").
func amount(action string, minor int64, cur string) string {
	if minor == 0 && cur == "" {
		return ""
	}
	if minor == 0 {
		return "—"
	}
	return billing.AmountWords(billing.Action(action), minor, cur)
}

// View draws the list of the current mode.
func (p *Page) View() string {
	s := p.c.Styles
	var b strings.Builder
	logTab, pendTab := s.Title.Render("Log"), s.Muted.Render(fmt.Sprintf("Pending (%d)", len(p.pending)))
	if p.mode == modePending {
		logTab, pendTab = s.Muted.Render("Log"), s.Title.Render(fmt.Sprintf("Pending (%d)", len(p.pending)))
	}
	b.WriteString("Audit  " + logTab + " │ " + pendTab)
	if p.mode == modeLog {
		b.WriteString("  " + s.Muted.Render(fmt.Sprintf("page %d, newest first", len(p.starts))))
	}
	b.WriteString("\n")
	if p.err != nil {
		b.WriteString(s.Bad.Render("cannot read the audit log: "+p.err.Error()) + "\n")
	}
	var cols []table.Column
	var rows [][]string
	empty := ""
	if p.mode == modeLog {
		cols = logCols
		for _, r := range p.recs {
			rows = append(rows, []string{format.Stamp(r.At, p.c.Loc), r.Operator, actionTitle(r.Action, r.Variant, p.intents[r.Key]), r.Target,
				amount(r.Action, r.Amount, r.Currency), r.Outcome, dash(r.RequestID), dash(r.Key)})
		}
		empty = "No money action has been recorded yet."
	} else {
		cols = pendingCols
		for _, in := range p.pending {
			rows = append(rows, []string{format.Stamp(in.CreatedAt, p.c.Loc), in.Operator, actionTitle(in.Action, "", &in), in.Target,
				amount(in.Action, in.Amount, in.Currency), fmt.Sprint(in.Attempts), dash(in.Error), in.Key})
		}
		empty = "Nothing pending: every money action has a known outcome."
	}
	if len(rows) == 0 {
		b.WriteString("\n  " + s.Muted.Render(empty) + "\n")
	} else {
		lines := strings.Split(table.Render(s, cols, rows, p.w), "\n")
		for i, l := range lines {
			if i-1 == p.sel {
				l = s.SelectedRow.Render(">" + strings.TrimPrefix(l, " "))
			}
			b.WriteString(l + "\n")
		}
	}
	b.WriteString(p.selectedLines())
	if p.mode == modeLog && p.more {
		b.WriteString("  " + s.Muted.Render("older records: pgdn") + "\n")
	}
	switch {
	case p.confirming != "" && p.enterHit:
		b.WriteString("\n  " + s.Warn.Render(common.EnterDoesNotSend) + " " + s.Muted.Render("y "+p.verb()+" · esc keep"))
	case p.confirming != "" && p.abandoning:
		b.WriteString("\n  " + s.Warn.Render("Abandon "+p.describe(p.confirming)+" as "+p.c.Operator.Name+"?") +
			" " + s.Muted.Render("Stripe is asked first; it is given up (and audited) only if Stripe shows no trace of it. y abandon · esc keep"))
	case p.confirming != "":
		b.WriteString("\n  " + s.Warn.Render(safetext.Line("Resolve "+p.describe(p.confirming)+" as "+p.c.Operator.Name+"?")) +
			" " + s.Muted.Render("Stripe is asked first; the request is sent again with its key only if needed. y resolve · esc keep"))
	case p.resolving != "":
		b.WriteString("\n  " + s.Info.Render(safetext.Line("resolving "+p.resolving+" with Stripe…")))
	case p.note != "":
		b.WriteString("\n  " + p.note)
	}
	return b.String()
}

func (p *Page) describe(k string) string {
	for _, in := range p.pending {
		if in.Key == k {
			a := actionTitle(in.Action, "", &in) + " " + in.Target
			if in.Amount != 0 {
				a += " " + amount(in.Action, in.Amount, in.Currency)
			}
			return a + " (" + k + ")"
		}
	}
	return k
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// selectedLines words the selected record in full under the table, at
// most two lines: when, who, the action's title, its target, what it
// changed, the request id and the key (the columns a narrow terminal
// drops).
func (p *Page) selectedLines() string {
	if p.mode != modeLog || p.sel >= len(p.recs) {
		return ""
	}
	r := p.recs[p.sel]
	in := p.intents[r.Key]
	parts := []string{format.Stamp(r.At, p.c.Loc) + " " + r.Operator + ": " + actionTitle(r.Action, r.Variant, in) + " " + r.Target}
	if w := whatWasDone(p.c.Store, r.Action, in); w != "" {
		parts = append(parts, w)
	}
	parts = append(parts, "request "+dash(r.RequestID), "key "+dash(r.Key))
	lines := wrap(safetext.Line(strings.Join(parts, " · ")), p.w-2)
	if len(lines) > 2 {
		lines = append(lines[:1], safetext.Trunc(strings.Join(lines[1:], " "), max(10, p.w-2)))
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("  " + p.c.Styles.Muted.Render(l) + "\n")
	}
	return b.String()
}
