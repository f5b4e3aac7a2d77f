package find

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
)

// StripeQuery is one Search API request: a kind and a query in Stripe's
// search query language.
type StripeQuery struct {
	Kind  storage.Kind
	Query string
}

// StripeQueries translates q into Search API queries over the fields
// Stripe indexes (https://docs.stripe.com/search#supported-query-fields-for-resources):
// customers by email, name and phone; charges by card last4; invoices by
// number; charges, payment intents and invoices by amount (invoices:
// total) in a currency and created range. amounts are q's amount read in
// each candidate currency. Forms Stripe cannot search (descriptions,
// metadata values without their key) produce nothing.
func StripeQueries(q Query, amounts []storage.AmountMatch) []StripeQuery {
	var out []StripeQuery
	t := q.Term
	switch {
	case t == "":
	case strings.Contains(t, "@"):
		out = append(out, StripeQuery{storage.KindCustomer, `email~` + quote(t)})
	case isDigits(t) && len(t) == 4:
		out = append(out, StripeQuery{storage.KindCharge, `payment_method_details.card.last4:` + quote(t)})
	case isDigits(t) && len(t) >= 7:
		out = append(out, StripeQuery{storage.KindCustomer, `phone~` + quote(t)})
	case len([]rune(t)) >= 3:
		out = append(out, StripeQuery{storage.KindCustomer, `name~` + quote(q.Text) + ` OR email~` + quote(t)})
		if !strings.ContainsAny(t, " ") {
			out = append(out, StripeQuery{storage.KindInvoice, `number:` + quote(strings.ToUpper(t))})
		}
	}
	if q.Amount != nil {
		dates := ""
		if q.Amount.From != 0 {
			dates += " AND created>=" + strconv.FormatInt(q.Amount.From, 10)
		}
		if q.Amount.To != 0 {
			dates += " AND created<" + strconv.FormatInt(q.Amount.To, 10)
		}
		for _, a := range amounts {
			cur := ` AND currency:` + quote(a.Currency) + dates
			v := strconv.FormatInt(a.Amount, 10)
			out = append(out,
				StripeQuery{storage.KindCharge, `amount:` + v + cur},
				StripeQuery{storage.KindPaymentIntent, `amount:` + v + cur},
				StripeQuery{storage.KindInvoice, `total:` + v + cur})
		}
	}
	return out
}

// Stripe answers q from Stripe when the cache could not: a whole id is
// retrieved, every other form goes to the Search API (StripeQueries).
// What Stripe returns is written to the cache, so enter opens it like any
// cached object. bc must be non-nil (online sessions only).
func Stripe(ctx context.Context, bc *billing.Client, store *storage.Store, q Query, perKind int) (Result, error) {
	res := Result{Query: q, Source: "stripe"}
	if bc == nil {
		return res, errors.New("no Stripe key configured")
	}
	var hits []storage.Envelope
	if q.ID != "" {
		kind, _ := storage.KindOfID(q.ID)
		if err := bc.Refetch(ctx, store, kind, q.ID); err != nil {
			return res, fmt.Errorf("retrieve %s: %s", q.ID, billing.Explain(err))
		}
		env, err := store.Get(kind, q.ID)
		if err != nil {
			return res, fmt.Errorf("retrieve %s: %w", q.ID, err)
		}
		res.Groups = group([]storage.Envelope{env}, perKind)
		return res, nil
	}
	var amounts []storage.AmountMatch
	if q.Amount != nil {
		var err error
		if amounts, err = amountMatches(store, q.Amount); err != nil {
			return res, err
		}
	}
	var firstErr error
	for _, sq := range StripeQueries(q, amounts) {
		got, err := bc.SearchInto(ctx, store, sq.Kind, sq.Query, int64(perKind))
		if err != nil {
			if billing.IsOffline(err) || ctx.Err() != nil {
				return res, fmt.Errorf("Stripe search: %s", billing.Explain(err))
			}
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		hits = append(hits, got...)
	}
	res.Groups = group(hits, perKind)
	if len(res.Groups) == 0 && firstErr != nil {
		return res, fmt.Errorf("Stripe search: %s", billing.Explain(firstErr))
	}
	return res, nil
}

// quote writes a string literal of Stripe's search query language.
func quote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
