package dunning_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/dunning"
	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// bruteForce recomputes a few figures by reading every cached object of the
// kinds involved, without the indexes Compute uses.
type bruteForce struct {
	failed      int
	failedAmt   dunning.Amounts
	recovered   int
	atRisk      int
	atRiskMRR   dunning.Amounts
	churned     int
	work        int
	declineTops map[string]int
	// withoutInvoice counts failed attempts of no invoice.
	withoutInvoice int
}

func all(t testing.TB, s *storage.Store, k storage.Kind) []map[string]any {
	t.Helper()
	var out []map[string]any
	err := s.Walk(storage.Range{Kind: k}, func(e storage.Envelope) error {
		var m map[string]any
		if err := json.Unmarshal(e.Raw, &m); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

func mrrOf(sub map[string]any, into dunning.Amounts) {
	for _, it := range sub["items"].(map[string]any)["data"].([]any) {
		item := it.(map[string]any)
		p := item["price"].(map[string]any)
		rec := p["recurring"].(map[string]any)
		m, ok := dunning.MonthlyAmount(num(p["unit_amount"])*num(item["quantity"]), rec["interval"].(string), num(rec["interval_count"]))
		if ok {
			into.Add(p["currency"].(string), m)
		}
	}
}

func brute(t testing.TB, s *storage.Store, from, to int64) bruteForce {
	in := func(v int64) bool { return v >= from && v < to }
	b := bruteForce{failedAmt: dunning.Amounts{}, atRiskMRR: dunning.Amounts{}, declineTops: map[string]int{}}
	type attempt struct {
		created int64
		code    string
	}
	latest := map[string]attempt{} // invoice id -> its latest failed attempt in the window
	for _, ch := range all(t, s, storage.KindCharge) {
		if ch["status"] == "failed" && in(num(ch["created"])) {
			b.failed++
			b.failedAmt.Add(ch["currency"].(string), num(ch["amount"]))
			code, _ := ch["outcome"].(map[string]any)["reason"].(string)
			if code == "" {
				code, _ = ch["failure_code"].(string)
			}
			if inv, _ := ch["invoice"].(string); inv == "" {
				b.withoutInvoice++
			} else {
				if l, ok := latest[inv]; !ok || num(ch["created"]) >= l.created {
					latest[inv] = attempt{num(ch["created"]), code}
				}
			}
		}
	}
	for _, iv := range all(t, s, storage.KindInvoice) {
		if l, ok := latest[iv["id"].(string)]; ok {
			b.declineTops[l.code]++
		}
	}
	for _, iv := range all(t, s, storage.KindInvoice) {
		paidAt := num(iv["status_transitions"].(map[string]any)["paid_at"])
		if iv["status"] == "paid" && in(paidAt) && num(iv["attempt_count"]) >= 2 {
			b.recovered++
		}
	}
	risky := map[string]bool{}
	for _, sub := range all(t, s, storage.KindSubscription) {
		switch sub["status"] {
		case "past_due", "unpaid":
			b.atRisk++
			b.work++
			mrrOf(sub, b.atRiskMRR)
			risky[sub["id"].(string)] = true
		case "canceled":
			reason, _ := sub["cancellation_details"].(map[string]any)["reason"].(string)
			if reason == "payment_failed" && in(num(sub["ended_at"])) {
				b.churned++
			}
		}
	}
	// One row per debt: a risky subscription's row shows one of its open
	// attempted invoices; every other one has a row of its own.
	onSubRow := map[string]bool{}
	for _, iv := range all(t, s, storage.KindInvoice) {
		if iv["status"] == "open" && num(iv["attempt_count"]) >= 1 {
			if sub, _ := iv["subscription"].(string); risky[sub] && !onSubRow[sub] {
				onSubRow[sub] = true
				continue
			}
			b.work++
		}
	}
	return b
}

// TestComputeSandbox backfills a seeded sandbox over HTTP and cross-checks
// Compute's indexed figures against a brute-force pass over every object.
func TestComputeSandbox(t *testing.T) {
	now := testclock.Anchor().In(testclock.Zone())
	s := seededCache(t, 300, now)
	for _, w := range dunning.Windows {
		r, err := dunning.Compute(s, w, now)
		if err != nil {
			t.Fatal(err)
		}
		b := brute(t, s, r.From.Unix(), r.To.Unix()+1)
		if r.Failed.Count != b.failed || !equalAmounts(r.Failed.Amount, b.failedAmt) {
			t.Errorf("%s failed %+v, brute force %d %v", w, r.Failed, b.failed, b.failedAmt)
		}
		if r.Recovered.Count != b.recovered {
			t.Errorf("%s recovered %d, brute force %d", w, r.Recovered.Count, b.recovered)
		}
		// One cohort for every figure on screen: the per-day series adds
		// up to the summary lines beside it (failed attempts; the cohort's
		// invoices recovered).
		failedDays, recoveredDays := 0, 0
		for _, d := range r.Days {
			failedDays += d.Failed
			recoveredDays += d.Recovered
		}
		if failedDays != r.Failed.Count || recoveredDays != r.Cohort.Recovered.Count {
			t.Errorf("%s per-day series: failed %d recovered %d, summary: %d attempts, %d recovered",
				w, failedDays, recoveredDays, r.Failed.Count, r.Cohort.Recovered.Count)
		}
		if r.AtRisk.Count != b.atRisk || !equalAmounts(r.AtRisk.Amount, b.atRiskMRR) {
			t.Errorf("%s at risk %+v, brute force %d %v", w, r.AtRisk, b.atRisk, b.atRiskMRR)
		}
		if r.Churned.Count < b.churned {
			t.Errorf("%s churned %d, brute force (payment_failed only) %d", w, r.Churned.Count, b.churned)
		}
		if len(r.Work) != b.work {
			t.Errorf("%s worklist %d rows, brute force %d", w, len(r.Work), b.work)
		}
		// The decline rows add up to the cohort's line: count and amount due.
		declined, declinedAmt := 0, dunning.Amounts{}
		for _, d := range r.Declines {
			if b.declineTops[d.Code] != d.Count {
				t.Errorf("%s decline %s: %d, brute force %d", w, d.Code, d.Count, b.declineTops[d.Code])
			}
			declined += d.Count
			for cur, v := range d.Amount {
				declinedAmt.Add(cur, v)
			}
		}
		if declined != r.Cohort.Invoices.Count || !equalAmounts(declinedAmt, r.Cohort.Invoices.Amount) {
			t.Errorf("%s decline rows %d %v, cohort %d %v", w, declined, declinedAmt, r.Cohort.Invoices.Count, r.Cohort.Invoices.Amount)
		}
		closed := 0
		for _, n := range r.Cohort.Closed {
			closed += n
		}
		if r.Cohort.Recovered.Count+r.Cohort.Unpaid.Count+closed != r.Cohort.Invoices.Count {
			t.Errorf("%s cohort %d invoices: %d recovered + %d unpaid + %v closed do not add up", w,
				r.Cohort.Invoices.Count, r.Cohort.Recovered.Count, r.Cohort.Unpaid.Count, r.Cohort.Closed)
		}
		if r.WithoutInvoice.Count != b.withoutInvoice {
			t.Errorf("%s failed attempts without an invoice %d, brute force %d", w, r.WithoutInvoice.Count, b.withoutInvoice)
		}
		t.Logf("%s: failed %d %v, recovered %d, cohort %d/%d, at risk %d %v, churned %d, work %d, avg days %.2f",
			w, r.Failed.Count, r.Failed.Amount, r.Recovered.Count, r.Cohort.Recovered.Count, r.Cohort.Invoices.Count,
			r.AtRisk.Count, r.AtRisk.Amount, r.Churned.Count, len(r.Work), r.AvgDaysToRecover)
		if w.Days == 90 && (r.Failed.Count == 0 || r.AtRisk.Count == 0 || r.Recovered.Count == 0 || len(r.Work) == 0) {
			t.Errorf("seeded data too thin to cross-check: %+v", r)
		}
	}
}

func equalAmounts(a, b dunning.Amounts) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// seededCache backfills a sandbox of n customers, seeded at now, over HTTP.
func seededCache(t testing.TB, n int, now time.Time) *storage.Store {
	t.Helper()
	sb, err := sandbox.New(sandbox.Options{Seed: 7, Customers: n, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	cl, err := billing.New(billing.Config{SecretKey: sb.APIKey(), APIBase: base, RateLimit: 10_000, Clocks: billing.Clocks{Account: func() time.Time { return now }},
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	kinds := []storage.Kind{storage.KindCustomer, storage.KindSubscription, storage.KindInvoice, storage.KindCharge}
	if err := cl.Backfill(context.Background(), s, billing.BackfillOptions{Kinds: kinds}); err != nil {
		t.Fatal(err)
	}
	return s
}
