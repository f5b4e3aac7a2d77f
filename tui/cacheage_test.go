package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
)

// TestCacheAgeAfterLiveNotice: in the demo the account clock runs hours
// ahead of the events it stamps between steps; a notice that just arrived
// still makes the header say the cache is current, and the age then grows
// on the wall clock.
func TestCacheAgeAfterLiveNotice(t *testing.T) {
	wall := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	ahead := func() time.Time { return fixture.Now.Add(5 * time.Hour) }
	m := start(session(nil, func(c *common.Common) {
		c.Clocks = billing.Clocks{Account: ahead, Wall: func() time.Time { return wall }}
	}), 120, 36)
	header := func() string { return strings.SplitN(m.View(), "\n", 2)[0] }
	if h := header(); !strings.Contains(h, "cache 5h ago") {
		t.Fatalf("before any notice: %q", h)
	}
	drive(m, noticeMsg{n: storage.Change{Op: storage.OpEvent, Result: storage.ApplyResult{
		Type: "customer.updated", Created: fixture.Now.Add(time.Hour).Unix()}}})
	if h := header(); !strings.Contains(h, "cache just now") {
		t.Fatalf("right after a notice: %q", h)
	}
	wall = wall.Add(2 * time.Minute)
	if h := header(); !strings.Contains(h, "cache 2m ago") {
		t.Fatalf("two wall minutes after the notice: %q", h)
	}
}

// TestDetailCacheLineFollowsTheHeader: a detail page's "Cached" line and
// the header word the same age by the same rule. Before, the page counted
// the copy's event stamp on the account clock ("written 5h ago") while the
// header, right after a notice about that very object, said "just now".
func TestDetailCacheLineFollowsTheHeader(t *testing.T) {
	cus := firstOf(t, storage.Query{Kind: storage.KindCustomer})
	store := ownCopy(t, cus.ID) // written at fixture.Now
	wall := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	ahead := func() time.Time { return fixture.Now.Add(5 * time.Hour) }
	m := start(session(nil, func(c *common.Common) {
		c.Store = store
		c.Clocks = billing.Clocks{Account: ahead, Wall: func() time.Time { return wall }}
	}), 120, 36)
	typeCommand(m, cus.ID)
	cached := func() string {
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, "Cached") {
				return l
			}
		}
		t.Fatalf("no Cached line:\n%s", m.View())
		return ""
	}
	if l := cached(); !strings.Contains(l, "updated 5h ago") {
		t.Fatalf("before any notice: %q", l)
	}
	drive(m, noticeMsg{n: storage.Change{Op: storage.OpEvent, Result: storage.ApplyResult{
		Type: "customer.updated", Kind: storage.KindCustomer, ObjectID: cus.ID, Customer: cus.ID, Verdict: storage.VerdictApplied,
		Created: fixture.Now.Add(time.Hour).Unix()}}})
	header := strings.SplitN(m.View(), "\n", 2)[0]
	if l := cached(); !strings.Contains(l, "updated just now") || !strings.Contains(header, "cache just now") {
		t.Fatalf("right after a notice about it: page %q, header %q", l, header)
	}
	wall = wall.Add(2 * time.Minute)
	drive(m, tickMsg{})
	if l := cached(); !strings.Contains(l, "updated 2m ago") {
		t.Fatalf("two wall minutes later: %q", l)
	}
}
