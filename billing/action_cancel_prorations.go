package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/stripe/stripe-go/v76"
)

// pendingProrations sums the proration lines of a subscription's upcoming
// invoice (minor units of its currency; negative is a credit to the
// customer): the prorations earlier changes left pending, which the next
// invoice would bill. more is true when Stripe's answer held only the first
// page of lines, so the sum may be short. A subscription Stripe has no
// upcoming invoice for (invoice_upcoming_none) has none pending.
//
// Source: GET /v1/invoices/upcoming?subscription=; the rule for what a
// cancellation does to them is Stripe's "Cancel a subscription" (DELETE
// /v1/subscriptions/{id}): canceled now they are removed, set to cancel at
// period end they are collected on the final invoice at that end.
func (a *Actions) pendingProrations(ctx context.Context, sub string) (sum int64, more bool, err error) {
	params := &stripe.InvoiceUpcomingParams{Subscription: stripe.String(sub)}
	raw, err := a.get(ctx, "/v1/invoices/upcoming", formOf(params))
	if err != nil {
		var se *stripe.Error
		if errors.As(err, &se) && se.Code == "invoice_upcoming_none" {
			return 0, false, nil
		}
		return 0, false, fmt.Errorf("pending prorations of %s: %w", sub, err)
	}
	var inv stripejson.Invoice
	if err := json.Unmarshal(raw, &inv); err != nil {
		return 0, false, fmt.Errorf("pending prorations of %s: decode: %w", sub, err)
	}
	for _, l := range inv.Lines.Data {
		if l.Proration {
			sum += l.Amount
		}
	}
	return sum, inv.Lines.HasMore, nil
}

// prorationsFate words what a cancellation in mode does to the pending
// prorations sum (minor units of cur): the confirmation line, and a warning
// when canceling now drops a credit the customer was owed.
func prorationsFate(mode string, sum int64, more bool, cur string, periodEnd time.Time) (line, warning string) {
	if sum == 0 && !more {
		return "", ""
	}
	amount := money.Format(sum, cur) + " charge to the customer"
	if sum < 0 {
		amount = money.Format(-sum, cur) + " credit to the customer"
	}
	if more {
		amount = "at least " + amount
	}
	switch mode {
	case CancelNow:
		line = amount + ", removed: Stripe drops pending prorations when a subscription ends now"
		if sum < 0 {
			warning = fmt.Sprintf("the customer's pending proration credit of %s is dropped by canceling now; "+
				"canceling at period end bills it on the final invoice", money.Format(-sum, cur))
		}
	case CancelAtPeriodEnd:
		line = amount + ", collected on the final invoice on " + periodEnd.Format(time.DateOnly)
	}
	return line, warning
}
