package table

import (
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// TestAllStatusesSortNewestFirst: a deadline sort (time in status, soonest
// first) on the unfiltered view lists newest first, as its heading says
// ("newest (all statuses)"). Before, the rows ran oldest first.
func TestAllStatusesSortNewestFirst(t *testing.T) {
	m := &Model{d: &Descriptor{Kind: storage.KindDispute,
		Filters: []Filter{{Label: "needs_response", Status: "needs_response"}, {Label: "all"}},
		Sorts:   []SortSpec{{Label: "deadline", Sort: storage.SortStatusAt, Asc: true}}}}
	if q := m.query(); q.Sort != storage.SortStatusAt || !q.Asc {
		t.Fatalf("one status: %+v, want the deadline soonest first", q)
	}
	m.filter = 1
	if q := m.query(); q.Sort != storage.SortCreated || q.Asc {
		t.Fatalf("all statuses: %+v, want newest first", q)
	}
}
