package webhooks

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/table"
	"github.com/paydesk/paydesk/tui/widget"
)

// View draws the page.
func (p *Page) View() string {
	lines := p.top()
	return strings.Join(append(lines, p.table(p.tableRows())...), "\n")
}

func (p *Page) tableRows() int {
	h := p.height
	if h <= 0 {
		h = 36
	}
	return max(1, h-len(p.top())-3) // header, the "more" line and the selection line
}

func (p *Page) top() []string {
	st := p.c.Styles
	state := st.Good.Render("● live")
	if p.paused {
		state = st.Warn.Render(fmt.Sprintf("‖ paused · %d new", p.pending))
	}
	title := st.Title.Render("Webhooks") + "  " + state + st.Muted.Render(fmt.Sprintf("  · %d shown", len(p.rows)))
	switch { // scrolled down: what is above the view, and the way back
	case p.fresh > 0:
		title += "  " + st.Warn.Render(fmt.Sprintf("↑ %d new · g newest", p.fresh))
	case p.offset > 0:
		title += "  " + st.Muted.Render(fmt.Sprintf("↑ %d newer · g newest", p.offset))
	}
	out := []string{widget.Spread(title, st.Muted.Render(p.filterLine()), p.width)}
	if p.editing {
		out = append(out, p.input.View())
	}
	if p.err != nil {
		out = append(out, st.Bad.Render("delivery log: "+p.err.Error()))
	}
	return append(append(out, p.statsLines()...), "")
}

func (p *Page) filterLine() string {
	var parts []string
	if p.filter.Type != "" {
		parts = append(parts, "type "+p.filter.Type)
	}
	if p.filter.Verdict != "" {
		parts = append(parts, "verdict "+string(p.filter.Verdict))
	}
	if p.filter.ObjectID != "" {
		parts = append(parts, "object "+p.filter.ObjectID)
	}
	if len(parts) == 0 {
		return "filter: none"
	}
	return "filter: " + strings.Join(parts, " · ")
}

// statsLines is the stats panel.
func (p *Page) statsLines() []string {
	st := p.c.Styles
	s := p.stats
	now := p.c.Wall()
	age := "never"
	if !s.Last.IsZero() {
		age = format.Relative(s.Last, now)
	}
	rejected := s.Verdicts[storage.VerdictRejected]
	head := fmt.Sprintf("last %s: %d deliveries · %d rejected · p50 %s · p99 %s · last delivery %s",
		format.Span(StatsWindow), s.Count, rejected, latency(s.P50), latency(s.P99), age)
	total := 0
	for _, n := range s.PerMinute {
		total += n
	}
	spark := fmt.Sprintf("%-12s%s  %d in %d min", "events/min", format.Sparkline(s.PerMinute), total, StatsMinutes)
	var reasons []string
	for code, n := range s.Rejects {
		reasons = append(reasons, fmt.Sprintf("%s %d", code, n))
	}
	sort.Slice(reasons, func(i, j int) bool {
		ni, nj := s.Rejects[strings.Fields(reasons[i])[0]], s.Rejects[strings.Fields(reasons[j])[0]]
		if ni != nj {
			return ni > nj
		}
		return reasons[i] < reasons[j]
	})
	rejects := "none"
	if len(reasons) > 0 {
		rejects = strings.Join(reasons, " · ")
	}
	out := []string{
		st.Label.Render(head),
		spark,
		fmt.Sprintf("%-12s%s", "rejects", st.Bad.Render(safetext.Line(rejects))),
	}
	if p.c.WebhookURL != "" {
		out = append(out, fmt.Sprintf("%-12s%s", "endpoint", st.Muted.Render(p.c.WebhookURL+" (the receiver's URL: Stripe delivers here)")))
	}
	if w := quietWarning(s, now); w != "" {
		out = append(out, st.Bad.Render(w))
	}
	return out
}

// quietWarning says when webhooks stopped arriving: never at all; none for
// QuietAfter while the Events-API catch-up kept finding events (Stripe has
// traffic the endpoint is not receiving); or none for QuietAfter at all.
func quietWarning(s storage.DeliveryStats, now time.Time) string {
	if s.Last.IsZero() {
		return "! no webhook has ever arrived: register the endpoint with Stripe (or run `stripe listen`) and check the signing secret"
	}
	quiet, known := time.Duration(0), false
	if at, ok := s.LastBySource[storage.SourceWebhook]; ok {
		quiet, known = now.Sub(at), true
	}
	if known && quiet <= QuietAfter {
		return ""
	}
	span := "over " + format.Span(StatsWindow)
	if known {
		span = format.Span(quiet)
	} else if gap := now.Sub(s.Last); gap > StatsWindow {
		span = format.Span(gap)
	}
	if n := s.Sources[storage.SourceCatchUp]; n > 0 {
		events := "events"
		if n == 1 {
			events = "event"
		}
		return fmt.Sprintf("! no webhook for %s while catch-up applied %d %s: Stripe has traffic this endpoint is not receiving (check its URL and signing secret)", span, n, events)
	}
	if !known && now.Sub(s.Last) <= QuietAfter {
		return "" // only replays lately, and recently: nothing to say yet
	}
	return fmt.Sprintf("! no webhook for %s: Stripe may be failing to reach this endpoint; check the dashboard's webhook attempts", span)
}

func latency(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// columns of the tail, fitted by table.Layout. The event type is what a
// row is about, so it keeps its whole width (up to 44 cells, the longest
// type) while the others give way on a narrow terminal: reason first (the
// selected row's is on the line below the list), then source (nearly always
// "webhook"), then latency; the selection line names the hidden source and
// latency. Only then are the type and the object id cut to their Min.
var columns = []table.Column{
	{Title: "Time", Width: 8},
	{Title: "Verdict", Width: 16},
	{Title: "Type", Width: 44, Min: 14},
	{Title: "Object", Width: 18, Min: 14},
	{Title: "Latency", Width: 8, Right: true, Priority: 1},
	{Title: "Source", Width: 8, Priority: 2},
	{Title: "Reason", Width: 10, Flex: true, Min: 12, Priority: 3},
}

// Column indexes the selection line refers to.
const (
	colLatency = 4
	colSource  = 5
)

func (p *Page) table(rows int) []string {
	st := p.c.Styles
	width := p.width
	if width <= 0 {
		width = 120
	}
	end := min(len(p.rows), p.offset+rows)
	vals := make([][]string, 0, end-p.offset)
	for i := p.offset; i < end; i++ {
		d := p.rows[i]
		vals = append(vals, []string{time.Unix(0, d.At).In(p.c.Loc).Format("15:04:05"), string(d.Verdict), dash(d.Type), dash(d.ObjectID),
			latency(time.Duration(d.LatencyUS) * time.Microsecond), dash(d.Source), p.reason(d)})
	}
	shown, widths := table.Layout(columns, width, vals)
	var hdr []string
	for j, i := range shown {
		hdr = append(hdr, widget.Cell(strings.ToUpper(columns[i].Title), widths[j], columns[i].Right))
	}
	out := []string{"  " + st.TableHeader.Render(strings.TrimRight(strings.Join(hdr, "  "), " "))}
	if len(p.rows) == 0 {
		msg := "no deliveries yet"
		if p.filter != (storage.DeliveryFilter{}) {
			msg = "no deliveries match the filter"
		}
		return append(out, st.Muted.Render("  "+msg))
	}
	for r, v := range vals {
		i := p.offset + r
		d := p.rows[i]
		var cells []string
		for j, c := range shown {
			s := widget.Cell(v[c], widths[j], columns[c].Right)
			if c == 1 && i != p.cursor { // the selected row is one style end to end
				s = verdictStyle(p, d.Verdict).Render(s)
			}
			cells = append(cells, s)
		}
		line := strings.TrimRight(strings.Join(cells, "  "), " ")
		if i == p.cursor {
			out = append(out, st.SelectedRow.Render("> "+line))
		} else {
			out = append(out, "  "+line)
		}
	}
	if end < len(p.rows) {
		out = append(out, st.Muted.Render(fmt.Sprintf("  … %d older", len(p.rows)-end)))
	}
	if d, ok := p.Selected(); ok {
		sel := fmt.Sprintf("seq %d · %s", d.Seq, dash(d.EventID))
		if !slices.Contains(shown, colSource) {
			sel += " · " + dash(d.Source)
		}
		if !slices.Contains(shown, colLatency) {
			sel += " · " + latency(time.Duration(d.LatencyUS)*time.Microsecond)
		}
		if r := p.reason(d); r != "" {
			sel += " · " + r
		}
		out = append(out, st.Muted.Render(widget.Trunc(sel, width)))
	}
	return out
}

// reason is the delivery's reason, and for a duplicate (the same event
// delivered again: a webhook retry, or the webhook and the Events-API
// catch-up both bringing it) why nothing changed and which row applied it.
func (p *Page) reason(d storage.Delivery) string {
	if d.Verdict == storage.VerdictConflict || d.Verdict == storage.VerdictVersionMismatch {
		return p.refetchState(d)
	}
	if d.Reason != "" || d.Verdict != storage.VerdictDuplicate {
		return d.Reason
	}
	for _, o := range p.rows {
		if o.Seq != d.Seq && o.EventID == d.EventID && o.Verdict != storage.VerdictDuplicate {
			return fmt.Sprintf("already applied by seq %d (%s %s); not applied twice", o.Seq, dash(o.Source),
				time.Unix(0, o.At).In(p.c.Loc).Format("15:04:05"))
		}
	}
	return "already applied by an earlier delivery; not applied twice"
}

// refetchState is the reason of a delivery that left its object stale
// ("… refetch pending"), brought up to date: once the cached copy is no
// longer stale and was written after the delivery, the refetch is done.
// The receipt itself is a log line and never changes.
func (p *Page) refetchState(d storage.Delivery) string {
	if d.ObjectID == "" || d.Kind == "" || !strings.HasSuffix(d.Reason, "refetch pending") {
		return d.Reason
	}
	env, err := p.c.Store.Get(d.Kind, d.ObjectID)
	if err != nil || env.Stale {
		return d.Reason
	}
	done := strings.TrimSuffix(d.Reason, "refetch pending") + "refetched"
	if skew := p.c.Now().Sub(p.c.Wall()); skew > time.Minute || skew < -time.Minute {
		// The cache is stamped in account time, the receipt in real time:
		// with the account's clock run ahead (the demo, a test clock) the
		// two do not compare, and a time would mislead.
		return done
	}
	if env.CachedAt < d.At/int64(time.Second) {
		return d.Reason
	}
	return done + " at " + time.Unix(env.CachedAt, 0).In(p.c.Loc).Format("15:04:05")
}

func verdictStyle(p *Page, v storage.Verdict) lipgloss.Style {
	st := p.c.Styles
	switch v {
	case storage.VerdictApplied:
		return st.Good
	case storage.VerdictRejected:
		return st.Bad
	case storage.VerdictVersionMismatch, storage.VerdictConflict:
		return st.Warn
	}
	return st.Neutral
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
