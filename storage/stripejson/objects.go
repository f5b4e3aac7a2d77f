package stripejson

import (
	"encoding/json"
	"strings"
)

// The types below are the one typed reading of the Stripe objects paydesk
// shows and computes with (API version 2023-10-16,
// https://docs.stripe.com/api): the console's pages and lists and the
// dunning figures decode the cache's raw JSON into them. Each holds the
// union of the fields its readers need; amounts are minor units of
// Currency, times are unix seconds (UTC). Unknown fields are ignored and
// missing ones stay zero; a pointer marks a field whose null differs from
// zero.

// Card is a card payment method's card (or a charge's
// payment_method_details.card).
type Card struct {
	ID       string `json:"id"`
	Brand    string `json:"brand"`
	Last4    string `json:"last4"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
}

// Coupon is a coupon's terms: PercentOff or AmountOff (in Currency);
// Duration once, repeating (DurationInMonths) or forever.
type Coupon struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	PercentOff       *float64 `json:"percent_off"`
	AmountOff        *int64   `json:"amount_off"`
	Currency         string   `json:"currency"`
	Duration         string   `json:"duration"`
	DurationInMonths *int64   `json:"duration_in_months"`
	TimesRedeemed    int64    `json:"times_redeemed"`
	MaxRedemptions   *int64   `json:"max_redemptions"`
	RedeemBy         *int64   `json:"redeem_by"`
	Valid            bool     `json:"valid"`
}

// Discount is a discount with its coupon expanded, as customers,
// subscriptions and invoices carry it.
type Discount struct {
	ID     string  `json:"id"`
	End    int64   `json:"end"`
	Coupon *Coupon `json:"coupon"`
}

// Customer is a customer (GET /v1/customers/{id}). Balance is the
// customer balance: negative is credit the customer holds.
type Customer struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Email           string `json:"email"`
	Description     string `json:"description"`
	Phone           string `json:"phone"`
	Currency        string `json:"currency"`
	Balance         int64  `json:"balance"`
	Delinquent      bool   `json:"delinquent"`
	InvoicePrefix   string `json:"invoice_prefix"`
	InvoiceSettings struct {
		// DefaultPaymentMethod is an id or an expanded payment method.
		DefaultPaymentMethod json.RawMessage `json:"default_payment_method"`
	} `json:"invoice_settings"`
	Metadata      map[string]string `json:"metadata"`
	DefaultSource json.RawMessage   `json:"default_source"`
	Discount      *Discount         `json:"discount"`
	TestClock     Ref               `json:"test_clock"`
	Address       *Address          `json:"address"`
}

// Address is a customer's postal address (api/customers/object#address).
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// OneLine is the address on one line, its empty parts left out
// ("1 Rue de Rivoli, 75001 Paris, FR"); "" when it has none.
func (a *Address) OneLine() string {
	if a == nil {
		return ""
	}
	var parts []string
	for _, p := range []string{a.Line1, a.Line2, strings.TrimSpace(a.PostalCode + " " + a.City), a.State, a.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// SubscriptionItem is one item of a subscription; Quantity is null for
// metered prices.
type SubscriptionItem struct {
	ID       string `json:"id"`
	Quantity *int64 `json:"quantity"`
	Price    Price  `json:"price"`
}

// Subscription is a subscription (GET /v1/subscriptions/{id}).
type Subscription struct {
	ID                 string `json:"id"`
	Status             string `json:"status"`
	Customer           Ref    `json:"customer"`
	Currency           string `json:"currency"`
	CurrentPeriodStart int64  `json:"current_period_start"`
	CurrentPeriodEnd   int64  `json:"current_period_end"`
	CancelAtPeriodEnd  bool   `json:"cancel_at_period_end"`
	CancelAt           int64  `json:"cancel_at"`
	CanceledAt         int64  `json:"canceled_at"`
	EndedAt            int64  `json:"ended_at"`
	TrialStart         int64  `json:"trial_start"`
	TrialEnd           int64  `json:"trial_end"`
	StartDate          int64  `json:"start_date"`
	LatestInvoice      Ref    `json:"latest_invoice"`
	CollectionMethod   string `json:"collection_method"`
	PauseCollection    *struct {
		Behavior  string `json:"behavior"`
		ResumesAt int64  `json:"resumes_at"`
	} `json:"pause_collection"`
	CancellationDetails *struct {
		Reason string `json:"reason"`
	} `json:"cancellation_details"`
	Discount *Discount `json:"discount"`
	Items    struct {
		Data []SubscriptionItem `json:"data"`
	} `json:"items"`
}

// InvoiceLine is one line of an invoice.
type InvoiceLine struct {
	Description string `json:"description"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	Quantity    int64  `json:"quantity"`
	Proration   bool   `json:"proration"`
	Period      struct {
		Start int64 `json:"start"`
		End   int64 `json:"end"`
	} `json:"period"`
	Price *Price `json:"price"`
}

// Invoice is an invoice (GET /v1/invoices/{id}), with Stripe's own
// arithmetic (https://docs.stripe.com/api/invoices/object): subtotal (the
// lines) minus total_discount_amounts plus the exclusive total_tax_amounts
// is total; the customer balance applied (starting_balance -
// ending_balance) and pre-payment credit notes turn it into amount_due;
// amount_paid leaves amount_remaining.
type Invoice struct {
	ID                 string `json:"id"`
	Number             string `json:"number"`
	Status             string `json:"status"`
	Created            int64  `json:"created"`
	Customer           Ref    `json:"customer"`
	CustomerEmail      string `json:"customer_email"`
	CustomerName       string `json:"customer_name"`
	Subscription       Ref    `json:"subscription"`
	BillingReason      string `json:"billing_reason"`
	Currency           string `json:"currency"`
	AmountDue          int64  `json:"amount_due"`
	AmountPaid         int64  `json:"amount_paid"`
	AmountRemaining    *int64 `json:"amount_remaining"`
	Total              int64  `json:"total"`
	AttemptCount       int64  `json:"attempt_count"`
	Attempted          bool   `json:"attempted"`
	NextPaymentAttempt int64  `json:"next_payment_attempt"`
	DueDate            int64  `json:"due_date"`
	PeriodStart        int64  `json:"period_start"`
	PeriodEnd          int64  `json:"period_end"`
	Charge             Ref    `json:"charge"`
	PaymentIntent      Ref    `json:"payment_intent"`
	CollectionMethod   string `json:"collection_method"`
	HostedInvoiceURL   string `json:"hosted_invoice_url"`
	InvoicePDF         string `json:"invoice_pdf"`

	Subtotal             int64             `json:"subtotal"`
	SubtotalExcludingTax *int64            `json:"subtotal_excluding_tax"`
	TotalExcludingTax    *int64            `json:"total_excluding_tax"`
	Tax                  *int64            `json:"tax"`
	StartingBalance      int64             `json:"starting_balance"`
	EndingBalance        *int64            `json:"ending_balance"`
	PaidOutOfBand        bool              `json:"paid_out_of_band"`
	PrePaymentCredit     int64             `json:"pre_payment_credit_notes_amount"`
	PostPaymentCredit    int64             `json:"post_payment_credit_notes_amount"`
	Discount             *Discount         `json:"discount"`
	Discounts            []json.RawMessage `json:"discounts"`
	TotalDiscountAmounts []struct {
		Amount   int64 `json:"amount"`
		Discount Ref   `json:"discount"`
	} `json:"total_discount_amounts"`
	TotalTaxAmounts []struct {
		Amount        int64  `json:"amount"`
		Inclusive     bool   `json:"inclusive"`
		TaxRate       Ref    `json:"tax_rate"`
		TaxableAmount *int64 `json:"taxable_amount"`
	} `json:"total_tax_amounts"`

	Lines struct {
		Data    []InvoiceLine `json:"data"`
		HasMore bool          `json:"has_more"`
	} `json:"lines"`
	StatusTransitions struct {
		FinalizedAt           int64 `json:"finalized_at"`
		PaidAt                int64 `json:"paid_at"`
		VoidedAt              int64 `json:"voided_at"`
		MarkedUncollectibleAt int64 `json:"marked_uncollectible_at"`
	} `json:"status_transitions"`
}

// Remaining is what the customer still owes on the invoice:
// amount_remaining, or amount_due - amount_paid (never below zero) when
// Stripe sent none.
func (in *Invoice) Remaining() int64 {
	if in.AmountRemaining != nil {
		return *in.AmountRemaining
	}
	return max(in.AmountDue-in.AmountPaid, 0)
}

// PaymentError is a payment intent's last_payment_error.
type PaymentError struct {
	Code        string `json:"code"`
	DeclineCode string `json:"decline_code"`
	Message     string `json:"message"`
	Type        string `json:"type"`
}

// PaymentIntent is a payment intent (GET /v1/payment_intents/{id}).
type PaymentIntent struct {
	ID               string        `json:"id"`
	Status           string        `json:"status"`
	LastPaymentError *PaymentError `json:"last_payment_error"`
	PaymentMethod    Ref           `json:"payment_method"`
}

// Charge is a charge (GET /v1/charges/{id}).
type Charge struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	Created        int64  `json:"created"`
	Amount         int64  `json:"amount"`
	AmountRefunded int64  `json:"amount_refunded"`
	Currency       string `json:"currency"`
	Paid           bool   `json:"paid"`
	Refunded       bool   `json:"refunded"`
	Disputed       bool   `json:"disputed"`
	Invoice        Ref    `json:"invoice"`
	FailureCode    string `json:"failure_code"`
	FailureMessage string `json:"failure_message"`
	ReceiptEmail   string `json:"receipt_email"`
	BillingDetails struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"billing_details"`
	Outcome *struct {
		// Reason is the issuer's decline code on a declined charge.
		Reason        string `json:"reason"`
		SellerMessage string `json:"seller_message"`
		Type          string `json:"type"`
	} `json:"outcome"`
	PaymentMethodDetails *struct {
		Card *Card `json:"card"`
	} `json:"payment_method_details"`
}

// DeclineCode is why the charge failed: the issuer's decline code
// (outcome.reason), else Stripe's failure_code, else "".
func (c *Charge) DeclineCode() string {
	if c.Outcome != nil && c.Outcome.Reason != "" {
		return c.Outcome.Reason
	}
	return c.FailureCode
}

// Refund is a refund (GET /v1/refunds/{id}).
type Refund struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Charge Ref    `json:"charge"`
}

// Dispute is a dispute (GET /v1/disputes/{id}); Evidence is kept raw
// (its fields are listed by name, see billing.EvidenceTextFields).
type Dispute struct {
	ID              string          `json:"id"`
	Amount          int64           `json:"amount"`
	Currency        string          `json:"currency"`
	Reason          string          `json:"reason"`
	Status          string          `json:"status"`
	Charge          Ref             `json:"charge"`
	PaymentIntent   Ref             `json:"payment_intent"`
	Evidence        json.RawMessage `json:"evidence"`
	EvidenceDetails struct {
		DueBy           int64 `json:"due_by"`
		HasEvidence     bool  `json:"has_evidence"`
		PastDue         bool  `json:"past_due"`
		SubmissionCount int64 `json:"submission_count"`
	} `json:"evidence_details"`
	IsChargeRefundable bool   `json:"is_charge_refundable"`
	NetworkReasonCode  string `json:"network_reason_code"`
}

// BalanceTransaction is a customer balance transaction
// (GET /v1/customers/{id}/balance_transactions): Amount negative is credit
// given to the customer.
type BalanceTransaction struct {
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Description   string `json:"description"`
	EndingBalance int64  `json:"ending_balance"`
	Type          string `json:"type"`
	Invoice       Ref    `json:"invoice"`
}

// CreditNote is a credit note (GET /v1/credit_notes/{id}): Type is
// pre_payment (it lowered an open invoice's amount_due) or post_payment
// (settled by Refund, a customer balance transaction and OutOfBandAmount).
type CreditNote struct {
	ID              string `json:"id"`
	Number          string `json:"number"`
	Amount          int64  `json:"amount"`
	Currency        string `json:"currency"`
	Type            string `json:"type"`
	Reason          string `json:"reason"`
	Memo            string `json:"memo"`
	Invoice         Ref    `json:"invoice"`
	Refund          Ref    `json:"refund"`
	BalanceTxn      Ref    `json:"customer_balance_transaction"`
	OutOfBandAmount int64  `json:"out_of_band_amount"`
	VoidedAt        int64  `json:"voided_at"`
}
