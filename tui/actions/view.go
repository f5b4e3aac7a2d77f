package actions

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
)

// head is the page's own lines above the form: the action, what was read
// about the target, and the last failure.
func (f *Flow) head() []string {
	s := f.c.Styles
	out := []string{s.Title.Render(safetext.Line(f.form.heading()))}
	for _, l := range f.form.info(f.c) {
		out = append(out, "  "+safetext.Line(l))
	}
	if f.errText != "" && !(f.st == stForm && f.onField) {
		out = append(out, wrapLines(s.Bad.Render("✗ "+safetext.Line(f.errText)), f.w, "  ")...)
	}
	if f.discardAsked {
		out = append(out, wrapLines(s.Warn.Render("! "+discardQuestion), f.w, "  ")...)
	}
	return append(out, "")
}

func (f *Flow) headHeight() int { return len(f.head()) }

// View draws the current state.
func (f *Flow) View() string {
	s := f.c.Styles
	switch f.st {
	case stLoading:
		return strings.Join(f.head(), "\n") + "\n  " + f.spin.View() + " checking with Stripe…"
	case stForm:
		return strings.Join(f.head(), "\n") + "\n" + f.huh.View()
	case stPreparing:
		return strings.Join(f.head(), "\n") + "\n  " + f.spin.View() + " checking with Stripe…"
	case stConfirm, stExecuting:
		if f.plan == nil {
			return strings.Join(f.head(), "\n") + "\n  " + s.Muted.Render("esc to go back")
		}
		return f.confirmView()
	case stDone:
		return f.doneView()
	}
	return ""
}

// confirmView draws the confirmation: the plan (scrolled when it is taller
// than the page) above the prompt, which is always on screen, so the word
// an irreversible call asks for is never typed blind.
func (f *Flow) confirmView() string {
	body, prompt := f.confirmParts()
	return strings.Join(f.fitConfirm(body, prompt), "\n")
}

// confirmParts is the confirmation's plan lines and its prompt lines.
func (f *Flow) confirmParts() (body, prompt []string) {
	s := f.c.Styles
	p := f.plan
	var b strings.Builder
	b.WriteString(s.Title.Render("Confirm: "+safetext.Line(f.form.heading())) + "\n")
	read := "Nothing has been sent yet. State read from Stripe at " + p.PreparedAt.In(f.c.Loc).Format("2006-01-02 15:04:05 MST")
	if p.Currency != "" { // a plan without money (a customer edit, a link) has no amounts to name
		read += "; amounts in " + strings.ToUpper(p.Currency)
	}
	b.WriteString(strings.Join(wrapLines(s.Muted.Render(read+"."), f.w, "  "), "\n") + "\n\n")
	b.WriteString(linesTable(f, p.Lines))
	b.WriteString(strings.Join(wrapLines(s.Muted.Render("request: "+safetext.Text(p.Call.String())), f.w, "  "), "\n") + "\n")
	if pv := f.preview; pv != nil {
		b.WriteString("\n" + s.Title.Render("Upcoming invoice with the change (preview)") + "\n")
		var rows []billing.Line
		for _, l := range pv.Lines {
			label := l.Description
			if l.Proration {
				label = "(proration) " + label
			}
			rows = append(rows, billing.Line{Label: label, Value: money.Format(l.Amount, pv.Currency)})
		}
		rows = append(rows, billing.Line{Label: "Total", Value: money.Format(pv.Total, pv.Currency)},
			billing.Line{Label: "Amount due", Value: money.Format(pv.AmountDue, pv.Currency)})
		if !pv.NextPaymentAttempt.IsZero() {
			rows = append(rows, billing.Line{Label: "Billed on", Value: pv.NextPaymentAttempt.In(f.c.Loc).Format("2006-01-02 15:04 MST")})
		}
		b.WriteString(linesTable(f, rows))
	}
	// The plan's warnings are part of the prompt: pinned above "Press y"
	// or "Type WORD", they are on screen whenever the send key is armed,
	// however far the plan above is scrolled.
	var pr strings.Builder
	for _, w := range p.Warnings {
		pr.WriteString(strings.Join(wrapLines(s.Warn.Render("! "+safetext.Line(w)), f.w, "  "), "\n") + "\n")
	}
	if f.errText != "" {
		pr.WriteString(strings.Join(wrapLines(s.Bad.Render("✗ "+safetext.Line(f.errText)), f.w, "  "), "\n") + "\n")
	}
	if f.discardAsked {
		pr.WriteString(strings.Join(wrapLines(s.Warn.Render("! "+discardQuestion), f.w, "  "), "\n") + "\n")
	}
	switch {
	case f.st == stExecuting:
		pr.WriteString("  " + f.spin.View() + " sending to Stripe… (key " + p.Key + ")")
	case f.expired:
		pr.WriteString("  " + s.Muted.Render("Nothing was sent to Stripe."))
	case f.refused:
		pr.WriteString("  " + s.Muted.Render("Stripe refused this request: it is not sent again."))
	case p.ConfirmWord() != "":
		pr.WriteString(strings.Join(wrapLines(s.Bad.Render(p.Finality()+" Type "+p.ConfirmWord()+" and press enter to send."), f.w, "  "), "\n") + "\n")
		pr.WriteString("  " + s.Value.Render("> "+safetext.Line(f.typed)+"_") + "  " + s.Muted.Render(f.editHint()+" (before typing) · esc cancel"))
	default:
		pr.WriteString("  " + s.Info.Render("Press y to send.") + "  " + s.Muted.Render(f.editHint()+" · esc cancel"))
	}
	return strings.Split(strings.TrimRight(b.String(), "\n"), "\n"), append([]string{""}, strings.Split(pr.String(), "\n")...)
}

// fitConfirm fits the plan and the prompt in the page's height: the prompt
// stays whole at the bottom and the plan scrolls above it (↑/↓, pgup/pgdn,
// home/end), with a line saying which part is shown.
func (f *Flow) fitConfirm(body, prompt []string) []string {
	if f.h <= 0 || len(body)+len(prompt) <= f.h {
		return append(body, prompt...)
	}
	room := max(1, f.h-len(prompt)-1)
	off := min(max(f.scroll, 0), max(0, len(body)-room))
	end := min(len(body), off+room)
	out := append([]string{}, body[off:end]...)
	more := fmt.Sprintf("lines %d-%d of %d · ↑/↓ pgup/pgdn scroll", off+1, end, len(body))
	out = append(out, "  "+f.c.Styles.Muted.Render(more))
	return append(out, prompt...)
}

// editHint words what e does on the confirmation, as the footer does.
func (f *Flow) editHint() string {
	if len(f.form.fields(f.c, nil)) == 0 {
		return "e read Stripe again"
	}
	return "e edit"
}

func (f *Flow) doneView() string {
	s := f.c.Styles
	r := f.result
	var b strings.Builder
	b.WriteString(s.Title.Render(safetext.Line(f.form.heading())) + "\n\n")
	what := "Sent to Stripe"
	if r.Replayed {
		what = "Already sent earlier (stored outcome, not sent again)"
	}
	b.WriteString("  " + s.Good.Render("✓ "+what) + "\n")
	if f.earlier != "" {
		b.WriteString(strings.Join(wrapLines(s.Info.Render(safetext.Line(f.earlier)), f.w, "  "), "\n") + "\n")
	}
	rows := []billing.Line{{Label: "Stripe id", Value: orDash(r.ResultID)}, {Label: "Target", Value: r.Target}}
	if p := f.plan; p != nil && p.Amount != 0 && !r.Replayed {
		rows = append(rows, billing.Line{Label: billing.AmountLabel(p.Action), Value: billing.AmountWords(p.Action, p.Amount, p.Currency)})
	}
	rows = append(rows, billing.Line{Label: "Idempotency key", Value: r.Key}, billing.Line{Label: "Request id", Value: orDash(r.RequestID)})
	if r.Detail != "" {
		rows = append(rows, billing.Line{Label: "Note", Value: r.Detail})
	}
	if rs, ok := f.form.(resultShower); ok {
		rows = append(rows, rs.resultLines(r)...)
	}
	b.WriteString(linesTable(f, rows) + "\n")
	if f.webhook == "a reload" {
		// A change the session learnt of by reloading, not one event.
		b.WriteString("  " + s.Good.Render("Cache updated.") + "\n")
	} else if f.webhook != "" {
		b.WriteString("  " + s.Good.Render("Cache updated by the "+safetext.Line(f.webhook)+" webhook.") + "\n")
	} else if _, none := f.form.(cacheless); r.State == storage.IntentSucceeded && !none {
		b.WriteString("  " + s.Muted.Render("The cache updates when the webhook arrives.") + "\n")
	}
	b.WriteString("\n  " + s.Muted.Render("enter close"))
	return b.String()
}

// linesTable aligns label/value rows (labels up to 36 wide line up).
func linesTable(f *Flow, lines []billing.Line) string {
	s := f.c.Styles
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l.Label))
	}
	w = min(w, 36)
	var b strings.Builder
	for _, l := range lines {
		// Labels are never cut and values wrap under themselves: a
		// confirmation shows the plan exactly, at any width.
		// Both carry Stripe's text (names, descriptions, reasons): they
		// pass the one boundary before the terminal.
		label := safetext.Line(l.Label)
		pad := strings.Repeat(" ", max(0, w-ansi.StringWidth(label)))
		indent := strings.Repeat(" ", 2+w+2)
		value := strings.ReplaceAll(ansi.Wrap(safetext.Line(l.Value), max(20, f.w-len(indent)), " ,"), "\n", "\n"+indent)
		b.WriteString("  " + s.Label.Render(label+pad) + "  " + s.Value.Render(value) + "\n")
	}
	return b.String()
}

// wrapLines wraps styled text to width with an indent.
func wrapLines(text string, width int, indent string) []string {
	w := max(20, width-len(indent))
	return strings.Split(indent+strings.ReplaceAll(ansi.Wrap(text, w, " "), "\n", "\n"+indent), "\n")
}

// cacheless is an actionForm whose call changes nothing the cache keeps
// (a billing-portal session): its done page waits for no webhook.
type cacheless interface{ cachesNothing() }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
