package dunning

import (
	"encoding/json"
	"fmt"

	"github.com/paydesk/paydesk/billing/stripejson"
)

// invoice holds the invoice fields dunning reads.
type invoice struct {
	ID                 string         `json:"id"`
	Status             string         `json:"status"`
	Created            int64          `json:"created"`
	Customer           stripejson.Ref `json:"customer"`
	CustomerName       string         `json:"customer_name"`
	CustomerEmail      string         `json:"customer_email"`
	Subscription       stripejson.Ref `json:"subscription"`
	Charge             stripejson.Ref `json:"charge"`
	PaymentIntent      stripejson.Ref `json:"payment_intent"`
	AttemptCount       int            `json:"attempt_count"`
	AmountDue          int64          `json:"amount_due"`
	AmountPaid         int64          `json:"amount_paid"`
	AmountRemaining    *int64         `json:"amount_remaining"`
	Currency           string         `json:"currency"`
	NextPaymentAttempt int64          `json:"next_payment_attempt"`
	StatusTransitions  struct {
		FinalizedAt int64 `json:"finalized_at"`
		PaidAt      int64 `json:"paid_at"`
	} `json:"status_transitions"`
}

// remaining is what the customer still owes on the invoice.
func (in *invoice) remaining() int64 {
	if in.AmountRemaining != nil {
		return *in.AmountRemaining
	}
	return max(in.AmountDue-in.AmountPaid, 0)
}

// charge holds the charge fields dunning reads.
type charge struct {
	ID          string         `json:"id"`
	Status      string         `json:"status"`
	Created     int64          `json:"created"`
	Amount      int64          `json:"amount"`
	Currency    string         `json:"currency"`
	Invoice     stripejson.Ref `json:"invoice"`
	FailureCode *string        `json:"failure_code"`
	Outcome     *struct {
		Reason *string `json:"reason"`
	} `json:"outcome"`
}

// declineCode is the issuer's decline code (outcome.reason), else Stripe's
// failure code, else "unknown".
func (c *charge) declineCode() string {
	if c.Outcome != nil && c.Outcome.Reason != nil && *c.Outcome.Reason != "" {
		return *c.Outcome.Reason
	}
	if c.FailureCode != nil && *c.FailureCode != "" {
		return *c.FailureCode
	}
	return "unknown"
}

// paymentIntent holds the last payment error of an invoice's intent.
type paymentIntent struct {
	LastPaymentError *struct {
		Code        string `json:"code"`
		DeclineCode string `json:"decline_code"`
	} `json:"last_payment_error"`
}

// subscription holds the subscription fields dunning reads.
type subscription struct {
	ID                  string         `json:"id"`
	Status              string         `json:"status"`
	Customer            stripejson.Ref `json:"customer"`
	LatestInvoice       stripejson.Ref `json:"latest_invoice"`
	CancellationDetails *struct {
		Reason *string `json:"reason"`
	} `json:"cancellation_details"`
	Items struct {
		Data []item `json:"data"`
	} `json:"items"`
}

type item struct {
	Quantity *int64 `json:"quantity"`
	Price    struct {
		UnitAmount *int64 `json:"unit_amount"`
		Currency   string `json:"currency"`
		Recurring  *struct {
			Interval      string `json:"interval"`
			IntervalCount int64  `json:"interval_count"`
		} `json:"recurring"`
	} `json:"price"`
}

func decode[T any](raw []byte, what, id string) (T, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("decode %s %s: %w", what, id, err)
	}
	return v, nil
}
