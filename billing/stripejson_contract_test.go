package billing

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/stripejson"
)

// typedObjects are the one typed reading of each kind the console and
// dunning decode (storage/stripejson), by Stripe object name.
func typedObjects() map[string]func() any {
	return map[string]func() any{
		"customer":                     func() any { return new(stripejson.Customer) },
		"subscription":                 func() any { return new(stripejson.Subscription) },
		"invoice":                      func() any { return new(stripejson.Invoice) },
		"charge":                       func() any { return new(stripejson.Charge) },
		"payment_intent":               func() any { return new(stripejson.PaymentIntent) },
		"refund":                       func() any { return new(stripejson.Refund) },
		"dispute":                      func() any { return new(stripejson.Dispute) },
		"customer_balance_transaction": func() any { return new(stripejson.BalanceTransaction) },
		"price":                        func() any { return new(stripejson.Price) },
		"credit_note":                  func() any { return new(stripejson.CreditNote) },
		"coupon":                       func() any { return new(stripejson.Coupon) },
	}
}

// TestTypedReadingOfStripeShapes: every object stripe-mock serves from
// Stripe's published fixtures (API 2023-10-16 shapes, not ours) decodes
// into its typed reading without an error, and carries its id, for every
// cached kind the readers cover.
func TestTypedReadingOfStripeShapes(t *testing.T) {
	base := stripemock.Start(t)
	c := newTestClient(t, base)
	ctx := context.Background()
	seen := map[string]bool{}
	for _, k := range storage.Kinds {
		page, err := c.ListPage(ctx, ListOptions{Kind: k, Customer: "cus_fixture", Limit: 3})
		if err != nil {
			t.Fatalf("list %s: %v", k, err)
		}
		for _, raw := range page.Data {
			var head struct {
				ID     string `json:"id"`
				Object string `json:"object"`
			}
			_ = json.Unmarshal(raw, &head)
			mk, ok := typedObjects()[head.Object]
			if !ok {
				continue
			}
			v := mk()
			dec := json.NewDecoder(bytes.NewReader(raw))
			if err := dec.Decode(v); err != nil {
				t.Fatalf("%s %s: typed reading fails on Stripe's shape: %v", head.Object, head.ID, err)
			}
			seen[head.Object] = true
		}
	}
	for obj := range typedObjects() {
		if !seen[obj] {
			t.Errorf("stripe-mock served no %s: its typed reading went untested", obj)
		}
	}
}
