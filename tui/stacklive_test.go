package tui

import (
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
)

// TestWebhooksTailFollowsUnderDetail: deliveries that arrive while a
// delivery's detail is open on top of the Webhooks tail are on the tail
// after esc, and the tail keeps following later ones (its background
// loads must reach it under another page, or it stays "loading").
func TestWebhooksTailFollowsUnderDetail(t *testing.T) {
	f, url := liveFixture(t)

	cus, err := f.Store.List(storage.Query{Kind: storage.KindCustomer, Limit: 3})
	if err != nil || len(cus.Items) < 3 {
		t.Fatalf("fixture customers: %v", err)
	}
	c := session(nil, func(c *common.Common) { c.Store, c.Receiving = f.Store, true })
	tm := program(t, c, 120, 36)
	post(t, url, liveEvent(t, "evt_tail_1", "customer.updated", 60, withField(t, cus.Items[0].Raw, "name", "First Tail")))
	play(t, tm, []step{{"7", "evt_tail_1"}, {"enter", "Delivery evt_tail_1"}})
	post(t, url, liveEvent(t, "evt_tail_2", "customer.updated", 61, withField(t, cus.Items[1].Raw, "name", "Second Tail")))
	waitFor(t, tm, "2 ev/min") // the root heard it while the detail is on top
	play(t, tm, []step{{"esc", cus.Items[1].ID}})
	post(t, url, liveEvent(t, "evt_tail_3", "customer.updated", 62, withField(t, cus.Items[2].Raw, "name", "Third Tail")))
	waitFor(t, tm, cus.Items[2].ID)
	v := finish(t, tm).View()
	for _, id := range []string{cus.Items[0].ID, cus.Items[1].ID, cus.Items[2].ID, "3 shown"} {
		if !strings.Contains(v, id) {
			t.Errorf("tail lacks %s:\n%s", id, v)
		}
	}
}

// TestCursorStaysOnRowWhenRowsArrive: a customer created while the cursor
// is on the third row appears on top; the cursor stays on the customer it
// was on instead of sliding to the one above it.
func TestCursorStaysOnRowWhenRowsArrive(t *testing.T) {
	f, url := liveFixture(t)

	cus, err := f.Store.List(storage.Query{Kind: storage.KindCustomer, Limit: 3})
	if err != nil || len(cus.Items) < 3 {
		t.Fatalf("fixture customers: %v", err)
	}
	c := session(nil, func(c *common.Common) { c.Store, c.Receiving = f.Store, true })
	tm := program(t, c, 120, 36)
	play(t, tm, []step{{"down", ""}, {"down", "> " + cus.Items[2].ID}})
	fresh := withField(t, cus.Items[0].Raw, "id", "cus_ArrivedOnTop01")
	fresh = withField(t, fresh, "name", "Arrived On Top")
	fresh = withField(t, fresh, "created", fixture.Now.Unix()+3600)
	post(t, url, liveEvent(t, "evt_new_top", "customer.created", 60, fresh))
	waitFor(t, tm, "Arrived On Top")
	m := finish(t, tm)
	if env, ok := m.Active().(interface {
		Selected() (storage.Envelope, bool)
	}).Selected(); !ok || env.ID != cus.Items[2].ID {
		t.Fatalf("cursor on %q after a row arrived above, want %s\n%s", env.ID, cus.Items[2].ID, m.View())
	}
}
