package tui

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/resources"
	"github.com/paydesk/paydesk/tui/webhooks"
)

// openObject pushes the detail page of a cached object (OpenObjectMsg from
// the dunning worklist, a webhook delivery...).
func (m *Model) openObject(msg common.OpenObjectMsg) tea.Cmd {
	env, err := m.lookup(msg.Kind, msg.ID)
	if err != nil {
		return m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: err.Error()})
	}
	m.showHelp = false
	return m.push(resources.Open(m.c, env.Kind, env.ID))
}

// requestAction starts the money action registered for the target's kind
// (ActionRequestMsg, e.g. "retry now" on a dunning row), or says why not.
func (m *Model) requestAction(msg common.ActionRequestMsg) tea.Cmd {
	env, err := m.lookup("", msg.Target)
	if err != nil {
		return m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: err.Error()})
	}
	for _, spec := range m.c.Actions.For(env.Kind) {
		if spec.Action == msg.Action {
			return spec.Start(m.c, env)
		}
	}
	return m.showToast(common.ToastMsg{Level: common.ToastWarn,
		Text: common.ActionTitle(string(msg.Action)) + " on " + string(env.Kind) + "s is not available in this build"})
}

// lookup reads kind/id from the cache; an empty kind is guessed from the id.
func (m *Model) lookup(kind storage.Kind, id string) (storage.Envelope, error) {
	var env storage.Envelope
	var err error
	if kind == "" {
		env, err = m.c.Store.Find(id)
	} else {
		env, err = m.c.Store.Get(kind, id)
	}
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return env, errors.New(common.NotCached(id))
	case err != nil:
		return env, errors.New("cannot read " + id + ": " + err.Error())
	}
	return env, nil
}

// isStripeID reports whether s is a whole Stripe id of a kind the console
// can open ("cus_…", "ch_…", "evt_…"), not a view name.
func isStripeID(s string) bool {
	if strings.ContainsAny(s, " \t") {
		return false
	}
	if _, ok := storage.KindOfID(s); ok {
		return true
	}
	return strings.HasPrefix(s, "evt_") && len(s) > len("evt_")
}

// fetchedIDMsg reports the end of a retrieve started by openID.
type fetchedIDMsg struct {
	kind storage.Kind
	id   string
	err  error
}

// openID opens a pasted id (`:cus_…`): its page from the cache, else,
// online, after retrieving it from Stripe into the cache, else a toast that
// says it is not in the cache and why Stripe was not asked.
func (m *Model) openID(id string) tea.Cmd {
	m.showHelp = false
	if strings.HasPrefix(id, "evt_") {
		return m.openEvent(id)
	}
	if env, err := m.c.Store.Find(id); err == nil {
		return m.push(resources.Open(m.c, env.Kind, env.ID))
	} else if !errors.Is(err, storage.ErrNotFound) {
		return m.showToast(common.ToastMsg{Level: common.ToastError, Text: "cannot read " + id + ": " + err.Error()})
	}
	if why := m.c.OfflineReason(); why != "" {
		return m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: id + " is not in the cache (offline)"})
	}
	kind, _ := storage.KindOfID(id)
	bc, store := m.c.Billing, m.c.Store
	toast := m.showToast(common.ToastMsg{Level: common.ToastInfo, Text: id + " is not in the cache: asking Stripe…"})
	return tea.Batch(toast, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), common.RefetchTimeout)
		defer cancel()
		return fetchedIDMsg{kind: kind, id: id, err: bc.Refetch(ctx, store, kind, id)}
	})
}

// openFetched opens what openID retrieved, or says why it could not.
func (m *Model) openFetched(msg fetchedIDMsg) tea.Cmd {
	if msg.err != nil {
		return m.showToast(common.ToastMsg{Level: common.ToastError, Text: msg.id + ": " + billing.Explain(msg.err)})
	}
	env, err := m.lookup(msg.kind, msg.id)
	if err != nil {
		return m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: err.Error()})
	}
	return m.push(resources.Open(m.c, env.Kind, env.ID))
}

// openEvent opens a stored event with the diff it made, as the Webhooks
// view does; one that is not stored is retrieved from Stripe when online
// and shown as Stripe sent it (never applied: the cached objects may be
// newer than it).
func (m *Model) openEvent(id string) tea.Cmd {
	raw, err := m.c.Store.Event(id)
	switch {
	case err != nil && !errors.Is(err, storage.ErrNotFound):
		return m.showToast(common.ToastMsg{Level: common.ToastError, Text: "cannot read " + id + ": " + err.Error()})
	case err != nil && !m.c.Online():
		return m.showToast(common.ToastMsg{Level: common.ToastWarn, Text: id + " is not in the cache (offline)"})
	case err != nil:
		bc := m.c.Billing
		toast := m.showToast(common.ToastMsg{Level: common.ToastInfo, Text: id + " is not in the cache: asking Stripe…"})
		return tea.Batch(toast, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), common.RefetchTimeout)
			defer cancel()
			raw, err := bc.Retrieve(ctx, billing.KindEvent, id)
			return fetchedEventMsg{id: id, raw: raw, err: err}
		})
	}
	var ev struct {
		Type string `json:"type"`
		Data struct {
			Object struct {
				ID     string `json:"id"`
				Object string `json:"object"`
			} `json:"object"`
		} `json:"data"`
	}
	_ = json.Unmarshal(raw, &ev)
	return m.push(webhooks.NewDetail(m.c, m.receiptOf(id, ev.Type, storage.Kind(ev.Data.Object.Object), ev.Data.Object.ID)))
}

// receiptOf is the newest delivery receipt of a stored event (found among
// its object's receipts), or, for an event that came by Events-API
// catch-up and has none, what the event log recorded of it (Seq 0: the
// detail page then says there is no receipt).
func (m *Model) receiptOf(id, typ string, kind storage.Kind, objectID string) storage.Delivery {
	d := storage.Delivery{EventID: id, Type: typ, Kind: kind, ObjectID: objectID}
	if objectID == "" {
		return d
	}
	page, err := m.c.Store.QueryDeliveries(storage.DeliveryQuery{DeliveryFilter: storage.DeliveryFilter{ObjectID: objectID}, Limit: 50})
	if err == nil {
		for _, r := range page.Items {
			if r.EventID == id {
				return r
			}
		}
	}
	if sums, err := m.c.Store.EventsFor(objectID, 200); err == nil {
		for _, s := range sums {
			if s.ID == id {
				d.Verdict, d.At = s.Verdict, s.Created*int64(time.Second)
				return d
			}
		}
	}
	return d
}

// fetchedEventMsg is an event retrieved by openEvent.
type fetchedEventMsg struct {
	id  string
	raw []byte
	err error
}

func (m *Model) openFetchedEvent(msg fetchedEventMsg) tea.Cmd {
	if msg.err != nil {
		return m.showToast(common.ToastMsg{Level: common.ToastError, Text: msg.id + ": " + billing.Explain(msg.err)})
	}
	return m.push(newFetchedEventPage(m.c, msg.id, msg.raw))
}
