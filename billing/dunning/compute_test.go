package dunning_test

import (
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/paydesk/paydesk/billing/dunning"
	"github.com/paydesk/paydesk/billing/dunning/dunningtest"
	"github.com/paydesk/paydesk/storage"
)

func openStore(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestComputeHandBuilt7d asserts every figure of the 7-day window over the
// dunningtest dataset. Window: 2026-11-17 00:00 .. 2026-11-23 12:00 UTC
// (days D0..D6).
func TestComputeHandBuilt7d(t *testing.T) {
	s := openStore(t)
	if err := dunningtest.Load(s); err != nil {
		t.Fatal(err)
	}
	r, err := dunning.Compute(s, dunning.Window{Days: 7}, dunningtest.Now)
	if err != nil {
		t.Fatal(err)
	}
	if !r.From.Equal(dunningtest.Week0) || !r.To.Equal(dunningtest.Now) {
		t.Fatalf("bounds %v..%v", r.From, r.To)
	}
	// Failed charges in the window: A1 A2 (4000 each), B3 B4 (26500 each),
	// C1 C2 (5000 each), D3 9000, X 700 -> 8 usd charges, 80,700;
	// F1 jpy 3000; Q1 eur 1500. 10 in all. (B1 B2 D1 D2 E1 K1 are older.)
	want := dunning.Tally{Count: 10, Amount: dunning.Amounts{"usd": 80700, "jpy": 3000, "eur": 1500}}
	if !reflect.DeepEqual(r.Failed, want) {
		t.Errorf("failed %+v, want %+v", r.Failed, want)
	}
	// Per day: D0 B3 C1; D1 A1 D3; D2 C2 X; D3 Q1; D4 A2; D5 B4; D6 F1.
	// Recovered per day, the cohort's only: in_C paid D5 (in_E2, paid D2,
	// failed before the window; in_P was paid first time).
	wantFailed := []int{2, 2, 2, 1, 1, 1, 1}
	wantRecovered := []int{0, 0, 0, 0, 0, 1, 0}
	if len(r.Days) != 7 {
		t.Fatalf("%d days", len(r.Days))
	}
	for i, d := range r.Days {
		if d.Failed != wantFailed[i] || d.Recovered != wantRecovered[i] || !d.Start.Equal(dunningtest.Week0.AddDate(0, 0, i)) {
			t.Errorf("day %d: %+v, want failed %d recovered %d", i, d, wantFailed[i], wantRecovered[i])
		}
	}
	// Recovered: in_C (attempts 3, 5000) and in_E2 (attempts 2, 1200).
	want = dunning.Tally{Count: 2, Amount: dunning.Amounts{"usd": 6200}}
	if !reflect.DeepEqual(r.Recovered, want) {
		t.Errorf("recovered %+v, want %+v", r.Recovered, want)
	}
	// Days to recover: in_C from C1 (D0+1h) to D5+1h = 5 days; in_E2 from E1
	// (D-20+1h) to D2+6h = 22 days 5 hours = 22.2083 days. Mean 13.6041667.
	if wantDays := (5 + 22 + 5.0/24) / 2; !near(r.AvgDaysToRecover, wantDays) {
		t.Errorf("avg days to recover %.6f, want %.6f", r.AvgDaysToRecover, wantDays)
	}
	// Cohort: invoices of the failed charges: A B C D (usd 4000+26500+5000+9000
	// = 44500), F (jpy 3000), Q (eur 1500); X has no invoice. Paid now: C.
	// Still unpaid: all but in_C (in_D uncollectible), what each still owes.
	wantCohort := dunning.Cohort{
		Invoices:  dunning.Tally{Count: 6, Amount: dunning.Amounts{"usd": 44500, "jpy": 3000, "eur": 1500}},
		Recovered: dunning.Tally{Count: 1, Amount: dunning.Amounts{"usd": 5000}},
		Unpaid:    dunning.Tally{Count: 5, Amount: dunning.Amounts{"usd": 44500 - 5000, "jpy": 3000, "eur": 1500}},
		Closed:    map[string]int{},
	}
	if !reflect.DeepEqual(r.Cohort, wantCohort) {
		t.Errorf("cohort %+v, want %+v", r.Cohort, wantCohort)
	}
	if !near(r.RateByCount, 1.0/6) {
		t.Errorf("rate by count %v, want 1/6", r.RateByCount)
	}
	wantRates := map[string]float64{"usd": 5000.0 / 44500, "jpy": 0, "eur": 0}
	for cur, rate := range wantRates {
		if got, ok := r.RateByAmount[cur]; !ok || !near(got, rate) {
			t.Errorf("rate by amount %s = %v, want %v", cur, got, rate)
		}
	}
	// At risk: sub_A 2 x 2000 = 4000; sub_B 24000/12 = 2000 + 500x52/12 =
	// 2166.67 -> 2167; sub_F 3000 jpy.
	want = dunning.Tally{Count: 3, Amount: dunning.Amounts{"usd": 4000 + 2000 + 2167, "jpy": 3000}}
	if !reflect.DeepEqual(r.AtRisk, want) {
		t.Errorf("at risk %+v, want %+v", r.AtRisk, want)
	}
	// Churn: sub_D (payment_failed, 9000 per 3 months = 3000) and sub_K (no
	// reason, latest invoice uncollectible after an attempt, 2000); sub_E was
	// requested, sub_G ended before the window.
	want = dunning.Tally{Count: 2, Amount: dunning.Amounts{"usd": 5000}}
	if !reflect.DeepEqual(r.Churned, want) {
		t.Errorf("churned %+v, want %+v", r.Churned, want)
	}
	// Declines: each cohort invoice once, under the code of its latest
	// failed attempt in the window, with its amount due, so the rows add
	// up to the cohort: in_A (A2), in_D (D3), in_F (F1) insufficient_funds;
	// in_C (C2) expired_card; in_Q (Q1) generic_decline; in_B (B4, after
	// B3's do_not_honor) lost_card. X, with no invoice, is counted apart.
	wantDeclines := []dunning.Decline{
		{Code: "insufficient_funds", Count: 3, Amount: dunning.Amounts{"usd": 4000 + 9000, "jpy": 3000}},
		{Code: "expired_card", Count: 1, Amount: dunning.Amounts{"usd": 5000}},
		{Code: "generic_decline", Count: 1, Amount: dunning.Amounts{"eur": 1500}},
		{Code: "lost_card", Count: 1, Amount: dunning.Amounts{"usd": 26500}},
	}
	if want := (dunning.Tally{Count: 1, Amount: dunning.Amounts{"usd": 700}}); !reflect.DeepEqual(r.WithoutInvoice, want) {
		t.Errorf("attempts without an invoice %+v, want %+v", r.WithoutInvoice, want)
	}
	if !reflect.DeepEqual(r.Declines, wantDeclines) {
		t.Errorf("declines\n%+v\nwant\n%+v", r.Declines, wantDeclines)
	}
	// Worklist: subscriptions A, B, F with their latest invoices, and in_Q
	// (open, attempted, no subscription). in_H was never attempted. Default
	// order: currency code, then largest amount first.
	wantWork := []dunning.WorkItem{
		{Kind: storage.KindInvoice, ID: "in_Q", Status: "open", Customer: "cus_E", CustomerName: "Eve Moss",
			Invoice: "in_Q", Attempts: 1, LastDecline: "generic_decline", NextAttempt: dunningtest.D(6, 20), AmountDue: 1500, Currency: "eur"},
		{Kind: storage.KindSubscription, ID: "sub_F", Status: "past_due", Customer: "cus_F", CustomerName: "Finn Holt", Subscription: "sub_F",
			Invoice: "in_F", Attempts: 1, LastDecline: "insufficient_funds", NextAttempt: dunningtest.D(9, 1), AmountDue: 3000, Currency: "jpy"},
		{Kind: storage.KindSubscription, ID: "sub_B", Status: "unpaid", Customer: "cus_B", CustomerName: "Bob Stone", Subscription: "sub_B",
			Invoice: "in_B", Attempts: 4, LastDecline: "lost_card", AmountDue: 26500, Currency: "usd"},
		{Kind: storage.KindSubscription, ID: "sub_A", Status: "past_due", Customer: "cus_A", CustomerName: "Ada Lovelace", Subscription: "sub_A",
			Invoice: "in_A", Attempts: 2, LastDecline: "insufficient_funds", NextAttempt: dunningtest.D(9, 1), AmountDue: 4000, Currency: "usd"},
	}
	if !reflect.DeepEqual(r.Work, wantWork) {
		t.Errorf("work\n%+v\nwant\n%+v", r.Work, wantWork)
	}
	ids := func() []string {
		var out []string
		for _, w := range r.Work {
			out = append(out, w.ID)
		}
		return out
	}
	dunning.SortWork(r.Work, dunning.SortAttempts, true)
	if got := ids(); !reflect.DeepEqual(got, []string{"sub_B", "sub_A", "in_Q", "sub_F"}) {
		t.Errorf("by attempts desc: %v", got)
	}
	dunning.SortWork(r.Work, dunning.SortNextAttempt, false)
	if got := ids(); !reflect.DeepEqual(got, []string{"in_Q", "sub_A", "sub_F", "sub_B"}) {
		t.Errorf("by next retry: %v", got)
	}
	dunning.SortWork(r.Work, dunning.SortCustomer, false)
	if got := ids(); !reflect.DeepEqual(got, []string{"sub_A", "sub_B", "in_Q", "sub_F"}) {
		t.Errorf("by customer: %v", got)
	}
}

// TestComputeHandBuilt30d: the 30-day window (from 2026-10-25) adds the
// older attempts and churn.
func TestComputeHandBuilt30d(t *testing.T) {
	s := openStore(t)
	if err := dunningtest.Load(s); err != nil {
		t.Fatal(err)
	}
	r, err := dunning.Compute(s, dunning.Window{Days: 30}, dunningtest.Now)
	if err != nil {
		t.Fatal(err)
	}
	// + B1 B2 (26500 each), D1 D2 (9000 each), E1 1200, K1 2000 = 74,200 usd.
	want := dunning.Tally{Count: 16, Amount: dunning.Amounts{"usd": 80700 + 74200, "jpy": 3000, "eur": 1500}}
	if !reflect.DeepEqual(r.Failed, want) {
		t.Errorf("failed %+v, want %+v", r.Failed, want)
	}
	// Cohort + in_E2 (1200, paid) and in_K (2000): 8 invoices, 2 recovered.
	if r.Cohort.Invoices.Count != 8 || r.Cohort.Recovered.Count != 2 || r.Cohort.Recovered.Amount["usd"] != 6200 ||
		r.Cohort.Invoices.Amount["usd"] != 44500+1200+2000 {
		t.Errorf("cohort %+v", r.Cohort)
	}
	// Churn + sub_G (2000).
	if r.Churned.Count != 3 || r.Churned.Amount["usd"] != 7000 {
		t.Errorf("churned %+v", r.Churned)
	}
	if len(r.Days) != 30 || !r.Days[0].Start.Equal(time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("days %d from %v", len(r.Days), r.Days[0].Start)
	}
	sum := 0
	for _, d := range r.Days {
		sum += d.Failed
	}
	if sum != 16 {
		t.Errorf("series sums to %d failed, want 16", sum)
	}
	if _, err := dunning.Compute(s, dunning.Window{Days: 14}, dunningtest.Now); err == nil {
		t.Error("14-day window accepted")
	}
}

func TestMonthlyAmount(t *testing.T) {
	for _, c := range []struct {
		amount   int64
		interval string
		count    int64
		want     int64
	}{
		{1000, "month", 1, 1000},
		{9000, "month", 3, 3000},
		{12000, "year", 1, 1000},
		{24001, "year", 2, 1000}, // 24001/24 = 1000.04
		{500, "week", 1, 2167},   // 500*52/12 = 2166.67
		{500, "week", 2, 1083},   // 1083.33
		{100, "day", 1, 3042},    // 100*365/12 = 3041.67
		{-500, "week", 1, -2167}, // credits round away from zero too
		{7, "month", 2, 4},       // 3.5 rounds up
	} {
		got, ok := dunning.MonthlyAmount(c.amount, c.interval, c.count)
		if !ok || got != c.want {
			t.Errorf("MonthlyAmount(%d, %s, %d) = %d, want %d", c.amount, c.interval, c.count, got, c.want)
		}
	}
	if _, ok := dunning.MonthlyAmount(100, "fortnight", 1); ok {
		t.Error("unknown interval accepted")
	}
}
