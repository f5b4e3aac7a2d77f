package find

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/storage"
)

// BenchmarkSearch answers one search line per op from the cache's indexes
// (Parse + Cache, 8 hits per kind) over a synthetic cache of
// PAYDESK_BENCH_OBJECTS objects (default 100,000): a quarter customers, half
// charges (card last4, amounts in usd/eur/jpy), a quarter invoices. The
// lines cycle through every form; p99 is reported per line.
//
//	go test ./billing/find -run '^$' -bench Search -benchtime 2000x
//	PAYDESK_BENCH_OBJECTS=1000000 go test ./billing/find -run '^$' -bench Search -benchtime 2000x
func BenchmarkSearch(b *testing.B) {
	s := benchCache(b)
	lines := []string{
		"user12345@", "surname77", "+1 415 555 0123", "4242", "$12.50", "€7.00 2026-10-01..2026-10-31",
		"¥500", "12.50", "inv-000123", "ch_b0000012", "cus_b000004", "renewal", "zzz-no-match",
	}
	var d []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := Cache(s, Parse(lines[i%len(lines)], time.UTC), 8); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(d[len(d)-1].Microseconds()), "max-µs")
}

// BenchmarkFindPastedID is the cache side of opening a pasted id: the
// kind from its prefix and one read.
func BenchmarkFindPastedID(b *testing.B) {
	s := benchCache(b)
	n := benchObjects() / 2
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Find(fmt.Sprintf("ch_b%09d", (i*7919)%n)); err != nil {
			b.Fatal(err)
		}
	}
}

func benchObjects() int {
	if n, err := strconv.Atoi(os.Getenv("PAYDESK_BENCH_OBJECTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var bench struct {
	store *storage.Store
	dir   string
}

func benchCache(b *testing.B) *storage.Store {
	if bench.store != nil {
		return bench.store
	}
	dir, err := os.MkdirTemp("", "paydesk-find-bench-*")
	if err != nil {
		b.Fatal(err)
	}
	s, err := storage.Open(filepath.Join(dir, "big.db"), storage.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	n := benchObjects()
	base := testNow.Unix() - int64(n)*60
	curs := []string{"usd", "eur", "jpy"}
	put := func(kind storage.Kind, objs []json.RawMessage) {
		if _, err := s.PutPage(kind, objs, testNow.Unix(), storage.Cursor{}); err != nil {
			b.Fatal(err)
		}
	}
	const page = 2000
	var cus, ch, inv []json.RawMessage
	for i := 0; i < n; i++ {
		at := base + int64(i)*60
		switch i % 4 {
		case 0:
			k := i / 4
			cus = append(cus, json.RawMessage(fmt.Sprintf(
				`{"id":"cus_b%09d","object":"customer","created":%d,"email":"user%d@example.com","name":"Name%d Surname%d","phone":"+1 415 555 %04d","metadata":{"crm":"crm-%d"}}`,
				k, at, k, k, k%1000, k%10000, k)))
		case 1, 3:
			k := i / 2
			cur := curs[k%3]
			amount := int64(100 + k%5000)
			if cur == "jpy" {
				amount = int64(100 + k%5000)
			}
			ch = append(ch, json.RawMessage(fmt.Sprintf(
				`{"id":"ch_b%09d","object":"charge","created":%d,"customer":"cus_b%09d","amount":%d,"currency":"%s","status":"succeeded","description":"Subscription renewal %d","payment_method_details":{"card":{"last4":"%04d","brand":"visa"}}}`,
				k, at, k/2, amount, cur, k, k%10000)))
		case 2:
			k := i / 4
			inv = append(inv, json.RawMessage(fmt.Sprintf(
				`{"id":"in_b%09d","object":"invoice","created":%d,"customer":"cus_b%09d","status":"paid","number":"INV-%06d","amount_due":%d,"currency":"usd"}`,
				k, at, k, k, 100+k%5000)))
		}
		if len(cus) == page {
			put(storage.KindCustomer, cus)
			cus = cus[:0]
		}
		if len(ch) == page {
			put(storage.KindCharge, ch)
			ch = ch[:0]
		}
		if len(inv) == page {
			put(storage.KindInvoice, inv)
			inv = inv[:0]
		}
	}
	for kind, objs := range map[storage.Kind][]json.RawMessage{storage.KindCustomer: cus, storage.KindCharge: ch, storage.KindInvoice: inv} {
		if len(objs) > 0 {
			put(kind, objs)
		}
	}
	bench.store, bench.dir = s, dir
	return s
}

func TestMain(m *testing.M) {
	code := m.Run()
	stripemock.Stop()
	if bench.store != nil {
		bench.store.Close()
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}
