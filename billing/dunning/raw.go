package dunning

import (
	"encoding/json"
	"fmt"

	"github.com/paydesk/paydesk/storage/stripejson"
)

// Dunning reads the cache through the one typed reading of Stripe's JSON
// (storage/stripejson).
type (
	invoice       = stripejson.Invoice
	charge        = stripejson.Charge
	paymentIntent = stripejson.PaymentIntent
	subscription  = stripejson.Subscription
)

// declineCode is the issuer's decline code (outcome.reason), else Stripe's
// failure code, else "unknown".
func declineCode(c *charge) string {
	if code := c.DeclineCode(); code != "" {
		return code
	}
	return "unknown"
}

func decode[T any](raw []byte, what, id string) (T, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("decode %s %s: %w", what, id, err)
	}
	return v, nil
}
