package storage

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestCountOfCustomer: the count matches what the customer-index query
// lists, a customer whose id is a prefix of another's is not mixed in,
// and the limit stops the walk.
func TestCountOfCustomer(t *testing.T) {
	s := openTest(t, Options{})
	var page []json.RawMessage
	for i := range 7 {
		page = append(page, invoiceJSON(fmt.Sprintf("in_a%02d", i), "cus_1", "paid", int64(i+1), 100))
	}
	for i := range 3 {
		page = append(page, invoiceJSON(fmt.Sprintf("in_b%02d", i), "cus_10", "open", int64(i+1), 100))
	}
	if _, err := s.PutPage(KindInvoice, page, 100, Cursor{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		customer string
		limit    int
		want     int
		atLimit  bool
	}{
		{"cus_1", 0, 7, false}, {"cus_10", 0, 3, false}, {"cus_2", 0, 0, false},
		{"cus_1", 7, 7, false}, {"cus_1", 5, 5, true},
	} {
		n, atLimit, err := s.CountOfCustomer(KindInvoice, tc.customer, tc.limit)
		if err != nil || n != tc.want || atLimit != tc.atLimit {
			t.Fatalf("%s limit %d: %d %v %v, want %d %v", tc.customer, tc.limit, n, atLimit, err, tc.want, tc.atLimit)
		}
		if tc.limit == 0 {
			p, err := s.List(Query{Kind: KindInvoice, Customer: tc.customer, Limit: 100})
			if err != nil || len(p.Items) != n {
				t.Fatalf("%s: counted %d, listed %d (%v)", tc.customer, n, len(p.Items), err)
			}
		}
	}
	if _, _, err := s.CountOfCustomer(KindInvoice, "", 0); err == nil {
		t.Fatal("an empty customer id was counted")
	}
	if _, _, err := s.CountOfCustomer(Kind("nope"), "cus_1", 0); err == nil {
		t.Fatal("an unknown kind was counted")
	}
}

// BenchmarkCountOfCustomer counts a customer with 10,000 cached invoices
// at the detail pages' bound (one count per related list drawn).
func BenchmarkCountOfCustomer(b *testing.B) {
	s := openTest(b, Options{})
	for start := 0; start < 10_000; start += 1000 {
		var page []json.RawMessage
		for i := start; i < start+1000; i++ {
			page = append(page, invoiceJSON(fmt.Sprintf("in_%06d", i), "cus_big", "paid", int64(i+1), 100))
		}
		if _, err := s.PutPage(KindInvoice, page, 100_000, Cursor{}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if n, _, err := s.CountOfCustomer(KindInvoice, "cus_big", 10_000); err != nil || n != 10_000 {
			b.Fatalf("%d %v", n, err)
		}
	}
}
