package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
)

// View draws the header, the active page (or the full help) and the footer.
func (m *Model) View() string {
	if m.c.Width == 0 || len(m.stack) == 0 {
		return "paydesk: starting…"
	}
	var body string
	if m.showHelp {
		body = m.fullHelp()
	} else {
		body = m.Active().View()
	}
	body = fitLines(body, m.c.Width, m.bodyHeight())
	if t := m.toastLine(); t != "" {
		// The toast takes the body's last line, never the footer: live
		// toasts come every few seconds and must not hide the keys.
		if i := strings.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1] + t
		} else {
			body = t
		}
	}
	// Pages pass Stripe text through safetext before laying it out; Frame
	// is the last guard, so nothing that slipped past can act on the
	// terminal (it keeps only SGR styling).
	return safetext.Frame(m.header() + "\n" + body + "\n" + m.footer())
}

// toastLine is the current toast styled and cut to the width ("" when none).
func (m *Model) toastLine() string {
	if m.toast.Text == "" {
		return ""
	}
	s := m.c.Styles
	st := s.Toast
	switch m.toast.Level {
	case common.ToastWarn:
		st = s.ToastWarn
	case common.ToastError:
		st = s.ToastError
	}
	return ansi.Truncate(st.Render(safetext.Line(m.toast.Text)), m.c.Width, "…")
}

// fitLines cuts or pads s to exactly h lines no wider than w.
func fitLines(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (m *Model) header() string {
	s := m.c.Styles
	sep := s.HeaderDim.Render(" │ ")
	online := s.Good.Render("online")
	if !m.c.Online() {
		online = s.Warn.Render("offline")
	}
	parts := []string{
		s.Header.Render("paydesk"),
		m.accountName(),
		m.mode(),
		online,
		m.cacheAge(),
		m.rate(),
	}
	line1 := ansi.Truncate(strings.Join(parts, sep), m.c.Width, "…")
	return line1 + "\n" + ansi.Truncate(m.nav(), m.c.Width, "…")
}

func (m *Model) accountName() string {
	switch {
	case m.c.Account != "":
		return safetext.Line(m.c.Account)
	case m.account.Name != "":
		return safetext.Line(m.account.Name)
	case m.account.ID != "":
		return safetext.Line(m.account.ID)
	}
	return "Stripe account"
}

func (m *Model) mode() string {
	mode := m.c.Mode
	if mode == "" {
		mode = m.account.Mode
	}
	if mode == "" {
		mode = "unknown mode"
	}
	if mode == "live" {
		return m.c.Styles.Bad.Render("LIVE")
	}
	return mode
}

// cacheAge is how old the cache is: the newer of the last sync and the
// last applied event (on the session clock), or the time since the last
// live notice arrived (on the wall clock) when that is more recent — an
// event that just arrived makes the cache current even when its created
// stamp lags the session clock (the demo's account clock steps hours at a
// time).
func (m *Model) cacheAge() string {
	age, ok := m.c.CacheAge(max(m.account.LastSyncAt, m.lastEvent), m.heard)
	if !ok {
		return m.c.Styles.Warn.Render("cache empty")
	}
	return "cache " + age
}

func (m *Model) rate() string {
	if !m.c.Receiving {
		return m.c.Styles.HeaderDim.Render("no webhooks")
	}
	m.trimRate(m.c.Wall())
	return strconv.Itoa(len(m.arrived)) + " ev/min"
}

// nav is the view tabs on a view's own page, the breadcrumb below it.
func (m *Model) nav() string {
	s := m.c.Styles
	if len(m.stack) > 1 {
		crumbs := make([]string, 0, len(m.stack))
		for _, p := range m.stack {
			crumbs = append(crumbs, safetext.Line(p.Title()))
		}
		return s.HeaderDim.Render("esc ‹ ") + strings.Join(crumbs, s.HeaderDim.Render(" › "))
	}
	views := m.views.List()
	// tabs at three widths: padded full titles; then unpadded, only titles
	// longer than 9 cells cut to 4 ("Subs"); then every title cut to 4.
	tabs := func(level int) string {
		var b strings.Builder
		for _, v := range views {
			if v.Key == "" {
				continue
			}
			t := v.Title
			if level == 1 && len(t) > 9 || level == 2 && len(t) > 4 {
				t = t[:4]
			}
			if b.Len() > 0 {
				b.WriteString(" ")
			}
			label := v.Key + " " + t
			switch {
			case v.Name == m.view.Name:
				b.WriteString(s.Header.Render("[" + label + "]"))
			case level == 0:
				b.WriteString(s.HeaderDim.Render(" " + label + " "))
			default:
				b.WriteString(s.HeaderDim.Render(label))
			}
		}
		return b.String()
	}
	t := tabs(0)
	for level := 1; level <= 2 && ansi.StringWidth(t) > m.c.Width; level++ {
		t = tabs(level)
	}
	return t
}

func (m *Model) footer() string {
	s := m.c.Styles
	if m.commanding {
		return m.cmdline.View()
	}
	if m.showHelp {
		return s.Help.Render("? close help · esc close")
	}
	// "? help" and "q quit" always show: the page's keys give way (cut
	// with "…") when the terminal is too narrow for all of them.
	// (bubbles/help's own cut lets a line overflow when its "…" does not
	// fit, so the page's keys are fitted here.)
	h := m.help
	h.Width = 0
	root := h.ShortHelpView([]key.Binding{m.keys.Help, m.keys.Quit})
	sep := h.Styles.ShortSeparator.Inline(true).Render(h.ShortSeparator)
	more := " " + h.Styles.Ellipsis.Inline(true).Render(h.Ellipsis)
	room := m.c.Width - ansi.StringWidth(root) - ansi.StringWidth(sep)
	var items []string
	for _, b := range m.Active().ShortHelp() {
		if item := h.ShortHelpView([]key.Binding{b}); item != "" {
			items = append(items, item)
		}
	}
	var line strings.Builder
	for i, item := range items {
		add := item
		if i > 0 {
			add = sep + item
		}
		tail := 0
		if i < len(items)-1 {
			tail = ansi.StringWidth(more)
		}
		if ansi.StringWidth(line.String())+ansi.StringWidth(add)+tail > room {
			line.WriteString(more)
			break
		}
		line.WriteString(add)
	}
	if line.Len() == 0 {
		return root
	}
	return line.String() + sep + root
}

// helpColumns lays the help's key groups side by side as far as the
// terminal is wide and goes on below, so every key shows: bubbles/help
// drops the groups that do not fit behind a "…", which hid a detail
// page's actions on 80 columns.
func (m *Model) helpColumns(groups [][]key.Binding) string {
	h := m.help
	h.Width = 0
	const gap = "    "
	var rows, row []string
	w := 0
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
		}
		row, w = nil, 0
	}
	for _, g := range groups {
		col := h.FullHelpView([][]key.Binding{g})
		if col == "" {
			continue
		}
		cw := lipgloss.Width(col)
		if len(row) > 0 && w+len(gap)+cw > m.c.Width {
			flush()
		}
		if len(row) > 0 {
			row = append(row, gap)
			w += len(gap)
		}
		row = append(row, col)
		w += cw
	}
	flush()
	return strings.Join(rows, "\n\n")
}

func (m *Model) fullHelp() string {
	groups := append([][]key.Binding{}, m.Active().FullHelp()...)
	k := m.keys
	groups = append(groups, []key.Binding{k.View, k.Command, k.Find, k.Back, k.Help, k.Quit})
	var b strings.Builder
	b.WriteString(m.c.Styles.Title.Render("Keys · "+safetext.Line(m.Active().Title())) + "\n\n")
	b.WriteString(m.helpColumns(groups))
	b.WriteString("\n\n" + m.c.Styles.Title.Render("Views") + "\n")
	views := m.views.List()
	if strings.Count(b.String(), "\n")+len(views) > m.bodyHeight() {
		// A short terminal: the views side by side, by key and name, so
		// the whole help fits instead of being cut after the fifth view.
		var line string
		for _, v := range views {
			entry := strings.TrimSpace(v.Key+" "+v.Title) + " " + m.c.Styles.Muted.Render(":"+v.Name)
			if line != "" && lipgloss.Width(line)+3+lipgloss.Width(entry) > m.c.Width-2 {
				b.WriteString("  " + line + "\n")
				line = ""
			}
			if line != "" {
				line += "   "
			}
			line += entry
		}
		if line != "" {
			b.WriteString("  " + line + "\n")
		}
		return b.String()
	}
	for _, v := range views {
		names := append([]string{v.Name}, v.Aliases...)
		b.WriteString("  " + v.Key + "  " + v.Title + "  " + m.c.Styles.Muted.Render(":"+strings.Join(names, " :")) + "\n")
	}
	return b.String()
}
