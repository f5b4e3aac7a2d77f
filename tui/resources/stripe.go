package resources

import (
	"encoding/json"
	"strings"

	"github.com/paydesk/paydesk/billing/stripejson"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
)

// The structs below decode the parts of Stripe's JSON that rows and detail
// pages show beyond storage.Fields. Unknown or missing fields stay zero.

type price struct {
	stripejson.Price
	Nickname  string         `json:"nickname"`
	LookupKey string         `json:"lookup_key"`
	Product   stripejson.Ref `json:"product"`
}

func (p price) label() string {
	switch {
	case p.Nickname != "":
		return p.Nickname
	case p.LookupKey != "":
		return p.LookupKey
	}
	return p.ID
}

func (p price) interval() string {
	if p.Recurring == nil {
		return "once"
	}
	if p.Recurring.IntervalCount > 1 {
		return "every " + itoa(p.Recurring.IntervalCount) + " " + p.Recurring.Interval + "s"
	}
	return p.Recurring.Interval
}

type customerJSON struct {
	Description     string `json:"description"`
	Phone           string `json:"phone"`
	Currency        string `json:"currency"`
	Delinquent      bool   `json:"delinquent"`
	InvoicePrefix   string `json:"invoice_prefix"`
	InvoiceSettings struct {
		DefaultPaymentMethod json.RawMessage `json:"default_payment_method"`
	} `json:"invoice_settings"`
	Metadata      map[string]string `json:"metadata"`
	DefaultSource json.RawMessage   `json:"default_source"`
	Discount      *discountJSON     `json:"discount"`
	TestClock     stripejson.Ref    `json:"test_clock"`
}

// discountJSON is a Stripe discount with its coupon expanded (as customers,
// subscriptions and invoices carry it).
type discountJSON struct {
	ID     string `json:"id"`
	End    int64  `json:"end"`
	Coupon *struct {
		ID         string   `json:"id"`
		Name       string   `json:"name"`
		PercentOff *float64 `json:"percent_off"`
		AmountOff  *int64   `json:"amount_off"`
		Currency   string   `json:"currency"`
		Duration   string   `json:"duration"`
	} `json:"coupon"`
}

type card struct {
	ID       string `json:"id"`
	Brand    string `json:"brand"`
	Last4    string `json:"last4"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
}

// paymentMethod reads an expanded payment method ({"card":{...}}) or an id.
func paymentMethod(raw json.RawMessage) (id string, c *card) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		_ = json.Unmarshal(raw, &id)
		return safetext.Line(id), nil
	}
	var pm struct {
		ID   string `json:"id"`
		Card *card  `json:"card"`
	}
	if json.Unmarshal(raw, &pm) != nil {
		return "", nil
	}
	safetext.Walk(&pm)
	return pm.ID, pm.Card
}

type subscriptionJSON struct {
	Status             string         `json:"status"`
	Customer           stripejson.Ref `json:"customer"`
	CurrentPeriodStart int64          `json:"current_period_start"`
	CurrentPeriodEnd   int64          `json:"current_period_end"`
	CancelAtPeriodEnd  bool           `json:"cancel_at_period_end"`
	CancelAt           int64          `json:"cancel_at"`
	CanceledAt         int64          `json:"canceled_at"`
	EndedAt            int64          `json:"ended_at"`
	TrialStart         int64          `json:"trial_start"`
	TrialEnd           int64          `json:"trial_end"`
	StartDate          int64          `json:"start_date"`
	LatestInvoice      stripejson.Ref `json:"latest_invoice"`
	CollectionMethod   string         `json:"collection_method"`
	PauseCollection    *struct {
		Behavior  string `json:"behavior"`
		ResumesAt int64  `json:"resumes_at"`
	} `json:"pause_collection"`
	Items struct {
		Data []struct {
			ID       string `json:"id"`
			Quantity int64  `json:"quantity"`
			Price    price  `json:"price"`
		} `json:"data"`
	} `json:"items"`
}

func (s subscriptionJSON) plan() string {
	if len(s.Items.Data) == 0 {
		return "-"
	}
	l := s.Items.Data[0].Price.label()
	if n := len(s.Items.Data); n > 1 {
		l += " +" + itoa(int64(n-1))
	}
	return l
}

type invoiceJSON struct {
	Number          string         `json:"number"`
	Status          string         `json:"status"`
	Customer        stripejson.Ref `json:"customer"`
	CustomerEmail   string         `json:"customer_email"`
	CustomerName    string         `json:"customer_name"`
	Subscription    stripejson.Ref `json:"subscription"`
	BillingReason   string         `json:"billing_reason"`
	AmountDue       int64          `json:"amount_due"`
	AmountPaid      int64          `json:"amount_paid"`
	AmountRemaining int64          `json:"amount_remaining"`
	Total           int64          `json:"total"`
	invoiceMath
	Currency           string         `json:"currency"`
	AttemptCount       int64          `json:"attempt_count"`
	Attempted          bool           `json:"attempted"`
	NextPaymentAttempt int64          `json:"next_payment_attempt"`
	DueDate            int64          `json:"due_date"`
	PeriodStart        int64          `json:"period_start"`
	PeriodEnd          int64          `json:"period_end"`
	Charge             stripejson.Ref `json:"charge"`
	PaymentIntent      stripejson.Ref `json:"payment_intent"`
	CollectionMethod   string         `json:"collection_method"`
	HostedInvoiceURL   string         `json:"hosted_invoice_url"`
	InvoicePDF         string         `json:"invoice_pdf"`
	Lines              struct {
		Data []struct {
			Description string `json:"description"`
			Amount      int64  `json:"amount"`
			Currency    string `json:"currency"`
			Quantity    int64  `json:"quantity"`
			Proration   bool   `json:"proration"`
			Period      struct {
				Start int64 `json:"start"`
				End   int64 `json:"end"`
			} `json:"period"`
			Price *price `json:"price"`
		} `json:"data"`
		HasMore bool `json:"has_more"`
	} `json:"lines"`
	StatusTransitions struct {
		FinalizedAt int64 `json:"finalized_at"`
		PaidAt      int64 `json:"paid_at"`
		VoidedAt    int64 `json:"voided_at"`
	} `json:"status_transitions"`
}

type paymentError struct {
	Code        string `json:"code"`
	DeclineCode string `json:"decline_code"`
	Message     string `json:"message"`
	Type        string `json:"type"`
}

type paymentIntentJSON struct {
	Status           string         `json:"status"`
	LastPaymentError *paymentError  `json:"last_payment_error"`
	PaymentMethod    stripejson.Ref `json:"payment_method"`
}

type chargeJSON struct {
	Amount         int64          `json:"amount"`
	AmountRefunded int64          `json:"amount_refunded"`
	Currency       string         `json:"currency"`
	Status         string         `json:"status"`
	Paid           bool           `json:"paid"`
	Refunded       bool           `json:"refunded"`
	Disputed       bool           `json:"disputed"`
	Invoice        stripejson.Ref `json:"invoice"`
	FailureCode    string         `json:"failure_code"`
	FailureMessage string         `json:"failure_message"`
	ReceiptEmail   string         `json:"receipt_email"`
	BillingDetails struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"billing_details"`
	Outcome *struct {
		Reason        string `json:"reason"`
		SellerMessage string `json:"seller_message"`
		Type          string `json:"type"`
	} `json:"outcome"`
	PaymentMethodDetails *struct {
		Card *card `json:"card"`
	} `json:"payment_method_details"`
}

type refundJSON struct {
	Reason string         `json:"reason"`
	Charge stripejson.Ref `json:"charge"`
}

type disputeJSON struct {
	Amount          int64           `json:"amount"`
	Currency        string          `json:"currency"`
	Reason          string          `json:"reason"`
	Status          string          `json:"status"`
	Charge          stripejson.Ref  `json:"charge"`
	PaymentIntent   stripejson.Ref  `json:"payment_intent"`
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

// evidenceFields lists the evidence fields that hold something, sorted.
func (d disputeJSON) evidenceFields() []string {
	var m map[string]json.RawMessage
	if json.Unmarshal(d.Evidence, &m) != nil {
		return nil
	}
	var out []string
	for k, v := range m {
		if s := strings.TrimSpace(string(v)); s != "" && s != "null" && s != `""` {
			out = append(out, safetext.Line(k))
		}
	}
	sortStrings(out)
	return out
}

type balanceTxnJSON struct {
	Amount        int64          `json:"amount"`
	Currency      string         `json:"currency"`
	Description   string         `json:"description"`
	EndingBalance int64          `json:"ending_balance"`
	Type          string         `json:"type"`
	Invoice       stripejson.Ref `json:"invoice"`
}

// decode reads raw into v, leaving v zero on malformed input (a row then
// shows dashes instead of failing the page). Every string in v has passed
// safetext.Line: decoded Stripe text is safe to draw.
func decode[T any](raw []byte) T {
	var v T
	_ = json.Unmarshal(raw, &v)
	safetext.Walk(&v)
	return v
}

// safeEnv is e with every display field (ids, name, email, number, status,
// stale reason) passed through safetext.Line; e.Raw is left as cached.
func safeEnv(e storage.Envelope) storage.Envelope {
	safetext.Walk(&e)
	return e
}
