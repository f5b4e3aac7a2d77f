package storage

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
)

// BenchmarkApplyEvent measures one durable event apply (one fsync'd
// transaction) on a cache that already holds 10k customers.
func BenchmarkApplyEvent(b *testing.B) {
	s := openTest(b, Options{})
	loadCustomers(b, s, 10_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		obj := customerJSON(cusID(i%10_000), int64(1_000_000+i%10_000), fmt.Sprintf("n%d@x.io", i), "Bench User", int64(i))
		if _, err := s.ApplyEvent(eventJSON(fmt.Sprintf("evt_%d", i), "customer.updated", int64(2_000_000_001+i), obj), &Delivery{Source: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyEventBatch: concurrent appliers sharing transactions (webhook ingestion).
func BenchmarkApplyEventBatch(b *testing.B) {
	s := openTest(b, Options{Batch: true})
	loadCustomers(b, s, 10_000)
	b.SetParallelism(8)
	var mu sync.Mutex
	n := 0
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.Lock()
			i := n
			n++
			mu.Unlock()
			obj := customerJSON(cusID(i%10_000), 1, "b@x.io", "Bench", int64(i))
			if _, err := s.ApplyEvent(eventJSON(fmt.Sprintf("evt_%d", i), "customer.updated", int64(2_000_000_001+i), obj), &Delivery{Source: "bench"}); err != nil {
				b.Error(err)
			}
		}
	})
}

func benchPage(b *testing.B, n int, q Query) {
	s := openTest(b, Options{})
	loadCustomers(b, s, n)
	first, err := s.List(q)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		qq := q
		if i%2 == 1 {
			qq.After = first.Next
		}
		if _, err := s.List(qq); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPageQuery(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("created/%d", n), func(b *testing.B) { benchPage(b, n, Query{Kind: KindCustomer, Limit: 50}) })
		b.Run(fmt.Sprintf("search/%d", n), func(b *testing.B) { benchPage(b, n, Query{Kind: KindCustomer, Limit: 50, Search: "user12"}) })
	}
}

// BenchmarkPutPage measures backfill writes: one transaction per 100-row page.
func BenchmarkPutPage(b *testing.B) {
	s := openTest(b, Options{})
	page := make([]json.RawMessage, 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range page {
			k := i*100 + j
			page[j] = customerJSON(cusID(k), int64(k), fmt.Sprintf("u%d@x.io", k), "Page User", 0)
		}
		if _, err := s.PutPage(KindCustomer, page, 1, Cursor{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "rows/s")
}
