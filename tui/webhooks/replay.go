package webhooks

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// Replay returns a command that re-applies d's stored event to the cache
// (storage.ReplayEvent, receipt source "replay"; the store announces it so
// every open screen of every session refreshes) and reports the
// verdict. It refuses in read-only sessions and for deliveries whose event
// was never stored (rejected requests).
func Replay(c *common.Common, d storage.Delivery) tea.Cmd {
	switch {
	case c.ReadOnly:
		return common.Toast(common.ToastWarn, "replay: read-only session")
	case d.EventID == "" || d.Verdict == storage.VerdictRejected:
		return common.Toast(common.ToastWarn, "replay: this request was rejected; no stored event to replay")
	}
	store, now := c.Store, c.Wall()
	return func() tea.Msg {
		r := storage.Delivery{At: now.UnixNano(), Source: storage.SourceReplay}
		res, err := store.ReplayEvent(d.EventID, &r)
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
