package find

import (
	"fmt"
	"strings"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

// Order is the order kinds are shown in: who, what they pay for, what they
// paid, what came back.
var Order = []storage.Kind{
	storage.KindCustomer, storage.KindSubscription, storage.KindInvoice,
	storage.KindCharge, storage.KindPaymentIntent, storage.KindRefund,
	storage.KindDispute, storage.KindBalanceTransaction,
	storage.KindProduct, storage.KindPrice,
}

// Group is the hits of one kind.
type Group struct {
	Kind  storage.Kind
	Items []storage.Envelope
}

// Result is the answer to one search line.
type Result struct {
	Query Query
	// Groups are non-empty, in Order.
	Groups []Group
	// Source is "cache" or "stripe" (Stripe's Search API answered).
	Source string
}

// Count is the number of hits over every group.
func (r Result) Count() int {
	n := 0
	for _, g := range r.Groups {
		n += len(g.Items)
	}
	return n
}

// Cache answers q from the cache's indexes: the term prefix over every
// kind's search terms and the amount over the amount index of every
// currency it can be read in. perKind caps each group.
func Cache(store *storage.Store, q Query, perKind int) (Result, error) {
	res := Result{Query: q, Source: "cache"}
	var hits []storage.Envelope
	if q.Term != "" {
		got, err := store.SearchTerms(Order, q.Term, perKind)
		if err != nil {
			return res, fmt.Errorf("find %q: %w", q.Text, err)
		}
		hits = append(hits, got...)
	}
	if q.Amount != nil {
		matches, err := amountMatches(store, q.Amount)
		if err != nil {
			return res, fmt.Errorf("find %q: %w", q.Text, err)
		}
		got, err := store.FindAmounts(Order, matches, q.Amount.From, q.Amount.To, perKind)
		if err != nil {
			return res, fmt.Errorf("find %q: %w", q.Text, err)
		}
		hits = append(hits, got...)
	}
	res.Groups = group(hits, perKind)
	return res, nil
}

// amountMatches reads a typed amount in every currency it can mean: the one
// named by its code, or those whose symbol it carries ("$" is usd), or,
// when bare, every currency the cache holds ("500" is ¥500 and $500.00),
// with either sign (a customer balance credit is negative on Stripe).
// A currency whose exponent the number does not fit (12.50 in jpy) is
// skipped.
func amountMatches(store *storage.Store, a *Amount) ([]storage.AmountMatch, error) {
	var cands []string
	switch {
	case a.Currency != "":
		cands = []string{a.Currency}
	default:
		all, err := store.Currencies()
		if err != nil {
			return nil, err
		}
		for _, c := range all {
			if a.Symbol == "" || money.Symbol(c) == a.Symbol {
				cands = append(cands, c)
			}
		}
		if a.Symbol == "$" && len(cands) == 0 {
			cands = []string{"usd"}
		}
	}
	var out []storage.AmountMatch
	for _, c := range cands {
		v, err := money.Parse(a.Number, c)
		if err != nil {
			continue
		}
		out = append(out, storage.AmountMatch{Currency: strings.ToLower(c), Amount: v})
		if v > 0 {
			// A balance credit is negative on Stripe (-2000 for "$20.00
			// credit"); people type its size.
			out = append(out, storage.AmountMatch{Currency: strings.ToLower(c), Amount: -v})
		}
	}
	return out, nil
}

// group sorts hits into Order, each object once, at most perKind a kind.
func group(hits []storage.Envelope, perKind int) []Group {
	by := map[storage.Kind][]storage.Envelope{}
	seen := map[string]struct{}{}
	for _, e := range hits {
		if _, dup := seen[e.ID]; dup || len(by[e.Kind]) >= perKind {
			continue
		}
		seen[e.ID] = struct{}{}
		by[e.Kind] = append(by[e.Kind], e)
	}
	var out []Group
	for _, k := range Order {
		if len(by[k]) > 0 {
			out = append(out, Group{Kind: k, Items: by[k]})
		}
	}
	return out
}
