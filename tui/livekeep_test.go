package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
)

// TestCursorFollowsRowPushedOffThePage: the cursor is on the last row of the
// first page when a customer is created; the new customer sorts on top and
// pushes the chosen one below the page. The page moves down one row so the
// cursor stays on the chosen customer, on the same screen row, and the
// heading counts from row 2.
func TestCursorFollowsRowPushedOffThePage(t *testing.T) {
	f, url := liveFixture(t)
	const w, h = 120, 14
	rows := h - headerLines - footerLines - 2
	cus, err := f.Store.List(storage.Query{Kind: storage.KindCustomer, Limit: rows})
	if err != nil || len(cus.Items) < rows {
		t.Fatalf("fixture customers: %v", err)
	}
	last := cus.Items[rows-1].ID
	c := session(nil, func(c *common.Common) { c.Store, c.Receiving = f.Store, true })
	tm := program(t, c, w, h)
	var steps []step
	for range rows - 2 {
		steps = append(steps, step{"down", ""})
	}
	play(t, tm, append(steps, step{"down", "> " + last}))
	fresh := withField(t, cus.Items[0].Raw, "id", "cus_ArrivedOnTop02")
	fresh = withField(t, fresh, "created", fixture.Now.Unix()+3600)
	post(t, url, liveEvent(t, "evt_push_off", "customer.created", 60, fresh))
	waitFor(t, tm, fmt.Sprintf("· 2-%d", rows+1))
	m := finish(t, tm)
	env, ok := m.Active().(interface {
		Selected() (storage.Envelope, bool)
	}).Selected()
	if !ok || env.ID != last {
		t.Fatalf("cursor on %q after a row arrived above, want %s\n%s", env.ID, last, m.View())
	}
	if v := m.View(); !strings.Contains(v, "> "+last) {
		t.Fatalf("the chosen row is not on screen:\n%s", v)
	}
}
