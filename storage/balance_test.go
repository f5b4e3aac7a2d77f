package storage

import (
	"slices"
	"testing"
)

// TestBalanceIndex: the Credit screen's query walks only customers with a
// non-zero balance, in balance order, and follows balance changes.
func TestBalanceIndex(t *testing.T) {
	s := openTest(t, Options{})
	loadCustomers(t, s, 70) // balances cycle -300..300 in steps of 100; 10 of 70 are zero
	all := func(q Query) ([]string, []int64, int) {
		t.Helper()
		var ids []string
		var amounts []int64
		visited := 0
		for {
			p, err := s.List(q)
			if err != nil {
				t.Fatal(err)
			}
			visited += p.Visited
			for _, e := range p.Items {
				ids = append(ids, e.ID)
				amounts = append(amounts, e.Amount)
			}
			if p.Next == "" {
				return ids, amounts, visited
			}
			q.After = p.Next
		}
	}
	ids, amounts, visited := all(Query{Kind: KindCustomer, Balance: BalanceNonZero, Limit: 7})
	if len(ids) != 60 || visited != 60 {
		t.Fatalf("nonzero: %d rows, %d keys visited; want 60, 60", len(ids), visited)
	}
	if !slices.IsSortedFunc(amounts, func(a, b int64) int { return int(b - a) }) || amounts[0] != 300 || amounts[59] != -300 {
		t.Fatalf("nonzero: not largest first: %v", amounts)
	}
	_, credit, _ := all(Query{Kind: KindCustomer, Balance: BalanceCredit, Asc: true, Limit: 7})
	if len(credit) != 30 || credit[0] != -300 || credit[29] != -100 {
		t.Fatalf("credit asc: %v", credit)
	}
	_, owed, _ := all(Query{Kind: KindCustomer, Balance: BalanceOwed, Limit: 7})
	if len(owed) != 30 || owed[0] != 300 || owed[29] != 100 {
		t.Fatalf("owed: %v", owed)
	}
	// A customer paying off their balance leaves the index; a new debt enters it.
	zeroed := cusID(0) // balance -300
	if _, err := s.ApplyEvent(eventJSON("evt_1", "customer.updated", 2_000_000_100,
		customerJSON(zeroed, 1_000_000, "user0@example.com", "Name0 Surname0", 0)), nil); err != nil {
		t.Fatal(err)
	}
	ids, _, _ = all(Query{Kind: KindCustomer, Balance: BalanceCredit, Limit: 50})
	if slices.Contains(ids, zeroed) || len(ids) != 29 {
		t.Fatalf("after payoff: %d credit rows, contains %s: %v", len(ids), zeroed, slices.Contains(ids, zeroed))
	}
	// Search narrows the walk.
	ids, _, _ = all(Query{Kind: KindCustomer, Balance: BalanceNonZero, Search: "user1", Limit: 50})
	for _, id := range ids {
		e, _ := s.Get(KindCustomer, id)
		if e.Amount == 0 || e.Email[:5] != "user1" {
			t.Fatalf("search+balance returned %s (%d, %s)", id, e.Amount, e.Email)
		}
	}
	if len(ids) == 0 {
		t.Fatal("search+balance returned nothing")
	}
	if _, err := s.List(Query{Kind: KindCustomer, Balance: "bogus"}); err == nil {
		t.Fatal("unknown balance filter accepted")
	}
	if v, _ := s.Schema(); v != SchemaVersion {
		t.Fatalf("schema %d, want %d", v, SchemaVersion)
	}
}
