package common

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
)

// OfflineReason says why this session browses the cache only, or "" when
// it can reach Stripe.
func (c *Common) OfflineReason() string {
	switch {
	case c.Billing == nil:
		return "no Stripe key configured: browsing the cache"
	case c.Offline:
		return offlineWords
	}
	return ""
}

// Online reports whether the session may call Stripe.
func (c *Common) Online() bool { return c.OfflineReason() == "" }

// RefetchedMsg reports the end of a refetch started by Refetch. The root
// model toasts the outcome and sends RefreshMsg to every page.
type RefetchedMsg struct {
	Kind storage.Kind
	ID   string
	Err  error
}

// RefetchTimeout bounds one `r` refetch.
const RefetchTimeout = 20 * time.Second

// Refetch returns the command behind the `r` key: read kind/id from Stripe
// into the cache. Offline sessions get a toast saying why instead.
func (c *Common) Refetch(kind storage.Kind, id string) tea.Cmd {
	if why := c.OfflineReason(); why != "" {
		return Toast(ToastWarn, "refetch unavailable: "+why)
	}
	bc, store := c.Billing, c.Store
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), RefetchTimeout)
		defer cancel()
		err := bc.Refetch(ctx, store, kind, id)
		return RefetchedMsg{Kind: kind, ID: id, Err: err}
	}
}

// RefetchToast words a refetch outcome for the footer.
func RefetchToast(m RefetchedMsg) ToastMsg {
	if m.Err != nil {
		return ToastMsg{Level: ToastError, Text: "refetch " + m.ID + ": " + billing.Explain(m.Err)}
	}
	return ToastMsg{Level: ToastInfo, Text: "refetched " + m.ID + " from Stripe"}
}

// CopyID returns the command behind the `y` key: put text on the
// operator's clipboard with an OSC 52 escape written to the session's
// terminal (works over SSH, where the clipboard is the client's).
func (c *Common) CopyID(text string) tea.Cmd {
	// What lands on the clipboard is pasted into shells and tickets: it
	// passes the same boundary as what is drawn.
	text = safetext.Line(text)
	out := c.Renderer.Output()
	return func() tea.Msg {
		out.Copy(text)
		return ToastMsg{Level: ToastInfo, Text: "copied " + text}
	}
}
