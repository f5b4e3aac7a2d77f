package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/stripe/stripe-go/v76"
)

// UpcomingInvoice fetches Stripe's preview of the next invoice of a
// customer's subscription (GET /v1/invoices/upcoming) as raw JSON: its
// lines with prorations, total, amount due after the customer's balance
// and next_payment_attempt. Either id may be empty (Stripe then picks the
// customer's subscription, or the subscription's customer), not both.
// A subscription with nothing upcoming answers with the Stripe error code
// invoice_upcoming_none.
func (c *Client) UpcomingInvoice(ctx context.Context, customer, subscription string) (json.RawMessage, error) {
	customer, subscription = strings.TrimSpace(customer), strings.TrimSpace(subscription)
	what := strings.TrimSpace(customer + " " + subscription)
	if what == "" {
		return nil, fmt.Errorf("upcoming invoice: a customer or a subscription is required")
	}
	p := &stripe.InvoiceUpcomingParams{Params: stripe.Params{Context: ctx}}
	if customer != "" {
		p.Customer = stripe.String(customer)
	}
	if subscription != "" {
		p.Subscription = stripe.String(subscription)
	}
	var out rawResource
	if err := c.call(http.MethodGet, "/v1/invoices/upcoming", p, &out); err != nil {
		return nil, fmt.Errorf("upcoming invoice of %s: %w", what, err)
	}
	if out.LastResponse == nil || len(out.LastResponse.RawJSON) == 0 {
		return nil, fmt.Errorf("upcoming invoice of %s: empty response", what)
	}
	return json.RawMessage(out.LastResponse.RawJSON), nil
}
