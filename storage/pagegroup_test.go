package storage

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"
)

// waitGroupState polls the page group until cond holds (no timing is
// asserted: the test only waits for the goroutines to reach their places).
func waitGroupState(t *testing.T, s *Store, cond func(busy bool, queued int) bool) {
	t.Helper()
	for range 20000 {
		s.pages.mu.Lock()
		ok := cond(s.pages.busy, len(s.pages.queue))
		s.pages.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("page group never reached the expected state")
}

// TestPagesShareCommit: pages written while a commit is under way share the
// next transaction (one fsync for all of them), each with its own range
// cursor; a bad page in a shared transaction fails only its own caller.
func TestPagesShareCommit(t *testing.T) {
	s := openTest(t, Options{})
	created := testNow.Unix() - 3600
	page := func(r int) []json.RawMessage {
		var out []json.RawMessage
		for i := r * 10; i < r*10+10; i++ {
			out = append(out, customerJSON(cusID(i), created-int64(i), "", "", 0))
		}
		return out
	}
	const waiting = 8
	// Hold bbolt's writer lock so the first page's commit waits and the
	// others queue behind it.
	held, err := s.db.Begin(true)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, waiting+2)
	put := func(r int, objs []json.RawMessage) {
		defer wg.Done()
		key := fmt.Sprintf("r%d", r)
		_, errs[r] = s.PutRangePage(KindCustomer, key, objs, created, 7, Cursor{After: "last-" + key, Fetched: len(objs)})
	}
	wg.Add(1)
	go put(0, page(0))
	waitGroupState(t, s, func(busy bool, queued int) bool { return busy && queued == 0 })
	for r := 1; r <= waiting; r++ {
		wg.Add(1)
		go put(r, page(r))
	}
	bad := []json.RawMessage{json.RawMessage(`{"object":"customer","created":5}`)} // no id
	wg.Add(1)
	go put(waiting+1, bad)
	waitGroupState(t, s, func(_ bool, queued int) bool { return queued == waiting+1 })
	if err := held.Rollback(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()

	for r := 0; r <= waiting; r++ {
		if errs[r] != nil {
			t.Fatalf("page %d: %v", r, errs[r])
		}
	}
	if errs[waiting+1] == nil {
		t.Fatal("a page with an object without id was written")
	}
	// The first page alone, then the queued ones together (that shared
	// transaction failed and each page was retried alone): the good pages'
	// cursors and objects are all there.
	commits, pages := s.PageCommits()
	if commits != 2 || pages != 1+waiting+1 {
		t.Fatalf("%d commits of %d pages, want the %d queued pages tried together once", commits, pages, waiting+1)
	}
	ranges, err := s.Ranges(KindCustomer)
	if err != nil {
		t.Fatal(err)
	}
	if len(ranges) != waiting+1 {
		t.Fatalf("%d range cursors, want %d: %+v", len(ranges), waiting+1, ranges)
	}
	for r := 0; r <= waiting; r++ {
		key := fmt.Sprintf("r%d", r)
		if ranges[key].After != "last-"+key || ranges[key].Fetched != 10 {
			t.Fatalf("range %s = %+v", key, ranges[key])
		}
	}
	if n, _ := s.Count(KindCustomer); n != 10*(waiting+1) {
		t.Fatalf("%d customers cached, want %d", n, 10*(waiting+1))
	}
	kind, err := s.Cursor(KindCustomer)
	if err != nil || kind.Fetched != 10*(waiting+1) || kind.StartedAt != 7 {
		t.Fatalf("kind cursor = %+v, %v", kind, err)
	}
}

// TestPagesCommitTogether: the pages queued behind a commit are written in
// one transaction.
func TestPagesCommitTogether(t *testing.T) {
	s := openTest(t, Options{})
	created := testNow.Unix() - 3600
	held, err := s.db.Begin(true)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	put := func(i int) {
		defer wg.Done()
		obj := []json.RawMessage{customerJSON(cusID(i), created, "", "", 0)}
		if _, err := s.PutPage(KindBalanceTransaction, obj, created, Cursor{After: cusID(i)}); err != nil {
			t.Error(err)
		}
	}
	wg.Add(1)
	go put(0)
	waitGroupState(t, s, func(busy bool, queued int) bool { return busy && queued == 0 })
	for i := 1; i <= 5; i++ {
		wg.Add(1)
		go put(i)
	}
	waitGroupState(t, s, func(_ bool, queued int) bool { return queued == 5 })
	if err := held.Rollback(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if commits, pages := s.PageCommits(); commits != 2 || pages != 6 {
		t.Fatalf("%d commits of %d pages, want 2 commits (the first page, then the five queued behind it)", commits, pages)
	}
	if n, _ := s.Count(KindCustomer); n != 6 {
		t.Fatalf("%d objects cached, want 6", n)
	}
}

// TestQueuedPageAfterFailedOne: a page queued after another of the same
// cursor is not written when that one failed, in the same commit or a later
// one, so its cursor (computed as if the earlier page had landed) never
// reaches the disk alone; a page queued without one is written.
func TestQueuedPageAfterFailedOne(t *testing.T) {
	s := openTest(t, Options{})
	created := testNow.Unix() - 3600
	good := func(i int) []json.RawMessage {
		return []json.RawMessage{customerJSON(cusID(i), created, "", "", 0)}
	}
	bad := []json.RawMessage{json.RawMessage(`{"object":"customer","created":5}`)} // no id
	kind := KindBalanceTransaction
	t0 := s.QueuePage(kind, bad, created, Cursor{After: "0|a|"}, nil)
	t1 := s.QueuePage(kind, good(1), created, Cursor{After: "0|a|cus_1"}, t0)
	if _, err := t0.Wait(); err == nil {
		t.Fatal("a page with an object without id was written")
	}
	if _, err := t1.Wait(); err == nil {
		t.Fatal("the page queued after a failed one (same commit) was written")
	}
	t2 := s.QueuePage(kind, good(2), created, Cursor{After: "0|a|cus_1,cus_2"}, t1)
	if _, err := t2.Wait(); err == nil {
		t.Fatal("the page queued after a failed one (later commit) was written")
	}
	if cur, err := s.Cursor(kind); err != nil || cur != (Cursor{}) {
		t.Fatalf("cursor = %+v, %v; want none written", cur, err)
	}
	if n, _ := s.Count(KindCustomer); n != 0 {
		t.Fatalf("%d objects written after a failed page", n)
	}
	t3 := s.QueuePage(kind, good(3), created, Cursor{After: "0|a|cus_3"}, nil)
	if n, err := t3.Wait(); err != nil || n != 1 {
		t.Fatalf("page without an earlier one: %d, %v", n, err)
	}
	if cur, _ := s.Cursor(kind); cur.After != "0|a|cus_3" {
		t.Fatalf("cursor = %+v", cur)
	}
}

// TestPagesGroupBounded: a shared transaction holds at most maxGroupObjects
// objects; the pages left queued go in the next one.
func TestPagesGroupBounded(t *testing.T) {
	s := openTest(t, Options{})
	created := testNow.Unix() - 3600
	held, err := s.db.Begin(true)
	if err != nil {
		t.Fatal(err)
	}
	const perPage, queued = 100, maxGroupObjects/100 + 1
	var wg sync.WaitGroup
	put := func(r int) {
		defer wg.Done()
		var objs []json.RawMessage
		for i := r * perPage; i < (r+1)*perPage; i++ {
			objs = append(objs, customerJSON(cusID(i), created, "", "", 0))
		}
		if _, err := s.PutRangePage(KindCustomer, fmt.Sprintf("r%d", r), objs, created, 1, Cursor{}); err != nil {
			t.Error(err)
		}
	}
	wg.Add(1)
	go put(0)
	waitGroupState(t, s, func(busy bool, n int) bool { return busy && n == 0 })
	for r := 1; r <= queued; r++ {
		wg.Add(1)
		go put(r)
	}
	waitGroupState(t, s, func(_ bool, n int) bool { return n == queued })
	if err := held.Rollback(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if commits, pages := s.PageCommits(); commits != 3 || pages != 1+queued {
		t.Fatalf("%d commits of %d pages, want 3: the first page, %d pages of %d objects, the last one", commits, pages, queued-1, perPage)
	}
	if n, _ := s.Count(KindCustomer); n != (1+queued)*perPage {
		t.Fatalf("%d customers cached, want %d", n, (1+queued)*perPage)
	}
}
