// Package common holds what every page of one console session shares: the
// dependencies (cache and its change feed, Stripe client, clock), the operator and the
// session's styles. One Common is built per session (local terminal or SSH
// connection), never shared between sessions and never a package global,
// because each SSH session has its own renderer and colour profile.
package common

import (
	"log/slog"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
)

// Common is the per-session context handed to every page and component.
type Common struct {
	Store   *storage.Store  // its feed (Store.Subscribe) announces every cache change
	Billing *billing.Client // nil when no key is configured (offline only)
	// Receiving is true when a webhook receiver feeds this process's cache
	// (the header shows the event rate instead of "no webhooks"). Pages
	// learn of every cache change from Store's feed either way.
	Receiving bool
	// WebhookURL is where that receiver listens (shown on the Webhooks
	// view, so an engineer knows what to point Stripe or a test POST at);
	// empty when not receiving.
	WebhookURL string

	// Clocks are the session's account time (due dates, retries, periods:
	// Now) and wall time (webhook receipts, event rates, the age of the last
	// delivery: Wall); tests inject fixed ones. Wall is Account everywhere
	// except the demo, whose account clock runs ahead (default: Account,
	// itself time.Now by default).
	Clocks billing.Clocks
	// Loc is the zone times are shown in.
	Loc *time.Location

	Operator billing.Operator
	// ReadOnly hides and refuses every money action (--read-only, viewer role).
	ReadOnly bool
	// Offline forces cache-only browsing even when a key is configured.
	Offline bool

	// Account and Mode label the header ("Acme Inc", "live"/"test"/"demo").
	Account string
	Mode    string

	Logger   *slog.Logger
	Renderer *lipgloss.Renderer
	Styles   *Styles

	// Actions are the money actions detail pages offer (DefaultActions
	// when nil).
	Actions *Actions

	// Money performs the money actions (billing.NewActions over Billing
	// and Store); nil when Billing is nil. main sets it.
	Money *billing.Actions
	// Authorize re-checks the operator right before a money action is
	// sent (SSH sessions re-read the authorized keys); nil uses
	// Operator.Authorize. See AuthorizeNow.
	Authorize func(billing.Action) error

	Width, Height int
}

// New fills the defaults a session may leave out: clock, zone, logger,
// renderer and the styles built from that renderer.
func New(c Common) *Common {
	c.Clocks = c.Clocks.WithDefaults()
	if c.Loc == nil {
		c.Loc = time.Local
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Renderer == nil {
		c.Renderer = lipgloss.DefaultRenderer()
	}
	if c.Styles == nil {
		c.Styles = NewStyles(c.Renderer)
	}
	if c.Actions == nil {
		c.Actions = DefaultActions
	}
	return &c
}

// CanAct reports whether money actions may be offered at all in this
// session, and if not, why (shown where the action would be).
func (c *Common) CanAct(a billing.Action) (bool, string) {
	switch {
	case c.ReadOnly:
		return false, "read-only session"
	case c.Billing == nil:
		return false, "no Stripe key configured: set STRIPE_SECRET_KEY"
	case c.Offline:
		return false, offlineWords
	}
	if err := c.Operator.Authorize(a); err != nil {
		return false, err.Error()
	}
	return true, ""
}

// AuthorizeNow is the action-time role check: Authorize when set, else
// the operator's role.
func (c *Common) AuthorizeNow(a billing.Action) error {
	if c.Authorize != nil {
		return c.Authorize(a)
	}
	return c.Operator.Authorize(a)
}

// Page is one screen of the console (a list, a detail page, a form, the
// dunning dashboard...). The root model owns the page stack and delegates
// keys and messages to the active page only.
type Page interface {
	Init() tea.Cmd
	Update(tea.Msg) (Page, tea.Cmd)
	View() string
	// SetSize gives the page the area below the header and above the footer.
	SetSize(width, height int)
	// Title is the page's name in the header breadcrumb.
	Title() string
	help.KeyMap
}

// PushPageMsg asks the root model to open a page on top of the current one
// (esc pops it).
type PushPageMsg struct{ Page Page }

// PopPageMsg asks the root model to close the active page.
type PopPageMsg struct{}

// ToastMsg shows a short message in the footer for a few seconds.
type ToastMsg struct {
	Text  string
	Level ToastLevel
}

// ToastLevel colours a toast.
type ToastLevel int

const (
	ToastInfo ToastLevel = iota
	ToastWarn
	ToastError
)

// Push returns a command that opens p.
func Push(p Page) tea.Cmd { return func() tea.Msg { return PushPageMsg{Page: p} } }

// Pop returns a command that closes the active page.
func Pop() tea.Cmd { return func() tea.Msg { return PopPageMsg{} } }

// Toast returns a command that shows text in the footer.
func Toast(level ToastLevel, text string) tea.Cmd {
	return func() tea.Msg { return ToastMsg{Text: text, Level: level} }
}

// Now is the session's account time (Clocks.Account).
func (c *Common) Now() time.Time { return c.Clocks.Account() }

// Wall is the session's real time (Clocks.Wall).
func (c *Common) Wall() time.Time { return c.Clocks.Wall() }
