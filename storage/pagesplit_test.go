package storage

import (
	"encoding/json"
	"testing"
)

// TestPageCommitEndsEarlyOverBudget: over the page budget a backfill page
// commit ends its transaction after an object and goes on in the next one
// (letting go of the mapped pages in between, never inside a
// transaction); every object lands once, and each page's cursor moves only
// with its last object, so a page cut across commits reads as whole.
func TestPageCommitEndsEarlyOverBudget(t *testing.T) {
	if fileResident() < 0 {
		t.Skip("no /proc/self/statm here")
	}
	s := openTest(t, Options{PageBudget: 1}) // always over: every commit may end early
	created := testNow.Unix() - 3600
	const pages, per = 3, 50
	for r := range pages {
		var objs []json.RawMessage
		for i := r * per; i < (r+1)*per; i++ {
			objs = append(objs, customerJSON(cusID(i), created-int64(i), "", "Split "+cusID(i), 0))
		}
		key := string(rune('a' + r))
		n, err := s.PutRangePage(KindCustomer, key, objs, created, 7, Cursor{After: "last-" + key, Fetched: per})
		if err != nil || n != per {
			t.Fatalf("page %d: %d written, %v", r, n, err)
		}
	}
	commits, held := s.PageCommits()
	if commits <= pages {
		t.Fatalf("%d commits for %d pages: the transactions never ended early", commits, pages)
	}
	if held < commits {
		t.Fatalf("%d pages counted over %d commits", held, commits)
	}
	if n, _ := s.Count(KindCustomer); n != pages*per {
		t.Fatalf("%d customers cached, want %d", n, pages*per)
	}
	ranges, err := s.Ranges(KindCustomer)
	if err != nil || len(ranges) != pages {
		t.Fatalf("ranges %+v, %v", ranges, err)
	}
	for key, cur := range ranges {
		if cur.After != "last-"+key {
			t.Fatalf("range %s cursor %+v", key, cur)
		}
	}
	total, err := s.Cursor(KindCustomer)
	if err != nil || total.Fetched != pages*per {
		t.Fatalf("kind cursor %+v, %v: want Fetched %d, counted once a page", total, err, pages*per)
	}
}
