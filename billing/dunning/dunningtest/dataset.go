// Package dunningtest writes a small hand-built account into a cache, for the
// tests of billing/dunning and of the Dunning and Webhooks views. Every
// figure the tests assert is computed by hand from this file (see
// billing/dunning's compute_test.go).
package dunningtest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// Now is the dataset's clock: Monday 2026-11-23 12:00 UTC.
var Now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// Week0 is the first day of the 7-day window ending at Now (2026-11-17).
var Week0 = time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)

const (
	hour = int64(3600)
	day  = 24 * hour
)

// D is unix seconds at day n of the 7-day window plus h hours (n may be negative).
func D(n int, h int) int64 { return Week0.Unix() + int64(n)*day + int64(h)*hour }

type price struct {
	amount   int64
	currency string
	interval string
	count    int64
}

var (
	monthly   = price{2000, "usd", "month", 1}
	yearly    = price{24000, "usd", "year", 1}
	weekly    = price{500, "usd", "week", 1}
	quarterly = price{9000, "usd", "month", 3}
	monthlyJP = price{3000, "jpy", "month", 1}
)

type line struct {
	p   price
	qty int64
}

func customer(id, name, email string) map[string]any {
	return map[string]any{"id": id, "object": "customer", "created": D(-200, 0), "name": name, "email": email,
		"balance": 0, "currency": "usd"}
}

func sub(id, cus, status, latest string, endedAt int64, reason any, lines ...line) map[string]any {
	var items []any
	for i, l := range lines {
		items = append(items, map[string]any{"id": fmt.Sprintf("si_%s_%d", id[4:], i), "object": "subscription_item", "quantity": l.qty,
			"price": map[string]any{"id": fmt.Sprintf("price_%s_%d", l.p.interval, l.p.amount), "object": "price",
				"unit_amount": l.p.amount, "currency": l.p.currency,
				"recurring": map[string]any{"interval": l.p.interval, "interval_count": l.p.count}}})
	}
	cur := "usd"
	if len(lines) > 0 {
		cur = lines[0].p.currency
	}
	m := map[string]any{"id": id, "object": "subscription", "created": D(-150, 0), "customer": cus, "status": status,
		"currency": cur, "latest_invoice": latest, "items": map[string]any{"object": "list", "data": items},
		"cancellation_details": map[string]any{"reason": reason}, "canceled_at": nil, "ended_at": nil}
	if endedAt != 0 {
		m["canceled_at"], m["ended_at"] = endedAt, endedAt
	}
	return m
}

type inv struct {
	id, cus, name, sub, status, currency, charge string
	created, amountDue, amountPaid               int64
	attempts                                     int
	next, paidAt                                 int64
}

func invoice(in inv) map[string]any {
	var next, paidAt, sub, ch any
	if in.next != 0 {
		next = in.next
	}
	if in.paidAt != 0 {
		paidAt = in.paidAt
	}
	if in.sub != "" {
		sub = in.sub
	}
	if in.charge != "" {
		ch = in.charge
	}
	remaining := in.amountDue - in.amountPaid
	uncoll := any(nil)
	if in.status == "uncollectible" {
		uncoll = in.created + 20*day
	}
	return map[string]any{"id": in.id, "object": "invoice", "created": in.created, "customer": in.cus,
		"customer_name": in.name, "customer_email": "", "subscription": sub, "status": in.status,
		"amount_due": in.amountDue, "amount_paid": in.amountPaid, "amount_remaining": remaining,
		"currency": in.currency, "attempt_count": in.attempts, "attempted": in.attempts > 0,
		"next_payment_attempt": next, "charge": ch, "payment_intent": nil, "number": "PD-" + in.id[3:],
		"status_transitions": map[string]any{"finalized_at": in.created, "paid_at": paidAt,
			"marked_uncollectible_at": uncoll, "voided_at": nil}}
}

// charge is failed when code is not "" (outcome.reason code, failure_code
// card_declined, or expired_card for that code).
func charge(id, cus, invoiceID, currency string, amount, created int64, code string) map[string]any {
	var inv, reason, failure any
	if invoiceID != "" {
		inv = invoiceID
	}
	status := "succeeded"
	if code != "" {
		status, failure = "failed", "card_declined"
		if code == "expired_card" {
			failure = "expired_card"
		}
		if code != "-" {
			reason = code
		}
	}
	return map[string]any{"id": id, "object": "charge", "created": created, "customer": cus, "invoice": inv,
		"amount": amount, "currency": currency, "status": status, "paid": status == "succeeded",
		"failure_code": failure, "outcome": map[string]any{"reason": reason, "type": "issuer_declined"}}
}

// Objects returns the dataset's Stripe objects, parents first.
func Objects() []map[string]any {
	return []map[string]any{
		customer("cus_A", "Ada Lovelace", "ada@example.com"),
		customer("cus_B", "Bob Stone", "bob@example.com"),
		customer("cus_C", "Chen Wu", "chen@example.com"),
		customer("cus_D", "Dora Diaz", "dora@example.com"),
		customer("cus_E", "Eve Moss", "eve@example.com"),
		customer("cus_F", "Finn Holt", "finn@example.com"),

		sub("sub_A", "cus_A", "past_due", "in_A", 0, nil, line{monthly, 2}),
		// sub_B's newest invoice is the next period's draft; what it owes is in_B.
		sub("sub_B", "cus_B", "unpaid", "in_B2", 0, nil, line{yearly, 1}, line{weekly, 1}),
		sub("sub_C", "cus_C", "active", "in_C", 0, nil, line{monthly, 1}),
		sub("sub_D", "cus_D", "canceled", "in_D", D(3, 10), "payment_failed", line{quarterly, 1}),
		sub("sub_E", "cus_E", "canceled", "", D(4, 0), "cancellation_requested", line{monthly, 1}),
		sub("sub_F", "cus_F", "past_due", "in_F", 0, nil, line{monthlyJP, 1}),
		sub("sub_G", "cus_E", "canceled", "", D(-2, 0), "payment_failed", line{monthly, 1}),
		sub("sub_K", "cus_D", "canceled", "in_K", D(5, 2), nil, line{monthly, 1}),

		invoice(inv{id: "in_A", cus: "cus_A", name: "Ada Lovelace", sub: "sub_A", status: "open", currency: "usd", charge: "ch_A2",
			created: D(1, 0), amountDue: 4000, attempts: 2, next: D(9, 1)}),
		invoice(inv{id: "in_B", cus: "cus_B", name: "Bob Stone", sub: "sub_B", status: "open", currency: "usd", charge: "ch_B4",
			created: D(-14, 0), amountDue: 26500, attempts: 4}),
		invoice(inv{id: "in_B2", cus: "cus_B", name: "Bob Stone", sub: "sub_B", status: "draft", currency: "usd",
			created: D(6, 5), amountDue: 26500}),
		invoice(inv{id: "in_C", cus: "cus_C", name: "Chen Wu", sub: "sub_C", status: "paid", currency: "usd", charge: "ch_C3",
			created: D(0, 0), amountDue: 5000, amountPaid: 5000, attempts: 3, paidAt: D(5, 1)}),
		invoice(inv{id: "in_D", cus: "cus_D", name: "Dora Diaz", sub: "sub_D", status: "uncollectible", currency: "usd", charge: "ch_D3",
			created: D(-10, 0), amountDue: 9000, attempts: 3}),
		invoice(inv{id: "in_E2", cus: "cus_E", name: "Eve Moss", status: "paid", currency: "usd", charge: "ch_E2",
			created: D(-20, 0), amountDue: 1200, amountPaid: 1200, attempts: 2, paidAt: D(2, 6)}),
		invoice(inv{id: "in_F", cus: "cus_F", name: "Finn Holt", sub: "sub_F", status: "open", currency: "jpy", charge: "ch_F1",
			created: D(6, 0), amountDue: 3000, attempts: 1, next: D(9, 1)}),
		invoice(inv{id: "in_H", cus: "cus_E", name: "Eve Moss", status: "open", currency: "usd",
			created: D(3, 0), amountDue: 700}),
		invoice(inv{id: "in_K", cus: "cus_D", name: "Dora Diaz", sub: "sub_K", status: "uncollectible", currency: "usd", charge: "ch_K1",
			created: D(-3, 0), amountDue: 2000, attempts: 1}),
		invoice(inv{id: "in_P", cus: "cus_A", name: "Ada Lovelace", status: "paid", currency: "usd", charge: "ch_P1",
			created: D(3, 0), amountDue: 4000, amountPaid: 4000, attempts: 1, paidAt: D(3, 1)}),
		invoice(inv{id: "in_Q", cus: "cus_E", name: "Eve Moss", status: "open", currency: "eur", charge: "ch_Q1",
			created: D(3, 0), amountDue: 1500, attempts: 1, next: D(6, 20)}),

		charge("ch_A1", "cus_A", "in_A", "usd", 4000, D(1, 1), "insufficient_funds"),
		charge("ch_A2", "cus_A", "in_A", "usd", 4000, D(4, 1), "insufficient_funds"),
		charge("ch_B1", "cus_B", "in_B", "usd", 26500, D(-14, 1), "generic_decline"),
		charge("ch_B2", "cus_B", "in_B", "usd", 26500, D(-11, 1), "generic_decline"),
		charge("ch_B3", "cus_B", "in_B", "usd", 26500, D(0, 3), "do_not_honor"),
		charge("ch_B4", "cus_B", "in_B", "usd", 26500, D(5, 3), "lost_card"),
		charge("ch_C1", "cus_C", "in_C", "usd", 5000, D(0, 1), "expired_card"),
		charge("ch_C2", "cus_C", "in_C", "usd", 5000, D(2, 1), "expired_card"),
		charge("ch_C3", "cus_C", "in_C", "usd", 5000, D(5, 1), ""),
		charge("ch_D1", "cus_D", "in_D", "usd", 9000, D(-10, 1), "insufficient_funds"),
		charge("ch_D2", "cus_D", "in_D", "usd", 9000, D(-5, 1), "insufficient_funds"),
		charge("ch_D3", "cus_D", "in_D", "usd", 9000, D(1, 5), "insufficient_funds"),
		charge("ch_E1", "cus_E", "in_E2", "usd", 1200, D(-20, 1), "generic_decline"),
		charge("ch_E2", "cus_E", "in_E2", "usd", 1200, D(2, 6), ""),
		charge("ch_F1", "cus_F", "in_F", "jpy", 3000, D(6, 1), "insufficient_funds"),
		charge("ch_K1", "cus_D", "in_K", "usd", 2000, D(-3, 1), "insufficient_funds"),
		charge("ch_P1", "cus_A", "in_P", "usd", 4000, D(3, 1), ""),
		charge("ch_Q1", "cus_E", "in_Q", "eur", 1500, D(3, 2), "generic_decline"),
		charge("ch_X", "cus_A", "", "usd", 700, D(2, 9), "-"),
	}
}

// Load writes the dataset into store as a backfill fetched at Now would.
func Load(store *storage.Store) error {
	for _, o := range Objects() {
		raw, err := json.Marshal(o)
		if err != nil {
			return fmt.Errorf("dataset %v: %w", o["id"], err)
		}
		if err := store.PutObject(raw, Now.Unix()); err != nil {
			return fmt.Errorf("dataset %v: %w", o["id"], err)
		}
	}
	return nil
}
