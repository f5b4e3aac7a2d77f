package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/paydesk/paydesk/storage/stripejson"
)

// Fields are the values of a Stripe object that the indexes and list screens
// need, pulled out of the raw JSON once when the object is written.
type Fields struct {
	ID       string
	Kind     Kind
	Created  int64
	Status   string
	Customer string
	// Charge and Subscription are the parents a refund, dispute or invoice
	// points at (empty for other kinds).
	Charge       string
	Subscription string
	Email        string
	Name         string
	Number       string
	Amount       int64
	Currency     string
	Deleted      bool
	// StatusAt is when the object entered its current status, where Stripe
	// says so (unix seconds, 0 when unknown): an invoice's paid_at,
	// voided_at, marked_uncollectible_at or finalized_at; a canceled or
	// expired subscription's ended_at (else canceled_at). For a dispute
	// that needs a response it is the evidence deadline
	// (evidence_details.due_by), so disputes list soonest deadline first.
	StatusAt int64
	// ShowsBalanceTxn is set on an invoice that applied a customer balance
	// when it was finalized (starting_balance != ending_balance) and on a
	// credit note that credited one (customer_balance_transaction set):
	// either means the object's customer has customer balance transactions
	// at Stripe, whatever its balance is now. Not kept in the envelope; the
	// write records the customer in bucketBalanceHints.
	ShowsBalanceTxn bool

	// src holds what the search terms read beyond these fields, when the
	// fields were just extracted from the raw JSON (nil on copies decoded
	// from the cache: objectTerms then decodes the raw JSON).
	src *termSource
}

// rawObject mirrors the handful of Stripe fields paydesk indexes; the
// different kinds spell "amount" and "email" differently.
type rawFields struct {
	ID            string         `json:"id"`
	Object        string         `json:"object"`
	Created       int64          `json:"created"`
	Status        string         `json:"status"`
	Customer      stripejson.Ref `json:"customer"`
	Charge        stripejson.Ref `json:"charge"`
	Subscription  stripejson.Ref `json:"subscription"`
	Email         string         `json:"email"`
	CustomerEmail string         `json:"customer_email"`
	ReceiptEmail  string         `json:"receipt_email"`
	Name          string         `json:"name"`
	CustomerName  string         `json:"customer_name"`
	Nickname      string         `json:"nickname"`
	Number        string         `json:"number"`
	Amount        *int64         `json:"amount"`
	AmountDue     *int64         `json:"amount_due"`
	UnitAmount    *int64         `json:"unit_amount"`
	Balance       *int64         `json:"balance"`
	Currency      string         `json:"currency"`
	Deleted       bool           `json:"deleted"`
	Valid         *bool          `json:"valid"`  // coupons
	Active        *bool          `json:"active"` // promotion codes (and prices, products)
	Code          string         `json:"code"`   // promotion codes
	AmountOff     *int64         `json:"amount_off"`
	// Invoices and credit notes: where the customer balance moved.
	StartingBalance            *int64         `json:"starting_balance"`
	EndingBalance              *int64         `json:"ending_balance"`
	CustomerBalanceTransaction stripejson.Ref `json:"customer_balance_transaction"`
	CanceledAt                 int64          `json:"canceled_at"`
	EndedAt                    int64          `json:"ended_at"`
	Transitions                *struct {
		FinalizedAt           int64 `json:"finalized_at"`
		PaidAt                int64 `json:"paid_at"`
		VoidedAt              int64 `json:"voided_at"`
		MarkedUncollectibleAt int64 `json:"marked_uncollectible_at"`
	} `json:"status_transitions"`
	Evidence *struct {
		DueBy int64 `json:"due_by"`
	} `json:"evidence_details"`
	Items *struct {
		Data []struct {
			Quantity int64 `json:"quantity"`
			Price    struct {
				UnitAmount int64  `json:"unit_amount"`
				Currency   string `json:"currency"`
			} `json:"price"`
		} `json:"data"`
	} `json:"items"`
}

// errNoID is ExtractFields' error for an object without an id
// (invoice.upcoming and the like).
var errNoID = errors.New("no id")

// FieldError is ExtractFields' error for an object that has an id but a
// field of the wrong shape (e.g. "created": "yesterday"): it names the
// object and the field, so a receipt says what is wrong and with what.
type FieldError struct {
	ID    string
	Kind  Kind
	Field string // dotted JSON path, e.g. "status_transitions.paid_at"
	Err   error
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("decode object %s: field %s undecodable: %v", e.ID, e.Field, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// rawObject is what one decode of a written object reads: the indexed
// fields and the search terms' sources.
type rawObject struct {
	rawFields
	termSource
}

// ExtractFields decodes the indexed fields of a raw Stripe object. A term
// source of an unexpected shape (metadata that is not strings) costs only
// the search terms, never the object. An object with an id whose indexed
// field has the wrong type fails with a *FieldError; one without an id with
// "no id".
func ExtractFields(raw []byte) (Fields, error) {
	var o rawObject
	hasSrc := true
	if err := json.Unmarshal(raw, &o); err != nil {
		hasSrc = false
		o = rawObject{}
		if err := json.Unmarshal(raw, &o.rawFields); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && o.ID != "" {
				// encoding/json goes on after a type error: the id is there.
				return Fields{}, &FieldError{ID: o.ID, Kind: Kind(o.Object), Field: te.Field,
					Err: fmt.Errorf("%s where Stripe sends %s", te.Value, te.Type)}
			}
			return Fields{}, fmt.Errorf("decode object: %w", err)
		}
	}
	if o.ID == "" {
		return Fields{}, fmt.Errorf("decode object: %w", errNoID)
	}
	if o.Object == "" {
		return Fields{}, fmt.Errorf("decode object %s: no object type", o.ID)
	}
	f := Fields{
		ID:           o.ID,
		Kind:         Kind(o.Object),
		Created:      o.Created,
		Status:       o.Status,
		Customer:     string(o.Customer),
		Charge:       string(o.Charge),
		Subscription: string(o.Subscription),
		Email:        firstNonEmpty(o.Email, o.CustomerEmail, o.ReceiptEmail),
		Name:         firstNonEmpty(o.Name, o.CustomerName, o.Nickname),
		Number:       o.Number,
		Currency:     o.Currency,
		Deleted:      o.Deleted,
	}
	if hasSrc {
		src := o.termSource
		f.src = &src
	}
	switch f.Kind {
	case KindCustomer:
		f.Customer = o.ID
		f.Amount = deref(o.Balance)
		if f.Deleted {
			f.Status = "deleted"
		}
	case KindInvoice:
		f.Amount = deref(o.AmountDue)
		f.StatusAt = invoiceStatusAt(&o.rawFields)
		// ending_balance is null until finalization (api/invoices/object).
		f.ShowsBalanceTxn = o.EndingBalance != nil && deref(o.StartingBalance) != *o.EndingBalance
	case KindCreditNote:
		f.Amount = deref(o.Amount)
		f.ShowsBalanceTxn = o.CustomerBalanceTransaction != ""
	case KindPrice:
		f.Amount = deref(o.UnitAmount)
	case KindDispute:
		f.Amount = deref(o.Amount)
		if (o.Status == "needs_response" || o.Status == "warning_needs_response") && o.Evidence != nil {
			f.StatusAt = o.Evidence.DueBy
		}
	case KindSubscription:
		if o.Status == "canceled" || o.Status == "incomplete_expired" {
			f.StatusAt = firstNonZero(o.EndedAt, o.CanceledAt)
		}
		if o.Items != nil {
			for _, it := range o.Items.Data {
				f.Amount += it.Price.UnitAmount * max(it.Quantity, 1)
				if f.Currency == "" {
					f.Currency = it.Price.Currency
				}
			}
		}
	case KindCoupon:
		// Coupons have no status at Stripe: valid is what staff filter on.
		f.Amount, f.Status = deref(o.AmountOff), "invalid"
		if o.Valid != nil && *o.Valid {
			f.Status = "valid"
		}
	case KindPromotionCode:
		f.Name, f.Status = o.Code, "inactive"
		if o.Active != nil && *o.Active {
			f.Status = "active"
		}
	default:
		f.Amount = deref(o.Amount)
	}
	return f, nil
}

// invoiceStatusAt is the status_transitions time matching an invoice's status.
func invoiceStatusAt(o *rawFields) int64 {
	if o.Transitions == nil {
		return 0
	}
	switch o.Status {
	case "paid":
		return o.Transitions.PaidAt
	case "void":
		return o.Transitions.VoidedAt
	case "uncollectible":
		return o.Transitions.MarkedUncollectibleAt
	case "open":
		return o.Transitions.FinalizedAt
	}
	return 0
}

func firstNonZero(vals ...int64) int64 {
	for _, v := range vals {
		if v != 0 {
			return v
		}
	}
	return 0
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// searchTerms are the lowercased strings a "/" filter matches by prefix.
func (f Fields) searchTerms() []string {
	terms := []string{strings.ToLower(f.ID)}
	for _, t := range []string{f.Email, f.Name, f.Number} {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		terms = append(terms, t)
		// Match "smith" in "Jane Smith" as well as "jane".
		if i := strings.IndexByte(t, ' '); i > 0 && t != f.Email {
			for _, w := range strings.Fields(t[i:]) {
				terms = append(terms, w)
			}
		}
	}
	return dedupeStrings(terms)
}

func dedupeStrings(in []string) []string {
	out := in[:0]
	seen := make(map[string]struct{}, len(in))
	for _, s := range in {
		if _, ok := seen[s]; ok {
			continue
		}
		seen[s] = struct{}{}
		out = append(out, s)
	}
	return out
}
