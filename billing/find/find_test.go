package find

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// testNow is the fixed instant of the seeded cache.
var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func day(d int) int64 { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC).Unix() }

// seeded is a cache holding one object for every search form.
func seeded(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	objs := []map[string]any{
		{"id": "cus_Chen", "object": "customer", "created": day(1), "email": "chen@suzuki.jp", "name": "Chen Suzuki", "phone": "+1 415-555-0134"},
		{"id": "cus_Other", "object": "customer", "created": day(1), "email": "ola@example.com", "name": "Ola Nordmann"},
		{"id": "sub_Chen", "object": "subscription", "created": day(2), "customer": "cus_Chen", "status": "active",
			"metadata": map[string]string{"workspace": "orbit-labs"},
			"items":    map[string]any{"data": []any{map[string]any{"quantity": 1, "price": map[string]any{"unit_amount": 4900, "currency": "usd"}}}}},
		{"id": "in_Chen", "object": "invoice", "created": day(3), "customer": "cus_Chen", "status": "open", "number": "7F3A2B-0007",
			"amount_due": 4900, "currency": "usd", "description": "November seats"},
		{"id": "ch_Nov10", "object": "charge", "created": day(10), "customer": "cus_Chen", "amount": 1250, "currency": "usd", "status": "succeeded",
			"payment_method_details": map[string]any{"card": map[string]any{"last4": "4242", "brand": "visa"}}},
		{"id": "ch_Nov20", "object": "charge", "created": day(20), "customer": "cus_Other", "amount": 1250, "currency": "usd", "status": "succeeded",
			"payment_method_details": map[string]any{"card": map[string]any{"last4": "0005", "brand": "amex"}}},
		{"id": "py_Guest", "object": "charge", "created": day(12), "amount": 500, "currency": "jpy", "status": "succeeded",
			"billing_details": map[string]any{"email": "walk-in@shop.jp", "name": "Walk In"}},
		{"id": "pi_Guest", "object": "payment_intent", "created": day(12), "amount": 500, "currency": "jpy", "status": "succeeded",
			"description": "Pop-up store sale"},
		{"id": "re_Chen", "object": "refund", "created": day(11), "charge": "ch_Nov10", "amount": 1250, "currency": "usd", "status": "succeeded",
			"metadata": map[string]string{"ticket": "ZD-48213"}},
		{"id": "dp_Chen", "object": "dispute", "created": day(14), "charge": "ch_Nov10", "amount": 1250, "currency": "usd", "status": "needs_response"},
		// A $20.00 credit: Stripe's sign is negative (-2000).
		{"id": "cbtxn_Chen", "object": "customer_balance_transaction", "created": day(15), "customer": "cus_Chen", "amount": -2000,
			"currency": "usd", "type": "adjustment", "ending_balance": -2000},
	}
	for _, o := range objs {
		raw, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.PutObject(raw, 10); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func hitIDs(r Result) []string {
	var out []string
	for _, g := range r.Groups {
		for _, e := range g.Items {
			out = append(out, e.ID)
		}
	}
	return out
}

// TestEveryFormFindsItsObject: each search form of the global search finds
// its object on a seeded cache, from the indexes.
func TestEveryFormFindsItsObject(t *testing.T) {
	s := seeded(t)
	cases := []struct {
		form, text string
		want       []string // exactly these, in display order
	}{
		{"email", "chen@suz", []string{"cus_Chen", "sub_Chen", "in_Chen", "ch_Nov10", "re_Chen", "dp_Chen", "cbtxn_Chen"}},
		{"name", "Suzuki", []string{"cus_Chen", "sub_Chen", "in_Chen", "ch_Nov10", "re_Chen", "dp_Chen", "cbtxn_Chen"}},
		{"phone as typed", "(415) 555-0134", []string{"cus_Chen", "sub_Chen", "in_Chen", "ch_Nov10", "re_Chen", "dp_Chen", "cbtxn_Chen"}},
		{"phone international", "+1 415 555 0134", []string{"cus_Chen", "sub_Chen", "in_Chen", "ch_Nov10", "re_Chen", "dp_Chen", "cbtxn_Chen"}},
		{"last4", "4242", []string{"ch_Nov10"}},
		{"amount bare", "12.50", []string{"ch_Nov20", "ch_Nov10", "re_Chen", "dp_Chen"}},
		{"amount with symbol", "$12.50", []string{"ch_Nov20", "ch_Nov10", "re_Chen", "dp_Chen"}},
		{"amount with code", "12.50 USD", []string{"ch_Nov20", "ch_Nov10", "re_Chen", "dp_Chen"}},
		{"zero-decimal amount", "¥500", []string{"py_Guest", "pi_Guest"}},
		{"amount on a day", "$12.50 2026-11-10", []string{"ch_Nov10"}},
		{"amount in a range", "$12.50 2026-11-15..2026-11-30", []string{"ch_Nov20"}},
		{"amount from a day on", "12.50 2026-11-11..", []string{"ch_Nov20", "re_Chen", "dp_Chen"}},
		{"credit by its size", "$20", []string{"cbtxn_Chen"}}, // typed as the credit reads, not as Stripe signs it
		{"invoice number", "7f3a2b-0007", []string{"in_Chen"}},
		{"description", "november", []string{"in_Chen"}},
		{"metadata value", "orbit-labs", []string{"sub_Chen"}},
		{"refund metadata", "zd-48213", []string{"re_Chen"}},
		{"guest payment email", "walk-in@", []string{"py_Guest"}},
		{"id prefix", "pi_gu", []string{"pi_Guest"}},
		{"whole id", "dp_Chen", []string{"dp_Chen"}},
	}
	for _, c := range cases {
		t.Run(c.form, func(t *testing.T) {
			r, err := Cache(s, Parse(c.text, time.UTC), 10)
			if err != nil {
				t.Fatal(err)
			}
			if got := hitIDs(r); !slices.Equal(got, c.want) {
				t.Fatalf("%q: got %v, want %v", c.text, got, c.want)
			}
		})
	}
}

func TestNothingMatches(t *testing.T) {
	s := seeded(t)
	for _, text := range []string{"zzz", "$99.99", "¥12.50", "4243"} {
		r, err := Cache(s, Parse(text, time.UTC), 10)
		if err != nil || r.Count() != 0 {
			t.Fatalf("%q: %v %v", text, hitIDs(r), err)
		}
	}
}

func TestParse(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	cases := []struct {
		text     string
		term     string
		amount   bool
		cur, sym string
		from, to int64
	}{
		{text: "chen@x.io", term: "chen@x.io"},
		{text: "in_1ABC", term: "in_1abc"},
		{text: "4242", term: "4242", amount: true},
		{text: "$12.50", amount: true, sym: "$"},
		{text: "12.50 eur", term: "12.50 eur", amount: true, cur: "eur"},
		{text: "+44 20 7946 0958", term: "442079460958"},
		{text: "¥500 2026-11-01", amount: true, sym: "¥",
			from: time.Date(2026, 11, 1, 0, 0, 0, 0, tokyo).Unix(), to: time.Date(2026, 11, 2, 0, 0, 0, 0, tokyo).Unix()},
		{text: "5 ..2026-11-30", amount: true, to: time.Date(2026, 12, 1, 0, 0, 0, 0, tokyo).Unix()},
	}
	for _, c := range cases {
		q := Parse(c.text, tokyo)
		if q.Term != c.term || (q.Amount != nil) != c.amount {
			t.Fatalf("%q: term %q amount %v", c.text, q.Term, q.Amount)
		}
		if q.Amount != nil && (q.Amount.Currency != c.cur || q.Amount.Symbol != c.sym || q.Amount.From != c.from || q.Amount.To != c.to) {
			t.Fatalf("%q: amount %+v", c.text, *q.Amount)
		}
	}
}

// TestLast4OfPaymentMethod: a card on file (cached from the customer page)
// finds its customer by last4.
func TestLast4OfPaymentMethod(t *testing.T) {
	s := seeded(t)
	pm := json.RawMessage(`{"id":"pm_1","object":"payment_method","type":"card","customer":"cus_Other","card":{"brand":"visa","last4":"1881","exp_month":4,"exp_year":2028}}`)
	if err := s.PutPaymentMethods("cus_Other", []json.RawMessage{pm}, day(20)); err != nil {
		t.Fatal(err)
	}
	r, err := Cache(s, Parse("1881", time.UTC), 10)
	if err != nil || !slices.Equal(hitIDs(r), []string{"cus_Other"}) {
		t.Fatalf("1881: %v %v", hitIDs(r), err)
	}
}
