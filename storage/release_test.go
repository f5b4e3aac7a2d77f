package storage

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestReleaseMappedKeepsData: releasing the mapped pages while readers and
// a writer run loses nothing; every object reads back as written.
func TestReleaseMappedKeepsData(t *testing.T) {
	s := openTest(t, Options{})
	const n = 3000
	var objs []json.RawMessage
	for i := range n {
		objs = append(objs, customerJSON(cusID(i), testNow.Unix()-int64(i), "", "Name", int64(i)))
	}
	if _, err := s.PutPage(KindCustomer, objs[:n/2], testNow.Unix(), Cursor{}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	wg.Add(3)
	go func() { // the writer
		defer wg.Done()
		for i := n / 2; i < n; i += 100 {
			if _, err := s.PutPage(KindCustomer, objs[i:i+100], testNow.Unix(), Cursor{}); err != nil {
				errs <- err
				return
			}
		}
	}()
	go func() { // a reader
		defer wg.Done()
		for i := range n / 2 {
			env, err := s.Get(KindCustomer, cusID(i))
			if err != nil || env.Amount != int64(i) {
				t.Errorf("customer %d during release: %+v, %v", i, env.Amount, err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range 20 {
			if err := s.ReleaseMapped(); err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := s.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		env, err := s.Get(KindCustomer, cusID(i))
		if err != nil || env.ID != cusID(i) || env.Amount != int64(i) {
			t.Fatalf("customer %d after release: %+v, %v", i, env, err)
		}
	}
	if err := s.Check(); err != nil {
		t.Fatalf("bbolt check: %v", err)
	}
}

// TestReleaseMappedOver: the cache file's mapped pages are let go only once
// the resident set is over the budget.
func TestReleaseMappedOver(t *testing.T) {
	s := releasedStore(t)
	touch := func() {
		if err := s.Walk(Range{Kind: KindCustomer}, func(Envelope) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	touch()
	mapped := fileResident()
	if err := s.ReleaseMappedOver(1 << 40); err != nil {
		t.Fatal(err)
	}
	if after := fileResident(); after < mapped-(1<<20) {
		t.Fatalf("resident %d -> %d under a limit never reached: released anyway", mapped, after)
	}
	if err := s.ReleaseMappedOver(0); err != nil {
		t.Fatal(err)
	}
	if after := fileResident(); after > mapped-(1<<20) {
		t.Fatalf("resident %d -> %d past the limit: not released", mapped, after)
	}
	if n, _ := s.Count(KindCustomer); n != 4000 {
		t.Fatalf("%d customers after the release, want 4000", n)
	}

	// A walk with ReleaseOver lets go of what it mapped as it goes.
	touch()
	mapped = fileResident()
	if err := s.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	seen := 0
	if err := s.Walk(Range{Kind: KindCustomer, ReleaseOver: 8 << 20}, func(Envelope) error { seen++; return nil }); err != nil {
		t.Fatal(err)
	}
	if after := fileResident(); seen != 4000 || after > mapped-(1<<20) {
		t.Fatalf("walk with ReleaseOver saw %d objects; resident %d after it, %d after a plain walk", seen, after, mapped)
	}
}

// fileResident is the file-backed part of the resident set, bytes.
func fileResident() int64 {
	_, file := resident()
	return file
}

// TestKeepResidentUnder: pages mapped in by a read that looks at nothing
// (a plain walk) are released by the watch within its interval.
func TestKeepResidentUnder(t *testing.T) {
	s := releasedStore(t)
	floor := fileResident()
	if err := s.ReleaseMappedOver(1 << 40); err != nil { // records the floor
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.KeepResidentUnder(ctx, 1, time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()
	if err := s.Walk(Range{Kind: KindCustomer}, func(Envelope) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// The cache file's own mapping is measured, not the process's file
	// pages: those also count the test binary's code, which other work
	// (and a loaded machine) maps in meanwhile.
	deadline := time.Now().Add(10 * time.Second)
	for mappedOf(t, s.Path()) > 1<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the cache file's mapping holds %d bytes (process file pages %d, floor %d): the watch never released them",
				mappedOf(t, s.Path()), fileResident(), floor)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// mappedOf is the resident size (bytes) of this process's mappings of
// path, from /proc/self/smaps (skipped where there is none).
func mappedOf(t *testing.T, path string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps here")
	}
	var total int64
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			in = len(f) >= 6 && f[len(f)-1] == path
			continue
		}
		if in && len(f) >= 2 && f[0] == "Rss:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			total += kb << 10
		}
	}
	return total
}

// releasedStore is a cache of 4,000 customers with its mapped pages let go
// of (skipped where the resident set cannot be read).
func releasedStore(t *testing.T) *Store {
	t.Helper()
	if fileResident() < 0 {
		t.Skip("no /proc/self/statm here")
	}
	s := openTest(t, Options{})
	var objs []json.RawMessage
	for i := range 4000 {
		objs = append(objs, customerJSON(cusID(i), testNow.Unix()-int64(i), "", "Name "+cusID(i), int64(i)))
	}
	if _, err := s.PutPage(KindCustomer, objs, testNow.Unix(), Cursor{}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	return s
}
