package storage

import (
	"encoding/json"
	"fmt"
	"testing"
)

// loadCustomers writes n customers created one second apart, in pages.
func loadCustomers(t testing.TB, s *Store, n int) {
	t.Helper()
	const chunk = 5000
	for start := 0; start < n; start += chunk {
		var page []json.RawMessage
		for i := start; i < min(start+chunk, n); i++ {
			page = append(page, customerJSON(cusID(i), int64(1_000_000+i), fmt.Sprintf("user%d@example.com", i), fmt.Sprintf("Name%d Surname%d", i%97, i), int64(i%7-3)*100))
		}
		if _, err := s.PutPage(KindCustomer, page, 2_000_000_000, Cursor{}); err != nil {
			t.Fatal(err)
		}
	}
}

func ids(p Page) []string {
	var out []string
	for _, e := range p.Items {
		out = append(out, e.ID)
	}
	return out
}

func TestPagingWalksEveryRowOnceBothWays(t *testing.T) {
	s := openTest(t, Options{})
	loadCustomers(t, s, 53)
	for _, sort := range []Sort{SortCreated, SortAmount} {
		var forward []Page
		q := Query{Kind: KindCustomer, Limit: 10, Sort: sort}
		for {
			p, err := s.List(q)
			if err != nil {
				t.Fatal(err)
			}
			forward = append(forward, p)
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		seen := map[string]bool{}
		for _, p := range forward {
			for _, id := range ids(p) {
				if seen[id] {
					t.Fatalf("sort %d: %s twice", sort, id)
				}
				seen[id] = true
			}
		}
		if len(seen) != 53 || len(forward) != 6 {
			t.Fatalf("sort %d: %d rows in %d pages", sort, len(seen), len(forward))
		}
		if sort == SortCreated && forward[0].Items[0].ID != cusID(52) {
			t.Fatalf("newest first: got %s", forward[0].Items[0].ID)
		}
		if forward[0].Prev != "" {
			t.Fatal("first page has a Prev")
		}
		// Walk back with Prev tokens: each page equals the one seen going forward.
		p := forward[len(forward)-1]
		for i := len(forward) - 2; i >= 0; i-- {
			if p.Prev == "" {
				t.Fatalf("sort %d: page %d has no Prev", sort, i+1)
			}
			var err error
			if p, err = s.List(Query{Kind: KindCustomer, Limit: 10, Sort: sort, Before: p.Prev}); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(ids(p)) != fmt.Sprint(ids(forward[i])) {
				t.Fatalf("sort %d page %d back %v forward %v", sort, i, ids(p), ids(forward[i]))
			}
		}
		if p.Prev != "" {
			t.Fatalf("sort %d: first page reached backwards still has Prev", sort)
		}
	}
}

func TestFilters(t *testing.T) {
	s := openTest(t, Options{})
	loadCustomers(t, s, 30)
	inv := []json.RawMessage{
		invoiceJSON("in_1", cusID(1), "open", 10, 500),
		invoiceJSON("in_2", cusID(1), "paid", 20, 700),
		invoiceJSON("in_3", cusID(2), "open", 30, 900),
		invoiceJSON("in_4", cusID(1), "open", 40, 100),
	}
	if _, err := s.PutPage(KindInvoice, inv, 100, Cursor{Done: true}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q    Query
		want string
	}{
		{Query{Kind: KindInvoice, Status: "open"}, "[in_4 in_3 in_1]"},
		{Query{Kind: KindInvoice, Customer: cusID(1)}, "[in_4 in_2 in_1]"},
		{Query{Kind: KindInvoice, Customer: cusID(1), Status: "open"}, "[in_4 in_1]"},
		{Query{Kind: KindInvoice, Status: "open", Asc: true}, "[in_1 in_3 in_4]"},
		{Query{Kind: KindInvoice, Sort: SortAmount}, "[in_3 in_2 in_1 in_4]"},
		{Query{Kind: KindInvoice, Search: "inv-3"}, "[in_3]"},
		{Query{Kind: KindCustomer, Search: "USER2"}, "[cus_00000020 cus_00000021 cus_00000022 cus_00000023 cus_00000024 cus_00000025 cus_00000026 cus_00000027 cus_00000028 cus_00000029 cus_00000002]"},
		{Query{Kind: KindCustomer, Search: "surname17"}, "[cus_00000017]"},
		{Query{Kind: KindCustomer, Search: "cus_0000001"}, "[cus_00000010 cus_00000011 cus_00000012 cus_00000013 cus_00000014 cus_00000015 cus_00000016 cus_00000017 cus_00000018 cus_00000019]"},
		{Query{Kind: KindInvoice, Customer: cusID(1), Search: "inv-4"}, "[in_4]"},
		{Query{Kind: KindInvoice, Status: "void"}, "[]"},
	}
	for _, c := range cases {
		p, err := s.List(c.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(ids(p)); got != c.want {
			t.Errorf("%+v: got %s want %s", c.q, got, c.want)
		}
	}
	if _, err := s.List(Query{Kind: KindCustomer, After: "!!"}); err == nil {
		t.Fatal("bad token accepted")
	}
	if _, err := s.List(Query{Kind: "tax_rate"}); err == nil {
		t.Fatal("uncached kind accepted")
	}
}

func TestPageCostIndependentOfSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200k objects")
	}
	s := openTest(t, Options{})
	loadCustomers(t, s, 200_000)
	q := Query{Kind: KindCustomer, Limit: 25}
	for page := 0; page < 3; page++ {
		p, err := s.List(q)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 25 || p.Visited != 25 {
			t.Fatalf("page %d: %d items, %d keys visited", page, len(p.Items), p.Visited)
		}
		q.After = p.Next
	}
	p, _ := s.List(Query{Kind: KindCustomer, Limit: 25, Search: "user19999"})
	if p.Visited > 25 || len(p.Items) != 11 {
		t.Fatalf("search visited %d, found %d", p.Visited, len(p.Items))
	}
	if n, _ := s.Count(KindCustomer); n != 200_000 {
		t.Fatalf("count %d", n)
	}
}

func TestPostFilterWalkIsBounded(t *testing.T) {
	s := openTest(t, Options{})
	var page []json.RawMessage
	for i := 0; i < 2000; i++ {
		page = append(page, invoiceJSON(fmt.Sprintf("in_%05d", i), "cus_1", "paid", int64(i+1), 100))
	}
	if _, err := s.PutPage(KindInvoice, page, 5000, Cursor{}); err != nil {
		t.Fatal(err)
	}
	p, err := s.List(Query{Kind: KindInvoice, Customer: "cus_1", Status: "open", Limit: 10, MaxVisit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if p.Visited != 500 || !p.Truncated || len(p.Items) != 0 || p.Next == "" {
		t.Fatalf("visited %d truncated %v items %d next %q", p.Visited, p.Truncated, len(p.Items), p.Next)
	}
	rest, err := s.List(Query{Kind: KindInvoice, Customer: "cus_1", Status: "open", Limit: 10, MaxVisit: 5000, After: p.Next})
	if err != nil || rest.Visited != 1500 || rest.Truncated {
		t.Fatalf("continued walk: visited %d truncated %v err %v", rest.Visited, rest.Truncated, err)
	}
}
