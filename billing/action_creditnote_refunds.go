package billing

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

// ChargeRefunds is where a paid invoice's charge stands, read fresh from
// Stripe, in minor units of Currency.
type ChargeRefunds struct {
	Charge   string
	Currency string
	// Refundable is what the charge has left to refund (amount less
	// amount_refunded): Stripe refuses a credit note's refund_amount above
	// it (amount_too_large).
	Refundable int64
	// Outside is what was refunded on the charge other than by the
	// invoice's credit notes (a refund made directly on the charge).
	// Stripe does not count it against what a credit note may credit
	// (post-payment credit notes are bounded by amount_paid less earlier
	// credit notes), so a credit note can give it back a second time.
	Outside int64
}

// OutsideWords words ChargeRefunds.Outside ("€3.50 already refunded on the
// charge outside credit notes"), "" when nothing was.
func (r ChargeRefunds) OutsideWords() string {
	if r.Outside <= 0 {
		return ""
	}
	return money.Format(r.Outside, r.Currency) + " already refunded on the charge outside credit notes"
}

// chargeRefunds reads the invoice's charge (GET /v1/charges/{id}), its
// refunds (GET /v1/refunds?charge=) and the invoice's credit notes (GET
// /v1/credit_notes?invoice=): the refunds no credit note made, and not
// failed or canceled, are Outside. An invoice without a charge gives the
// zero value. Errors: Stripe's, wrapped.
func (a *Actions) chargeRefunds(ctx context.Context, inv map[string]any) (ChargeRefunds, error) {
	ch := str(inv, "charge")
	if ch == "" {
		ch = str(inv, "charge.id")
	}
	if ch == "" {
		return ChargeRefunds{Currency: str(inv, "currency")}, nil
	}
	raw, err := a.c.Retrieve(ctx, storage.KindCharge, ch)
	if err != nil {
		return ChargeRefunds{}, fmt.Errorf("read %s from Stripe: %w", ch, err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		return ChargeRefunds{}, fmt.Errorf("decode %s: %w", ch, err)
	}
	r := ChargeRefunds{Charge: ch, Currency: str(c, "currency"), Refundable: max(num(c, "amount")-num(c, "amount_refunded"), 0)}
	if num(c, "amount_refunded") == 0 {
		return r, nil
	}
	notes, err := a.listData(ctx, "/v1/credit_notes", []Param{{"invoice", str(inv, "id")}, {"limit", "100"}})
	if err != nil {
		return ChargeRefunds{}, fmt.Errorf("credit notes of %s: %w", str(inv, "id"), err)
	}
	byNote := map[string]bool{}
	for _, n := range notes {
		if id := str(n, "refund"); id != "" {
			byNote[id] = true
		} else if id := str(n, "refund.id"); id != "" {
			byNote[id] = true
		}
	}
	refunds, err := a.listData(ctx, "/v1/refunds", []Param{{"charge", ch}, {"limit", "100"}})
	if err != nil {
		return ChargeRefunds{}, fmt.Errorf("refunds of %s: %w", ch, err)
	}
	for _, rf := range refunds {
		if st := str(rf, "status"); st == "failed" || st == "canceled" || byNote[str(rf, "id")] {
			continue
		}
		r.Outside += num(rf, "amount")
	}
	return r, nil
}

// listData is the data of one page of a Stripe list (GET path?query).
func (a *Actions) listData(ctx context.Context, path string, query []Param) ([]map[string]any, error) {
	raw, err := a.get(ctx, path, query)
	if err != nil {
		return nil, err
	}
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return page.Data, nil
}

// creditedBesideRefunds is what the credit notes of the charge's invoice
// gave back other than by refunding the charge (balance credit and out of
// band parts), in minor units of the invoice's currency: Stripe does not
// count it against what the charge has left to refund, so a refund can
// give it back a second time. It reads the invoice (GET
// /v1/invoices/{id}) and, when it has post-payment credit notes, the
// charge's refunds (chargeRefunds). 0 for a charge without an invoice.
func (a *Actions) creditedBesideRefunds(ctx context.Context, charge map[string]any) (int64, string, error) {
	id := str(charge, "invoice")
	if id == "" {
		id = str(charge, "invoice.id")
	}
	if id == "" {
		return 0, "", nil
	}
	raw, err := a.c.Retrieve(ctx, storage.KindInvoice, id)
	if err != nil {
		return 0, "", fmt.Errorf("read %s from Stripe: %w", id, err)
	}
	var inv map[string]any
	if err := json.Unmarshal(raw, &inv); err != nil {
		return 0, "", fmt.Errorf("decode %s: %w", id, err)
	}
	notes := num(inv, "post_payment_credit_notes_amount")
	if notes == 0 {
		return 0, id, nil
	}
	r, err := a.chargeRefunds(ctx, inv)
	if err != nil {
		return 0, "", err
	}
	byNotes := num(charge, "amount_refunded") - r.Outside
	return max(notes-byNotes, 0), id, nil
}
