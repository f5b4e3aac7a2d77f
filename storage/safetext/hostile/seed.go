package hostile

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/paydesk/paydesk/storage"
)

// Created is the created stamp (unix seconds: 2026-11-22 12:00 UTC) of the
// first seeded object; set i is created i seconds later.
const Created int64 = 1795348800

// Set names the objects seeded for one string.
type Set struct {
	Case
	Customer, Subscription, Invoice, Charge, Refund, Dispute string
}

// Sets returns the seeded object ids per case, plus "all" (every short
// string at once) and "hostile_id" (whose customer id itself is hostile).
func Sets() []Set {
	cases := append([]Case{}, Corpus...)
	cases = append(cases, Case{"all", All()})
	out := make([]Set, 0, len(cases)+1)
	for i, c := range cases {
		n := strconv.Itoa(i)
		out = append(out, Set{Case: c, Customer: "cus_h" + n, Subscription: "sub_h" + n, Invoice: "in_h" + n,
			Charge: "ch_h" + n, Refund: "re_h" + n, Dispute: "dp_h" + n})
	}
	bad := Case{"hostile_id", All()}
	out = append(out, Set{Case: bad, Customer: "cus_\x1b]0;id\x07\u202e", Subscription: "sub_\x1b[2J", Invoice: "in_\u009b2J",
		Charge: "ch_\x1b]52;c;aWQ=\x07", Refund: "re_\b\b", Dispute: "dp_\u202e"})
	return out
}

// Seed writes every set into store as signed-off webhook deliveries would:
// one event per object (its type also hostile for customers) with a
// delivery receipt, and one rejected receipt per case carrying the string
// in its type, object id and reason.
func Seed(store *storage.Store) error {
	for i, s := range Sets() {
		created := Created + int64(i)
		for j, obj := range objects(s, created) {
			typ := obj["object"].(string) + ".updated"
			if j == 0 {
				typ = "customer.updated" + s.Text
			}
			ev := map[string]any{"id": fmt.Sprintf("evt_h%d_%d", i, j), "object": "event", "type": typ,
				"created": created, "api_version": "2023-10-16", "data": map[string]any{"object": obj}}
			raw, err := json.Marshal(ev)
			if err != nil {
				return fmt.Errorf("hostile event: %w", err)
			}
			d := &storage.Delivery{At: created * 1e9, Source: "webhook", Status: 200}
			if _, err := store.ApplyEvent(raw, d); err != nil {
				return fmt.Errorf("hostile %s: %w", s.Name, err)
			}
		}
		if _, err := store.AppendDelivery(storage.Delivery{At: created * 1e9, EventID: "evt_" + s.Text, Type: s.Text,
			ObjectID: s.Text, Verdict: storage.VerdictRejected, Reason: "bad signature: " + s.Text, Status: 400,
			Source: "webhook"}); err != nil {
			return fmt.Errorf("hostile receipt %s: %w", s.Name, err)
		}
	}
	return nil
}

// objects builds the Stripe objects of one set, the string in every text
// field a screen shows.
func objects(s Set, created int64) []map[string]any {
	t := s.Text
	meta := map[string]any{"note": t, t: "value"}
	return []map[string]any{
		{"id": s.Customer, "object": "customer", "created": created, "name": t, "email": "h" + t + "@example.test",
			"description": t, "phone": t, "currency": "usd", "balance": -500,
			"address": map[string]any{"line1": t, "city": t, "country": "US"}, "metadata": meta,
			"invoice_settings": map[string]any{"default_payment_method": nil}},
		{"id": s.Subscription, "object": "subscription", "created": created, "customer": s.Customer, "status": "past_due",
			"description": t, "metadata": meta, "current_period_start": created, "current_period_end": created + 30*86400,
			"items": map[string]any{"object": "list", "data": []any{map[string]any{"id": "si_" + t, "quantity": 1,
				"price": map[string]any{"id": "price_" + t, "nickname": t, "unit_amount": 1500, "currency": "usd",
					"product": "prod_" + t, "recurring": map[string]any{"interval": "month", "interval_count": 1}}}}}},
		{"id": s.Invoice, "object": "invoice", "created": created, "customer": s.Customer, "subscription": s.Subscription,
			"number": t, "status": "open", "customer_name": t, "customer_email": t, "description": t, "metadata": meta,
			"amount_due": 1500, "amount_remaining": 1500, "total": 1500, "currency": "usd", "attempt_count": 2,
			"attempted": true, "next_payment_attempt": created + 86400, "charge": s.Charge, "billing_reason": t,
			"collection_method": "charge_automatically",
			"lines": map[string]any{"object": "list", "data": []any{map[string]any{"id": "il_h", "description": t,
				"amount": 1500, "currency": "usd", "quantity": 1}}}},
		{"id": s.Charge, "object": "charge", "created": created, "customer": s.Customer, "invoice": s.Invoice,
			"amount": 1500, "currency": "usd", "status": "failed", "paid": false, "description": t,
			"failure_code": "card_declined", "failure_message": t, "metadata": meta,
			"outcome": map[string]any{"reason": t, "seller_message": t, "type": "issuer_declined"}},
		{"id": s.Refund, "object": "refund", "created": created, "charge": s.Charge, "amount": 500, "currency": "usd",
			"status": "succeeded", "reason": t, "description": t, "metadata": meta},
		{"id": s.Dispute, "object": "dispute", "created": created, "charge": s.Charge, "amount": 1500, "currency": "usd",
			"status": "needs_response", "reason": t, "network_reason_code": t, "metadata": meta,
			"evidence": map[string]any{"customer_name": t, "customer_email_address": t, "uncategorized_text": t,
				"product_description": t, "refund_refusal_explanation": t},
			"evidence_details": map[string]any{"due_by": created + 7*86400, "has_evidence": true}},
	}
}
