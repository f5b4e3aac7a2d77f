package dunning

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	bd "github.com/paydesk/paydesk/billing/dunning"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/widget"
)

const maxDeclines = 5

// View draws the page.
func (p *Page) View() string {
	st := p.c.Styles
	if p.err != nil {
		return st.Bad.Render("dunning: " + p.err.Error())
	}
	if !p.loaded {
		return st.Muted.Render("computing dunning figures…")
	}
	top := p.top(p.declineRows())
	lines := append(top, p.table(p.tableRows())...)
	return strings.Join(lines, "\n")
}

// minWorklist is how many worklist rows the page keeps on short terminals
// (80x24), giving up decline-code rows for them: the worklist is what
// staff act on.
const minWorklist = 5

func (p *Page) bodyHeight() int {
	if p.height <= 0 {
		return 36
	}
	return p.height
}

// declineRows is how many decline codes the figures list: maxDeclines
// unless that leaves fewer than minWorklist worklist rows; 0 puts the
// codes on one line.
func (p *Page) declineRows() int {
	short := minWorklist + 3 - (p.bodyHeight() - len(p.top(maxDeclines)))
	if short <= 0 {
		return maxDeclines
	}
	return max(0, maxDeclines-short-1) // -1: the "+ N more" line
}

// tableRows is how many worklist rows fit under the figures.
func (p *Page) tableRows() int {
	return max(1, p.bodyHeight()-len(p.top(p.declineRows()))-3) // title, header and the "more" line
}

// top is the figures, the chart and up to declines decline codes.
func (p *Page) top(declines int) []string {
	st := p.c.Styles
	r := &p.report
	loc := p.c.Loc
	var tabs []string
	for i, w := range bd.Windows {
		if i == p.window {
			tabs = append(tabs, st.Title.Render("["+w.String()+"]"))
		} else {
			tabs = append(tabs, st.Muted.Render(w.String()))
		}
	}
	title := st.Title.Render(fmt.Sprintf("Dunning · last %d days", r.Window.Days)) +
		st.Muted.Render(fmt.Sprintf("  %s → %s", r.From.In(loc).Format("2006-01-02"), r.To.In(loc).Format("2006-01-02 15:04 MST")))
	head := widget.Spread(title, "window "+strings.Join(tabs, " "), p.width)

	label := func(s string) string { return st.Label.Render(fmt.Sprintf("%-19s", s)) }
	rates := []string{}
	for _, cur := range r.Cohort.Invoices.Amount.Currencies() {
		rates = append(rates, fmt.Sprintf("%s %s", strings.ToUpper(cur), pct(r.RateByAmount[cur])))
	}
	// Every payment figure follows one cohort, said on screen: the invoices
	// with a failed payment in the window; what became of them since.
	rateLine := fmt.Sprintf("%s (%d of %d)", pct(r.RateByCount), r.Cohort.Recovered.Count, r.Cohort.Invoices.Count)
	if len(rates) > 0 {
		rateLine += " · by amount " + strings.Join(rates, " · ")
	}
	out := []string{
		head,
		ansi.Truncate(st.Muted.Render(fmt.Sprintf("Cohort: invoices with a failed payment in the window (%s)",
			plural(r.Failed.Count, "attempt", "attempts"))), max(1, p.width), "…"),
		label("Failed") + fmt.Sprintf("%-17s", plural(r.Cohort.Invoices.Count, "invoice", "invoices")) + amounts(r.Cohort.Invoices.Amount) + st.Muted.Render(" due"),
		label("Recovered") + fmt.Sprintf("%-17s", plural(r.Cohort.Recovered.Count, "invoice", "invoices")) + recovered(r.Cohort.Recovered, st.Muted.Render(" paid since")),
		label("Still unpaid") + fmt.Sprintf("%-17s", plural(r.Cohort.Unpaid.Count, "invoice", "invoices")) + recovered(r.Cohort.Unpaid, st.Muted.Render(" owed")) + closed(r.Cohort.Closed, st.Muted.Render),
		label("Recovery rate") + rateLine,
		label("At-risk MRR") + fmt.Sprintf("%-17s", plural(r.AtRisk.Count, "subscription", "subscriptions")) + st.Warn.Render(amounts(r.AtRisk.Amount)) + unpriced(st.Muted.Render, r.AtRisk.Unpriced),
		label("Involuntary churn") + fmt.Sprintf("%-17s", plural(r.Churned.Count, "subscription", "subscriptions")) + st.Bad.Render(amounts(r.Churned.Amount)) + st.Muted.Render(" MRR lost") + unpriced(st.Muted.Render, r.Churned.Unpriced),
	}
	if declines > 0 {
		out = append(out, "") // a short terminal keeps the line for the worklist
	}
	out = append(out, seriesLines(r.Days, func(s string) string { return st.Label.Render(s) })...)
	if declines == 0 && len(r.Declines) > 0 {
		// Short terminal: the codes on one line, the worklist keeps the rows.
		var codes []string
		for _, d := range r.Declines {
			codes = append(codes, fmt.Sprintf("%s %d", d.Code, d.Count))
		}
		line := st.Title.Render("Decline codes") + "  " + strings.Join(codes, " · ")
		return append(out, "", ansi.Truncate(line, max(1, p.width), "…"), "")
	}
	out = append(out, "", st.Title.Render("Decline codes")+st.Muted.Render(" · each failed invoice by its latest attempt"))
	if len(r.Declines) == 0 {
		out = append(out, st.Muted.Render("  no failed invoices in this window"))
	}
	topCount := 0
	for _, d := range r.Declines {
		topCount = max(topCount, d.Count)
	}
	for i, d := range r.Declines {
		if i == declines {
			out = append(out, st.Muted.Render("  + "+plural(len(r.Declines)-declines, "more code", "more codes")))
			break
		}
		bar := strings.Repeat("█", max(1, d.Count*12/max(topCount, 1)))
		out = append(out, fmt.Sprintf("  %s %4d  %-12s %s", widget.Cell(d.Code, 22, false), d.Count, st.Bad.Render(bar)+strings.Repeat(" ", 12-lipgloss.Width(bar)), amounts(d.Amount)))
	}
	if n := r.WithoutInvoice; n.Count > 0 {
		out = append(out, ansi.Truncate(st.Muted.Render(fmt.Sprintf("  and %s without an invoice: %s",
			plural(n.Count, "failed payment", "failed payments"), amounts(n.Amount))), max(1, p.width), "…"))
	}
	return append(out, "")
}

// Worklist columns; drop > 0 gives up the column on narrow terminals, the
// lowest first, so the amount due and next retry stay visible at 80.
var columns = []struct {
	title string
	width int
	right bool
	drop  int
}{
	{"KIND", 4, false, 3}, {"ID", 19, false, 0}, {"CUSTOMER", 20, false, 0}, {"STATUS", 10, false, 0}, {"TRIES", 5, true, 1},
	{"LAST DECLINE", 20, false, 2}, {"NEXT RETRY", 11, false, 0}, {"AMOUNT DUE", 14, true, 0},
}

// shownColumns is which columns fit in width (the two-cell marker included).
func shownColumns(width int) []bool {
	shown := make([]bool, len(columns))
	total := 2 - 1
	for i, c := range columns {
		shown[i] = true
		total += c.width + 1
	}
	for level := 3; level >= 1 && width > 0 && total > width; level-- {
		for i, c := range columns {
			if c.drop == level {
				shown[i] = false
				total -= c.width + 1
			}
		}
	}
	return shown
}

func (p *Page) table(rows int) []string {
	st := p.c.Styles
	r := &p.report
	dir := "↓"
	if !p.desc {
		dir = "↑"
	}
	owed := bd.Amounts{}
	for _, it := range r.Work {
		owed.Add(it.Currency, it.AmountDue)
	}
	// The sort first: a narrow terminal cuts the end. The owed total is
	// today's, whatever the window the figures above cover.
	out := []string{ansi.Truncate(st.Title.Render(fmt.Sprintf("Worklist · %d in dunning", len(r.Work)))+
		st.Muted.Render(fmt.Sprintf(" · sort: %s %s · ", bd.SortKeys[p.sortKey], dir))+
		st.Title.Render(amounts(owed)+" owed")+st.Muted.Render(" now (any window)"), max(1, p.width), "…")}
	shown := shownColumns(p.width)
	var hdr []string
	for i, c := range columns {
		if shown[i] {
			hdr = append(hdr, widget.Cell(c.title, c.width, c.right))
		}
	}
	out = append(out, "  "+st.TableHeader.Render(strings.Join(hdr, " ")))
	if len(r.Work) == 0 {
		return append(out, st.Muted.Render("  nothing in dunning"))
	}
	now := p.c.Now()
	end := min(len(r.Work), p.offset+rows)
	for i := p.offset; i < end; i++ {
		it := r.Work[i]
		kind := "inv"
		if it.Kind == storage.KindSubscription {
			kind = "sub"
		}
		next := "-"
		if it.NextAttempt > 0 {
			next = format.Relative(time.Unix(it.NextAttempt, 0), now)
		}
		vals := []string{kind, it.ID, orDash(it.CustomerName, it.Customer), it.Status, fmt.Sprint(it.Attempts),
			orDash(it.LastDecline, ""), next, money.Format(it.AmountDue, it.Currency)}
		var cells []string
		for j, c := range columns {
			if !shown[j] {
				continue
			}
			s := widget.Cell(vals[j], c.width, c.right)
			if j == 3 && i != p.cursor { // the selected row is one style end to end
				s = st.Status(it.Status).Render(s)
			}
			cells = append(cells, s)
		}
		line := strings.Join(cells, " ")
		if i == p.cursor {
			out = append(out, st.SelectedRow.Render("> "+line))
		} else {
			out = append(out, "  "+line)
		}
	}
	if end < len(r.Work) {
		out = append(out, st.Muted.Render(fmt.Sprintf("  … %d more", len(r.Work)-end)))
	}
	return out
}

func amounts(a bd.Amounts) string {
	if len(a) == 0 {
		return "-"
	}
	var parts []string
	for _, cur := range a.Currencies() {
		parts = append(parts, money.Format(a[cur], cur))
	}
	return strings.Join(parts, " · ")
}

// recovered is the cohort's amounts paid and suffix, or nothing when none
// was paid ("0 invoices", not "0 invoices - paid since").
func recovered(t bd.Tally, suffix string) string {
	if t.Count == 0 {
		return ""
	}
	return amounts(t.Amount) + suffix
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

func orDash(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return "-"
}

// unpriced marks a figure that leaves out n subscriptions' metered or
// tiered items (their amount is only known from Stripe's invoices).
func unpriced(muted func(...string) string, n int) string {
	if n == 0 {
		return ""
	}
	return muted(fmt.Sprintf(" · excludes metered/tiered items of %s", plural(n, "subscription", "subscriptions")))
}

// closed names the cohort's invoices neither paid nor owed, by status
// (" · 10 void"), so the three lines add up to the failed one.
func closed(byStatus map[string]int, muted func(...string) string) string {
	var parts []string
	for _, st := range slices.Sorted(maps.Keys(byStatus)) {
		parts = append(parts, fmt.Sprintf("%d %s", byStatus[st], st))
	}
	if len(parts) == 0 {
		return ""
	}
	return muted(" · " + strings.Join(parts, " · "))
}
