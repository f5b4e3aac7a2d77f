package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	stripe "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/webhook"
)

// t0 is the sandbox clock of these tests: the suite's anchor
// (testclock.Default unless PAYDESK_TEST_ANCHOR moves it).
var t0 = testclock.Anchor()

func newSandbox(t testing.TB, opts Options) (*Server, *client.API, string) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	sb, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb, client.New(sb.APIKey(), sb.Backends()), base
}

func rawGet(t *testing.T, base, path, key string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: not JSON: %s", path, b)
	}
	return resp.StatusCode, m, resp.Header
}

func stripeErr(t *testing.T, err error) *stripe.Error {
	t.Helper()
	var se *stripe.Error
	if !errors.As(err, &se) {
		t.Fatalf("want *stripe.Error, got %T %v", err, err)
	}
	return se
}

func TestCustomersCRUDAndDecode(t *testing.T) {
	_, api, base := newSandbox(t, Options{Seed: 1, Customers: 30})
	params := &stripe.CustomerParams{Name: stripe.String("Ada Lovelace"), Email: stripe.String("ada@example.com")}
	params.AddMetadata("tier", "gold")
	c, err := api.Customers.New(params)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Ada Lovelace" || c.Email != "ada@example.com" || c.Metadata["tier"] != "gold" || !strings.HasPrefix(c.ID, "cus_") {
		t.Fatalf("created customer lost fields: %+v", c)
	}
	got, err := api.Customers.Get(c.ID, nil)
	if err != nil || got.ID != c.ID || got.Created != t0.Unix() {
		t.Fatalf("get: %v %+v", err, got)
	}
	// Raw JSON carries the same values as the decoded struct.
	code, m, h := rawGet(t, base, "/v1/customers/"+c.ID, "sk_test_x")
	if code != 200 || m["email"] != "ada@example.com" || m["object"] != "customer" || !strings.HasPrefix(h.Get("Request-Id"), "req_") {
		t.Fatalf("raw: %d %v", code, m)
	}
	up, err := api.Customers.Update(c.ID, &stripe.CustomerParams{Balance: stripe.Int64(-500)})
	if err != nil || up.Balance != -500 {
		t.Fatalf("update balance: %v %+v", err, up)
	}
	txns := api.CustomerBalanceTransactions.List(&stripe.CustomerBalanceTransactionListParams{Customer: stripe.String(c.ID)})
	n := 0
	for txns.Next() {
		n++
		if txns.CustomerBalanceTransaction().EndingBalance != -500 {
			t.Fatalf("ending balance %d", txns.CustomerBalanceTransaction().EndingBalance)
		}
	}
	if txns.Err() != nil || n != 1 {
		t.Fatalf("txns: %v %d", txns.Err(), n)
	}
	bt, err := api.CustomerBalanceTransactions.New(&stripe.CustomerBalanceTransactionParams{Customer: stripe.String(c.ID), Amount: stripe.Int64(-250), Currency: stripe.String("usd")})
	if err != nil || bt.EndingBalance != -750 || bt.Customer.ID != c.ID {
		t.Fatalf("balance txn: %v %+v", err, bt)
	}
	_, err = api.Customers.Get("cus_doesnotexist1234", nil)
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 404 || se.Code != "resource_missing" || se.Msg != "No such customer: 'cus_doesnotexist1234'" {
		t.Fatalf("404 shape: %+v", se)
	}
}

func TestAuthAndRateLimitAndUnknownURL(t *testing.T) {
	_, _, base := newSandbox(t, Options{Seed: 1, Customers: 3})
	code, m, h := rawGet(t, base, "/v1/customers", "")
	if code != 401 || m["error"].(map[string]any)["type"] != "invalid_request_error" || h.Get("Request-Id") == "" {
		t.Fatalf("no key: %d %v", code, m)
	}
	if code, _, _ := rawGet(t, base, "/v1/customers", "sk_live_nope"); code != 401 {
		t.Fatalf("bad key: %d", code)
	}
	if code, m, _ := rawGet(t, base, "/v1/nothing", "sk_test_1"); code != 404 || !strings.Contains(m["error"].(map[string]any)["message"].(string), "Unrecognized request URL") {
		t.Fatalf("unknown url: %d %v", code, m)
	}
	_, api2, base2 := newSandbox(t, Options{Seed: 1, Customers: 3, RateLimit: 5})
	_ = api2
	limited := 0
	for i := 0; i < 20; i++ {
		code, m, _ := rawGet(t, base2, "/v1/customers", "sk_test_1")
		if code == 429 {
			limited++
			if m["error"].(map[string]any)["code"] != "rate_limit" {
				t.Fatalf("429 body %v", m)
			}
		}
	}
	if limited == 0 {
		t.Fatal("no 429 above the rate limit")
	}
}

func TestPagination(t *testing.T) {
	_, api, base := newSandbox(t, Options{Seed: 7, Customers: 40})
	var all []string
	it := api.Customers.List(&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(7)}})
	for it.Next() {
		all = append(all, it.Customer().ID)
	}
	if it.Err() != nil || len(all) != 40 {
		t.Fatalf("auto-paging: %v %d", it.Err(), len(all))
	}
	seen := map[string]bool{}
	for k, id := range all {
		if seen[id] {
			t.Fatalf("duplicate %s", id)
		}
		seen[id] = true
		if k > 0 {
			a, _ := api.Customers.Get(all[k-1], nil)
			b, _ := api.Customers.Get(id, nil)
			if b.Created > a.Created {
				t.Fatalf("not newest first at %d", k)
			}
		}
	}
	// has_more at an exact multiple: 40 = 4 x 10.
	_, m, _ := rawGet(t, base, "/v1/customers?limit=10&starting_after="+all[29], "sk_test_1")
	if len(m["data"].([]any)) != 10 || m["has_more"] != false {
		t.Fatalf("last page: %v", m["has_more"])
	}
	_, m, _ = rawGet(t, base, "/v1/customers?limit=10&starting_after="+all[19], "sk_test_1")
	if m["has_more"] != true {
		t.Fatal("has_more should be true before the last page")
	}
	_, m, _ = rawGet(t, base, "/v1/customers?limit=3&ending_before="+all[10], "sk_test_1")
	data := m["data"].([]any)
	if len(data) != 3 || data[0].(map[string]any)["id"] != all[7] || data[2].(map[string]any)["id"] != all[9] || m["has_more"] != true {
		t.Fatalf("ending_before page wrong: %v", m)
	}
	for _, q := range []string{"limit=0", "limit=101", "limit=abc", "starting_after=cus_nope"} {
		code, m, _ := rawGet(t, base, "/v1/customers?"+q, "sk_test_1")
		if code != 400 || m["error"] == nil {
			t.Fatalf("%s: %d %v", q, code, m)
		}
	}
}

func TestIdempotency(t *testing.T) {
	_, api, _ := newSandbox(t, Options{Seed: 1})
	p := &stripe.CustomerParams{Email: stripe.String("a@example.com")}
	p.SetIdempotencyKey("key-1")
	a, err := api.Customers.New(p)
	if err != nil {
		t.Fatal(err)
	}
	p2 := &stripe.CustomerParams{Email: stripe.String("a@example.com")}
	p2.SetIdempotencyKey("key-1")
	b, err := api.Customers.New(p2)
	if err != nil || a.ID != b.ID || b.LastResponse.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %v %s %s", err, a.ID, b.ID)
	}
	p3 := &stripe.CustomerParams{Email: stripe.String("b@example.com")}
	p3.SetIdempotencyKey("key-1")
	_, err = api.Customers.New(p3)
	if se := stripeErr(t, err); se.Type != stripe.ErrorTypeIdempotency || se.HTTPStatusCode != 400 {
		t.Fatalf("mismatch: %+v", se)
	}
}

// fixture: a fresh customer with a subscription paid by visa.
func paidSub(t *testing.T, api *client.API, pm string) (*stripe.Customer, *stripe.Subscription, error) {
	t.Helper()
	prices := api.Prices.List(&stripe.PriceListParams{Currency: stripe.String("usd")})
	var price *stripe.Price
	for prices.Next() {
		if p := prices.Price(); p.Recurring.Interval == "month" {
			price = p
		}
	}
	cp := &stripe.CustomerParams{Email: stripe.String("sub@example.com")}
	cp.InvoiceSettings = &stripe.CustomerInvoiceSettingsParams{DefaultPaymentMethod: stripe.String(pm)}
	c, err := api.Customers.New(cp)
	if err != nil {
		t.Fatal(err)
	}
	s, err := api.Subscriptions.New(&stripe.SubscriptionParams{Customer: stripe.String(c.ID),
		Items: []*stripe.SubscriptionItemsParams{{Price: stripe.String(price.ID)}}})
	return c, s, err
}

func TestRefunds(t *testing.T) {
	_, api, _ := newSandbox(t, Options{Seed: 2})
	_, sub, err := paidSub(t, api, "pm_card_visa")
	if err != nil || sub.Status != stripe.SubscriptionStatusActive {
		t.Fatalf("sub: %v %+v", err, sub)
	}
	inv, err := api.Invoices.Get(sub.LatestInvoice.ID, nil)
	if err != nil || !inv.Paid || inv.Charge == nil {
		t.Fatalf("invoice: %v %+v", err, inv)
	}
	ch, _ := api.Charges.Get(inv.Charge.ID, nil)
	r1, err := api.Refunds.New(&stripe.RefundParams{Charge: stripe.String(ch.ID), Amount: stripe.Int64(100)})
	if err != nil || r1.Amount != 100 || r1.Charge.ID != ch.ID {
		t.Fatalf("partial: %v %+v", err, r1)
	}
	_, err = api.Refunds.New(&stripe.RefundParams{Charge: stripe.String(ch.ID), Amount: stripe.Int64(ch.Amount)})
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 400 || se.Param != "amount" || !strings.Contains(se.Msg, "is greater than unrefunded amount on charge") {
		t.Fatalf("over-refund: %+v", se)
	}
	r2, err := api.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(inv.PaymentIntent.ID)})
	if err != nil || r2.Amount != ch.Amount-100 {
		t.Fatalf("full rest: %v %+v", err, r2)
	}
	ch, _ = api.Charges.Get(ch.ID, nil)
	if !ch.Refunded || ch.AmountRefunded != ch.Amount {
		t.Fatalf("charge not refunded: %+v", ch)
	}
	_, err = api.Refunds.New(&stripe.RefundParams{Charge: stripe.String(ch.ID)})
	if se := stripeErr(t, err); se.Code != stripe.ErrorCodeChargeAlreadyRefunded {
		t.Fatalf("already refunded: %+v", se)
	}
}

func TestDeclinesAndEvents(t *testing.T) {
	cases := []struct {
		pm, code, decline string
	}{
		{"pm_card_chargeDeclined", "card_declined", "generic_decline"},
		{"pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"},
	}
	for _, tc := range cases {
		sb, api, _ := newSandbox(t, Options{Seed: 3})
		_, sub, err := paidSub(t, api, tc.pm)
		if err != nil || sub.Status != stripe.SubscriptionStatusIncomplete {
			t.Fatalf("%s: %v %+v", tc.pm, err, sub)
		}
		_, err = api.Invoices.Pay(sub.LatestInvoice.ID, nil)
		se := stripeErr(t, err)
		if se.HTTPStatusCode != 402 || se.Type != stripe.ErrorTypeCard || string(se.Code) != tc.code || string(se.DeclineCode) != tc.decline {
			t.Fatalf("%s: %+v", tc.pm, se)
		}
		inv, _ := api.Invoices.Get(sub.LatestInvoice.ID, nil)
		if inv.Status != stripe.InvoiceStatusOpen || inv.AttemptCount != 2 {
			t.Fatalf("invoice after decline: %s %d", inv.Status, inv.AttemptCount)
		}
		evs := api.Events.List(&stripe.EventListParams{Type: stripe.String("invoice.payment_failed")})
		n := 0
		for evs.Next() {
			n++
		}
		if n != 2 {
			t.Fatalf("payment_failed events: %d", n)
		}
		_ = sb
	}
	// Action required.
	_, api, _ := newSandbox(t, Options{Seed: 3})
	_, sub, _ := paidSub(t, api, "pm_card_authenticationRequired")
	inv, err := api.Invoices.Get(sub.LatestInvoice.ID, nil)
	if err != nil || inv.PaymentIntent == nil {
		t.Fatalf("no payment intent: %v", err)
	}
	pi, err := api.PaymentIntents.Get(inv.PaymentIntent.ID, nil)
	if err != nil || pi.Status != stripe.PaymentIntentStatusRequiresAction {
		t.Fatalf("pi: %v %+v", err, pi)
	}
	evs := api.Events.List(&stripe.EventListParams{Type: stripe.String("invoice.payment_action_required")})
	if !evs.Next() {
		t.Fatal("no invoice.payment_action_required")
	}
}

func TestDisputeEvidenceFlow(t *testing.T) {
	_, api, _ := newSandbox(t, Options{Seed: 4, Customers: 300})
	it := api.Disputes.List(&stripe.DisputeListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(100)}})
	var open *stripe.Dispute
	statuses := map[stripe.DisputeStatus]bool{}
	for it.Next() {
		d := it.Dispute()
		statuses[d.Status] = true
		if d.Status == stripe.DisputeStatusNeedsResponse && open == nil {
			open = d
		}
	}
	if open == nil {
		t.Fatalf("no needs_response dispute among %v", statuses)
	}
	p := &stripe.DisputeParams{Evidence: &stripe.DisputeEvidenceParams{CustomerName: stripe.String("Jane"), UncategorizedText: stripe.String("draft")}, Submit: stripe.Bool(false)}
	d, err := api.Disputes.Update(open.ID, p)
	if err != nil || d.Status != stripe.DisputeStatusNeedsResponse || !d.EvidenceDetails.HasEvidence || d.Evidence.CustomerName != "Jane" || d.EvidenceDetails.SubmissionCount != 0 {
		t.Fatalf("draft: %v %+v", err, d)
	}
	d, err = api.Disputes.Update(open.ID, &stripe.DisputeParams{Submit: stripe.Bool(true)})
	if err != nil || d.Status != stripe.DisputeStatusUnderReview || d.EvidenceDetails.SubmissionCount != 1 {
		t.Fatalf("submit: %v %+v", err, d)
	}
	_, err = api.Disputes.Update(open.ID, &stripe.DisputeParams{Evidence: &stripe.DisputeEvidenceParams{CustomerName: stripe.String("X")}})
	if se := stripeErr(t, err); se.HTTPStatusCode != 400 || !strings.Contains(se.Msg, "already been submitted") {
		t.Fatalf("after submit: %+v", se)
	}
}

func TestWebhookDeliverySignedWithRetry(t *testing.T) {
	var mu sync.Mutex
	var got []stripe.Event
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			w.WriteHeader(500)
			return
		}
		body, _ := io.ReadAll(r.Body)
		ev, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), "whsec_test")
		if err != nil {
			t.Errorf("verify: %v", err)
			w.WriteHeader(400)
			return
		}
		got = append(got, ev)
	}))
	defer srv.Close()
	sb, api, _ := newSandbox(t, Options{Seed: 5, WebhookBackoff: 10 * time.Millisecond})
	sb.AddEndpoint(srv.URL, "whsec_test")
	c, err := api.Customers.New(&stripe.CustomerParams{Email: stripe.String("hook@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].Type != "customer.created" || got[0].Data.Object["id"] != c.ID || calls != 2 {
		t.Fatalf("deliveries: %d calls=%d", len(got), calls)
	}
	var cu stripe.Customer
	if err := json.Unmarshal(got[0].Data.Raw, &cu); err != nil || cu.Email != "hook@example.com" {
		t.Fatalf("event object: %v %+v", err, cu)
	}
}

func TestSeedDeterminismAndStatuses(t *testing.T) {
	a, err := New(Options{Seed: 42, Customers: 200, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(Options{Seed: 42, Customers: 200, Now: func() time.Time { return t0 }})
	c, _ := New(Options{Seed: 43, Customers: 200, Now: func() time.Time { return t0 }})
	if len(a.invoices) != len(b.invoices) || a.renderInvoice(5)["id"] != b.renderInvoice(5)["id"] || a.renderInvoice(5)["total"] != b.renderInvoice(5)["total"] {
		t.Fatal("same seed differs")
	}
	if a.renderCustomer(0)["id"] == c.renderCustomer(0)["id"] {
		t.Fatal("different seeds share ids")
	}
	seen := map[uint8]int{}
	for _, s := range a.subs {
		seen[s.status]++
	}
	for st := uint8(0); st < numStatuses; st++ {
		if seen[st] == 0 {
			t.Errorf("no %s subscription", subStatusNames[st])
		}
	}
	ds := map[uint8]bool{}
	for _, d := range a.disputes {
		ds[d.status] = true
	}
	if len(ds) < int(numDisputeStatuses) {
		t.Errorf("dispute statuses: %v", ds)
	}
}

func TestAdvanceRenewalsFailuresRecoveries(t *testing.T) {
	sb, api, _ := newSandbox(t, Options{Seed: 9, Customers: 200})
	counts := map[string]int{}
	for w := 0; w < 6; w++ {
		for _, id := range sb.Advance(7 * 24 * time.Hour) {
			ev, err := api.Events.Get(id, nil)
			if err != nil {
				continue // dropped from the bounded log
			}
			counts[string(ev.Type)]++
		}
	}
	for _, typ := range []string{"invoice.created", "invoice.paid", "invoice.payment_failed", "charge.failed", "customer.subscription.updated"} {
		if counts[typ] == 0 {
			t.Errorf("no %s over six weeks: %v", typ, counts)
		}
	}
	if sb.Now().Sub(t0) != 42*24*time.Hour {
		t.Fatalf("clock %v", sb.Now())
	}
}

// TestRenewalsKeepTheAnchorDay: a subscription anchored on the 31st bills on
// the last day of shorter months and returns to the 31st after them, as
// Stripe does; a yearly one anchored on Feb 29 bills on Feb 28 of common
// years. Checked through the API the clients see (current_period_* and the
// renewal invoices' period_end).
func TestRenewalsKeepTheAnchorDay(t *testing.T) {
	cases := []struct {
		name   string
		anchor time.Time
		want   []string // successive current_period_end dates
	}{
		{"monthly on the 31st", time.Date(2027, 1, 31, 9, 30, 0, 0, time.UTC),
			[]string{"2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"}},
		{"monthly on the 30th", time.Date(2028, 1, 30, 9, 30, 0, 0, time.UTC),
			[]string{"2028-02-29", "2028-03-30", "2028-04-30"}},
		{"monthly on the 29th in a common year", time.Date(2027, 1, 29, 0, 0, 0, 0, time.UTC),
			[]string{"2027-02-28", "2027-03-29"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at := c.anchor
			sb, api, _ := newSandbox(t, Options{Seed: 1, Now: func() time.Time { return at }})
			_, sub, err := paidSub(t, api, "pm_card_visa")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			end := sub.CurrentPeriodEnd
			for range c.want {
				got = append(got, time.Unix(end, 0).UTC().Format("2006-01-02"))
				if hm := time.Unix(end, 0).UTC().Format("15:04"); hm != at.Format("15:04") {
					t.Fatalf("period ends at %s, want the anchor's time of day %s", hm, at.Format("15:04"))
				}
				sb.Advance(time.Unix(end, 0).Sub(sb.Now()) + time.Minute)
				s, err := api.Subscriptions.Get(sub.ID, nil)
				if err != nil {
					t.Fatal(err)
				}
				if s.CurrentPeriodStart != end {
					t.Fatalf("renewed period starts %d, want the previous end %d", s.CurrentPeriodStart, end)
				}
				end = s.CurrentPeriodEnd
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("period ends %v, want %v", got, c.want)
			}
		})
	}
}

func TestPeriodEndClampsToMonthEnd(t *testing.T) {
	d := func(s string) int64 { x, _ := time.Parse(time.RFC3339, s); return x.Unix() }
	cases := []struct {
		anchor, start string
		yearly        bool
		want          string
	}{
		{"2027-01-31T00:00:00Z", "2027-01-31T00:00:00Z", false, "2027-02-28T00:00:00Z"},
		{"2027-01-31T00:00:00Z", "2027-02-28T00:00:00Z", false, "2027-03-31T00:00:00Z"},
		{"2028-01-31T00:00:00Z", "2028-01-31T00:00:00Z", false, "2028-02-29T00:00:00Z"},
		{"2027-08-31T12:00:00Z", "2027-10-31T12:00:00Z", false, "2027-11-30T12:00:00Z"},
		{"2028-02-29T12:00:00Z", "2028-02-29T12:00:00Z", true, "2029-02-28T12:00:00Z"},
		{"2028-02-29T12:00:00Z", "2031-02-28T12:00:00Z", true, "2032-02-29T12:00:00Z"},
		{"2026-12-31T23:59:00Z", "2026-12-31T23:59:00Z", false, "2027-01-31T23:59:00Z"},
		{"2026-11-30T12:00:00Z", "2027-01-30T12:00:00Z", false, "2027-02-28T12:00:00Z"},
	}
	for _, c := range cases {
		if got := periodEnd(d(c.anchor), d(c.start), c.yearly); got != d(c.want) {
			t.Errorf("periodEnd(%s, %s, yearly=%v) = %s, want %s", c.anchor, c.start, c.yearly,
				time.Unix(got, 0).UTC().Format(time.RFC3339), c.want)
		}
	}
}
