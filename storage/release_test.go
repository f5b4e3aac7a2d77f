package storage

import (
	"encoding/json"
	"sync"
	"testing"
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
