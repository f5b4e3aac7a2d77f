package common

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Styles is the session's theme: one palette for every screen, built from
// the session's renderer so SSH sessions get their own colour profile and
// NO_COLOR is honoured by the renderer.
type Styles struct {
	Header, HeaderDim, Title       lipgloss.Style
	Footer, Help                   lipgloss.Style
	TableHeader, Row, SelectedRow  lipgloss.Style
	Label, Value, Muted, Money     lipgloss.Style
	Good, Warn, Bad, Info, Neutral lipgloss.Style
	Border                         lipgloss.Style
	Toast, ToastWarn, ToastError   lipgloss.Style
}

// Palette colours (ANSI 256 with 16-colour fallbacks via AdaptiveColor).
var (
	colGood    = lipgloss.AdaptiveColor{Light: "28", Dark: "42"}
	colWarn    = lipgloss.AdaptiveColor{Light: "130", Dark: "214"}
	colBad     = lipgloss.AdaptiveColor{Light: "160", Dark: "203"}
	colInfo    = lipgloss.AdaptiveColor{Light: "25", Dark: "75"}
	colMuted   = lipgloss.AdaptiveColor{Light: "245", Dark: "243"}
	colAccent  = lipgloss.AdaptiveColor{Light: "57", Dark: "141"}
	colSelectB = lipgloss.AdaptiveColor{Light: "254", Dark: "237"}
)

// NewStyles builds the theme with r.
func NewStyles(r *lipgloss.Renderer) *Styles {
	s := &Styles{}
	s.Header = r.NewStyle().Bold(true).Foreground(colAccent)
	s.HeaderDim = r.NewStyle().Foreground(colMuted)
	s.Title = r.NewStyle().Bold(true)
	s.Footer = r.NewStyle().Foreground(colMuted)
	s.Help = r.NewStyle().Foreground(colMuted)
	s.TableHeader = r.NewStyle().Bold(true).Foreground(colAccent)
	s.Row = r.NewStyle()
	s.SelectedRow = r.NewStyle().Bold(true).Background(colSelectB).Reverse(false)
	s.Label = r.NewStyle().Foreground(colMuted)
	s.Value = r.NewStyle()
	s.Muted = r.NewStyle().Foreground(colMuted)
	s.Money = r.NewStyle()
	s.Good = r.NewStyle().Foreground(colGood)
	s.Warn = r.NewStyle().Foreground(colWarn)
	s.Bad = r.NewStyle().Foreground(colBad)
	s.Info = r.NewStyle().Foreground(colInfo)
	s.Neutral = r.NewStyle().Foreground(colMuted)
	s.Border = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colMuted)
	s.Toast = r.NewStyle().Foreground(colInfo).Bold(true)
	s.ToastWarn = r.NewStyle().Foreground(colWarn).Bold(true)
	s.ToastError = r.NewStyle().Foreground(colBad).Bold(true)
	return s
}

// Status returns the style of a Stripe status, the same on every screen:
// money that arrived or is healthy is good, money at risk warns, money lost
// or contested is bad, the rest is neutral.
func (s *Styles) Status(status string) lipgloss.Style {
	if strings.HasSuffix(status, ", paused") {
		return s.Warn // collection paused: nothing is charged
	}
	switch status {
	case "active", "paid", "succeeded", "won", "trialing", "available":
		return s.Good
	case "past_due", "open", "incomplete", "needs_response", "warning_needs_response",
		"under_review", "warning_under_review", "pending", "requires_action", "paused":
		return s.Warn
	case "unpaid", "failed", "uncollectible", "lost", "canceled", "incomplete_expired",
		"warning_closed", "void":
		return s.Bad
	case "draft", "refunded", "charge_refunded":
		return s.Info
	default:
		return s.Neutral
	}
}
