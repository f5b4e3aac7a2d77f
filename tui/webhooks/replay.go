package webhooks

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/webhookd"
)

// Replay returns a command that re-applies d's stored event to the cache
// (storage.ReplayEvent, receipt source "replay"), publishes the receipt on
// the session's bus so every open screen refreshes, and reports the
// verdict. It refuses in read-only sessions and for deliveries whose event
// was never stored (rejected requests).
func Replay(c *common.Common, d storage.Delivery) tea.Cmd {
	switch {
	case c.ReadOnly:
		return common.Toast(common.ToastWarn, "replay: read-only session")
	case d.EventID == "" || d.Verdict == storage.VerdictRejected:
		return common.Toast(common.ToastWarn, "replay: this request was rejected; no stored event to replay")
	}
	store, bus, now := c.Store, c.Bus, c.Wall()
	return func() tea.Msg {
		r := storage.Delivery{At: now.UnixNano(), Source: webhookd.SourceReplay}
		res, err := store.ReplayEvent(d.EventID, &r)
		if err == nil && bus != nil {
			bus.Publish(webhookd.Notice{Delivery: r, Result: res})
		}
		return replayedMsg{eventID: d.EventID, res: res, err: err}
	}
}

func replayToast(m replayedMsg) tea.Cmd {
	if m.err != nil {
		return common.Toast(common.ToastError, fmt.Sprintf("replay %s: %v", m.eventID, m.err))
	}
	text := fmt.Sprintf("replayed %s: %s", m.eventID, m.res.Verdict)
	if m.res.Reason != "" {
		text += " (" + m.res.Reason + ")"
	}
	return common.Toast(common.ToastInfo, text)
}
