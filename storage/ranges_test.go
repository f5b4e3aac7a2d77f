package storage

import (
	"encoding/json"
	"testing"
)

// TestRangeCursors: a range's page and its cursor land in one transaction,
// the kind's cursor sums what its ranges fetched, a split stores both
// ranges at once, the customer kind's ranges stay apart from the balance
// transactions' (one name prefixes the other), and ResetCursors forgets
// them all.
func TestRangeCursors(t *testing.T) {
	s := openTest(t, Options{})
	created := testNow.Unix() - 3600
	page := func(from, n int) []json.RawMessage {
		var out []json.RawMessage
		for i := from; i < from+n; i++ {
			out = append(out, customerJSON(cusID(i), created-int64(i), "", "", 0))
		}
		return out
	}
	top := Cursor{After: cusID(2), Fetched: 3}
	if n, err := s.PutRangePage(KindCustomer, "all", page(0, 3), created, 77, top); err != nil || n != 3 {
		t.Fatalf("PutRangePage = %d, %v", n, err)
	}
	split := map[string]Cursor{"all": {After: cusID(2), Fetched: 3, CreatedGTE: created - 10}, "0-99": {CreatedLTE: created - 11}}
	if err := s.PutRanges(KindCustomer, split); err != nil {
		t.Fatal(err)
	}
	older := Cursor{After: cusID(14), Fetched: 2, CreatedLTE: created - 11, Done: true}
	if _, err := s.PutRangePage(KindCustomer, "0-99", page(13, 2), created, 99, older); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCursor(KindBalanceTransaction, Cursor{After: "0||", Fetched: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutRangePage(KindBalanceTransaction, "x", nil, created, 1, Cursor{Fetched: 0}); err != nil {
		t.Fatal(err)
	}

	ranges, err := s.Ranges(KindCustomer)
	if err != nil {
		t.Fatal(err)
	}
	if len(ranges) != 2 || ranges["all"].CreatedGTE != created-10 || ranges["all"].After != cusID(2) ||
		!ranges["0-99"].Done || ranges["0-99"].Fetched != 2 || ranges["0-99"].CreatedLTE != created-11 {
		t.Fatalf("customer ranges = %+v", ranges)
	}
	kind, err := s.Cursor(KindCustomer)
	if err != nil {
		t.Fatal(err)
	}
	if kind.Fetched != 5 || kind.StartedAt != 77 || kind.Done || kind.After != "" {
		t.Fatalf("customer cursor = %+v, want 5 fetched over its ranges, started at 77", kind)
	}
	if n, _ := s.Count(KindCustomer); n != 5 {
		t.Fatalf("%d customers cached, want 5", n)
	}
	if _, err := s.Get(KindCustomer, cusID(14)); err != nil {
		t.Fatal(err)
	}
	if err := s.ResetCursors(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []Kind{KindCustomer, KindBalanceTransaction} {
		if r, _ := s.Ranges(k); len(r) != 0 {
			t.Fatalf("%s ranges after ResetCursors: %+v", k, r)
		}
		if c, _ := s.Cursor(k); c != (Cursor{}) {
			t.Fatalf("%s cursor after ResetCursors: %+v", k, c)
		}
	}
}
