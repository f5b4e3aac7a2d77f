package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/storage"
)

// ListPaymentMethods reads a customer's payment methods
// (GET /v1/customers/{customer}/payment_methods, first 100) as the raw
// payment_method objects Stripe sent.
func (c *Client) ListPaymentMethods(ctx context.Context, customer string) ([]json.RawMessage, error) {
	if customer == "" {
		return nil, fmt.Errorf("payment methods: no customer")
	}
	p := &stripe.CustomerListPaymentMethodsParams{ListParams: stripe.ListParams{Context: ctx, Limit: stripe.Int64(PageSize)}}
	var page rawList
	if err := c.call(http.MethodGet, stripe.FormatURLPath("/v1/customers/%s/payment_methods", customer), p, &page); err != nil {
		return nil, fmt.Errorf("payment methods of %s: %w", customer, err)
	}
	return page.Data, nil
}

// RefreshPaymentMethods reads a customer's payment methods from Stripe and
// caches them (storage.PutPaymentMethods), for the customer page.
func (c *Client) RefreshPaymentMethods(ctx context.Context, store *storage.Store, customer string) error {
	at := c.now().Unix()
	data, err := c.ListPaymentMethods(ctx, customer)
	if err != nil {
		return err
	}
	if err := store.PutPaymentMethods(customer, data, at); err != nil {
		return fmt.Errorf("cache payment methods: %w", err)
	}
	return nil
}
