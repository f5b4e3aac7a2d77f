package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

var csvNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// TestCSVEveryKind: every cached kind writes RFC 4180 CSV that reads back
// with the same number of fields per row, ids and minor units included, and
// Stripe text with commas, quotes and newlines stays one field.
func TestCSVEveryKind(t *testing.T) {
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: func() time.Time { return csvNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	objs := []map[string]any{
		{"id": "cus_1", "object": "customer", "created": 1, "name": "Suzuki, \"Chen\"\nline2", "email": "c@x.io", "balance": -500, "currency": "usd"},
		{"id": "prod_1", "object": "product", "created": 1, "name": "Seats"},
		{"id": "price_1", "object": "price", "created": 1, "unit_amount": 900, "currency": "eur"},
		{"id": "sub_1", "object": "subscription", "created": 1, "customer": "cus_1", "status": "active"},
		{"id": "in_1", "object": "invoice", "created": 1, "customer": "cus_1", "status": "open", "number": "N-1", "amount_due": 1250, "currency": "usd"},
		{"id": "pi_1", "object": "payment_intent", "created": 1, "amount": 500, "currency": "jpy", "status": "succeeded"},
		{"id": "ch_1", "object": "charge", "created": 1, "customer": "cus_1", "amount": 1250, "currency": "usd", "status": "succeeded"},
		{"id": "re_1", "object": "refund", "created": 1, "charge": "ch_1", "amount": 1250, "currency": "usd", "status": "succeeded"},
		{"id": "dp_1", "object": "dispute", "created": 1, "charge": "ch_1", "amount": 1250, "currency": "usd", "status": "needs_response"},
		{"id": "cbtxn_1", "object": "customer_balance_transaction", "created": 1, "customer": "cus_1", "amount": -500, "currency": "usd"},
		{"id": "SPRING", "object": "coupon", "created": 1, "amount_off": 1000, "currency": "usd", "duration": "once", "valid": true},
		{"id": "promo_1", "object": "promotion_code", "created": 1, "code": "SPRING", "active": true, "coupon": map[string]any{"id": "SPRING"}},
		{"id": "cn_1", "object": "credit_note", "created": 1, "customer": "cus_1", "invoice": "in_1", "number": "N-1-CN-01",
			"amount": 300, "currency": "usd", "status": "issued", "memo": "Suzuki, \"Chen\"\nline2"},
	}
	for _, o := range objs {
		raw, _ := json.Marshal(o)
		if err := s.PutObject(raw, 10); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range storage.Kinds {
		p, err := s.List(storage.Query{Kind: k})
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("%s: %v %v", k, len(p.Items), err)
		}
		var b bytes.Buffer
		if err := CSV(&b, k, p.Items, time.UTC); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b.Bytes(), []byte("\r\n")) {
			t.Fatalf("%s: no CRLF line ends", k)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("%s: %d rows, %v", k, len(rows), err)
		}
		head, row := rows[0], rows[1]
		field := func(name string) string {
			for i, h := range head {
				if h == name {
					return row[i]
				}
			}
			t.Fatalf("%s: no %s column in %v", k, name, head)
			return ""
		}
		if field("ID") != p.Items[0].ID || field("AMOUNT_MINOR") != itoa(p.Items[0].Amount) || field("CURRENCY") != p.Items[0].Currency {
			t.Fatalf("%s: %v / %v", k, head, row)
		}
		if k != storage.KindCustomer && field("CUSTOMER") != p.Items[0].Customer {
			t.Fatalf("%s: customer %q", k, field("CUSTOMER"))
		}
		if k == storage.KindCustomer && field("NAME") != `Suzuki, "Chen"\u000aline2` { // the newline escaped visibly
			t.Fatalf("name field %q", field("NAME"))
		}
	}
}

func itoa(v int64) string { b, _ := json.Marshal(v); return string(b) }
