package storage

import (
	"fmt"
	"testing"
	"time"
)

var deliveryBase = time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)

// loadDeliveries logs 100 receipts: seq i arrives at base + 10 s x i, with
// latency 100 µs x i; types cycle invoice.paid, charge.failed,
// customer.subscription.updated; every 10th is rejected (bad_signature for
// i%20 == 0, stale_timestamp otherwise); objects cycle obj_0..obj_4.
func loadDeliveries(t *testing.T, s *Store) {
	t.Helper()
	types := []string{"invoice.paid", "charge.failed", "customer.subscription.updated"}
	for i := 1; i <= 100; i++ {
		d := Delivery{At: deliveryBase.Add(time.Duration(i) * 10 * time.Second).UnixNano(), Type: types[i%3],
			ObjectID: fmt.Sprintf("obj_%d", i%5), EventID: fmt.Sprintf("evt_%03d", i), Verdict: VerdictApplied,
			LatencyUS: int64(i) * 100, Source: "webhook"}
		if i%10 == 0 {
			d.Verdict, d.Reason = VerdictRejected, "stale_timestamp: 400 s old"
			if i%20 == 0 {
				d.Reason = "bad_signature: no v1 signature matches"
			}
		}
		seq, err := s.AppendDelivery(d)
		if err != nil || seq != uint64(i) {
			t.Fatalf("append %d: seq %d err %v", i, seq, err)
		}
	}
}

func seqs(ds []Delivery) []uint64 {
	var out []uint64
	for _, d := range ds {
		out = append(out, d.Seq)
	}
	return out
}

func TestQueryDeliveries(t *testing.T) {
	s := openTest(t, Options{})
	loadDeliveries(t, s)
	// invoice.* is i%3 == 0: 99, 96, ... 3 newest first, pages of 4.
	var got []uint64
	q := DeliveryQuery{DeliveryFilter: DeliveryFilter{Type: "invoice.*"}, Limit: 4}
	pages := 0
	for {
		p, err := s.QueryDeliveries(q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, seqs(p.Items)...)
		if p.Next == 0 {
			break
		}
		q.Before = p.Next
	}
	if len(got) != 33 || got[0] != 99 || got[1] != 96 || got[32] != 3 || pages != 9 {
		t.Fatalf("invoice.*: %d rows in %d pages: %v", len(got), pages, got)
	}
	// customer.* matches the dotted subscription type too; verdict and object narrow it.
	p, err := s.QueryDeliveries(DeliveryQuery{DeliveryFilter: DeliveryFilter{Type: "customer.*", Verdict: VerdictRejected}, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	// i%3 == 2 and i%10 == 0: 80, 50, 20.
	if s := seqs(p.Items); fmt.Sprint(s) != "[80 50 20]" {
		t.Fatalf("customer.* rejected: %v", s)
	}
	p, _ = s.QueryDeliveries(DeliveryQuery{DeliveryFilter: DeliveryFilter{ObjectID: "obj_3"}, Limit: 3, Before: 50})
	if s := seqs(p.Items); fmt.Sprint(s) != "[48 43 38]" || p.Next != 38 {
		t.Fatalf("obj_3 before 50: %v next %d", s, p.Next)
	}
	// MaxVisit bounds a page (100..94 read) and hands back where to resume.
	p, _ = s.QueryDeliveries(DeliveryQuery{DeliveryFilter: DeliveryFilter{ObjectID: "obj_3"}, Limit: 10, MaxVisit: 7})
	if s := seqs(p.Items); fmt.Sprint(s) != "[98]" || !p.Truncated || p.Visited != 7 || p.Next != 94 {
		t.Fatalf("max visit: %v truncated %v visited %d next %d", s, p.Truncated, p.Visited, p.Next)
	}
	if _, err := s.QueryDeliveries(DeliveryQuery{DeliveryFilter: DeliveryFilter{Type: "invoice.["}}); err == nil {
		t.Fatal("bad glob accepted")
	}
}

func TestDeliveryStats(t *testing.T) {
	s := openTest(t, Options{})
	if st, err := s.DeliveryStats(StatsQuery{Last: 10}); err != nil || st.Count != 0 || !st.Last.IsZero() || st.P99 != 0 {
		t.Fatalf("empty log: %+v %v", st, err)
	}
	loadDeliveries(t, s)
	now := deliveryBase.Add(1000 * time.Second) // the newest delivery's time
	st, err := s.DeliveryStats(StatsQuery{Since: deliveryBase.Add(500 * time.Second), Now: now, Minutes: 5})
	if err != nil {
		t.Fatal(err)
	}
	// Since 500 s: i = 50..100, 51 receipts; rejected 50 60 .. 100 = 6:
	// bad_signature 60 80 100, stale_timestamp 50 70 90.
	if st.Count != 51 || st.Verdicts[VerdictRejected] != 6 || st.Verdicts[VerdictApplied] != 45 ||
		st.Rejects["bad_signature"] != 3 || st.Rejects["stale_timestamp"] != 3 {
		t.Fatalf("since: %+v", st)
	}
	// Latencies 5000..10000 µs step 100: p50 rank 26 -> i 75 = 7.5 ms; p99 rank 51 -> 10 ms.
	if st.P50 != 7500*time.Microsecond || st.P99 != 10*time.Millisecond {
		t.Fatalf("percentiles %v %v", st.P50, st.P99)
	}
	// Minutes ending at now: ago [0,60) i 95..100 = 6; [60,120) i 89..94 = 6;
	// [120,180) 83..88; [180,240) 77..82; [240,300) 71..76.
	if fmt.Sprint(st.PerMinute) != "[6 6 6 6 6]" {
		t.Fatalf("per minute %v", st.PerMinute)
	}
	if !st.Last.Equal(now) {
		t.Fatalf("last %v, want %v", st.Last, now)
	}
	if st.Sources["webhook"] != 51 || !st.LastBySource["webhook"].Equal(now) || len(st.LastBySource) != 1 {
		t.Fatalf("sources %v, last by source %v", st.Sources, st.LastBySource)
	}
	st, _ = s.DeliveryStats(StatsQuery{Last: 100})
	// All 100: p50 rank 50 = 5 ms, p99 rank 99 = 9.9 ms.
	if st.Count != 100 || st.P50 != 5*time.Millisecond || st.P99 != 9900*time.Microsecond || st.Rejects["bad_signature"] != 5 {
		t.Fatalf("last 100: %+v", st)
	}
	st, _ = s.DeliveryStats(StatsQuery{Last: 3})
	if st.Count != 3 || st.Verdicts[VerdictRejected] != 1 {
		t.Fatalf("last 3: %+v", st)
	}
	if _, err := s.DeliveryStats(StatsQuery{}); err == nil {
		t.Fatal("unbounded stats accepted")
	}
}

// TestDuplicateNamesItsObject: a retried delivery's receipt names the
// object, so filtering the log by object finds the retry too.
func TestDuplicateNamesItsObject(t *testing.T) {
	s := openTest(t, Options{})
	raw := eventJSON("evt_1", "invoice.paid", 100, invoiceJSON("in_1", "cus_1", "paid", 50, 700))
	for range 2 {
		if _, err := s.ApplyEvent(raw, &Delivery{Source: "webhook"}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.QueryDeliveries(DeliveryQuery{DeliveryFilter: DeliveryFilter{ObjectID: "in_1"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[0].Verdict != VerdictDuplicate || p.Items[0].Kind != KindInvoice || p.Items[1].Verdict != VerdictApplied {
		t.Fatalf("deliveries of in_1: %+v", p.Items)
	}
	if evs, _ := s.RecentEvents(0, 10); len(evs) != 1 {
		t.Fatalf("a duplicate was logged as an event: %d rows", len(evs))
	}
}
