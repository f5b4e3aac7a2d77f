package dunning

import (
	"cmp"
	"slices"
	"strings"

	"github.com/paydesk/paydesk/storage"
)

// WorkItem is one row of the worklist, one per debt: a past_due or unpaid
// subscription with the invoice it owes (see subscriptionItem), or an open
// invoice with a failed attempt that no subscription row already shows.
// Every key on a row acts on its Invoice.
type WorkItem struct {
	Kind storage.Kind // subscription or invoice
	ID   string
	// Status is the subscription's or invoice's status.
	Status       string
	Customer     string
	CustomerName string // name, else email, else ""
	Subscription string
	Invoice      string // the invoice in dunning ("" when none is cached)
	Attempts     int
	LastDecline  string
	// NextAttempt is the next automatic retry (unix seconds, 0 when none).
	NextAttempt int64
	// AmountDue is what the invoice still owes, in Currency's minor units.
	AmountDue int64
	Currency  string
}

// SortKey is a worklist column to sort by.
type SortKey int

const (
	SortAmount SortKey = iota
	SortAttempts
	SortNextAttempt
	SortCustomer
	SortStatus
)

// SortKeys lists the sort keys in the order the view cycles through them.
var SortKeys = []SortKey{SortAmount, SortAttempts, SortNextAttempt, SortCustomer, SortStatus}

func (k SortKey) String() string {
	switch k {
	case SortAttempts:
		return "attempts"
	case SortNextAttempt:
		return "next retry"
	case SortCustomer:
		return "customer"
	case SortStatus:
		return "status"
	}
	return "amount"
}

// SortWork orders items by key (desc: largest, latest or Z first), ties by
// id so the order is stable. Amounts compare within a currency; currencies
// compare by code first. Items without a next retry sort last either way.
func SortWork(items []WorkItem, key SortKey, desc bool) {
	slices.SortStableFunc(items, func(a, b WorkItem) int {
		if key == SortNextAttempt && (a.NextAttempt == 0) != (b.NextAttempt == 0) {
			if a.NextAttempt == 0 {
				return 1
			}
			return -1
		}
		var c int
		switch key {
		case SortAmount:
			if byCur := cmp.Compare(a.Currency, b.Currency); byCur != 0 {
				return byCur // currencies in code order, whatever the direction
			}
			c = cmp.Compare(a.AmountDue, b.AmountDue)
		case SortAttempts:
			c = cmp.Compare(a.Attempts, b.Attempts)
		case SortNextAttempt:
			c = cmp.Compare(a.NextAttempt, b.NextAttempt)
		case SortCustomer:
			c = cmp.Compare(strings.ToLower(cmp.Or(a.CustomerName, a.Customer)), strings.ToLower(cmp.Or(b.CustomerName, b.Customer)))
		case SortStatus:
			c = cmp.Compare(a.Status, b.Status)
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.ID, b.ID))
	})
}

// subscriptionItem builds a subscription's row from the invoice it owes:
// its open invoice with failed attempts (the most attempted, then the
// oldest), else its latest invoice when that is still owed (open or
// uncollectible). A draft or paid latest invoice is never the row's
// invoice: the keys of the row act on the invoice it names.
func (c *computer) subscriptionItem(s *subscription) (WorkItem, error) {
	item := WorkItem{Kind: storage.KindSubscription, ID: s.ID, Status: s.Status, Customer: string(s.Customer), Subscription: s.ID}
	if cu, err := c.store.Get(storage.KindCustomer, item.Customer); err == nil {
		item.CustomerName = cmp.Or(cu.Name, cu.Email)
	}
	var owed *invoice
	for _, i := range c.debtsOf[s.ID] {
		d := &c.debts[i]
		if owed == nil || d.AttemptCount > owed.AttemptCount || (d.AttemptCount == owed.AttemptCount && d.Created < owed.Created) {
			owed = d
		}
	}
	if owed == nil && s.LatestInvoice != "" {
		e, err := c.store.Get(storage.KindInvoice, string(s.LatestInvoice))
		if err != nil {
			return item, nil // not cached yet
		}
		in, err := decode[invoice](e.Raw, "invoice", e.ID)
		if err != nil {
			return item, err
		}
		if in.Status == "open" || in.Status == "uncollectible" {
			owed = &in
		}
	}
	if owed == nil {
		return item, nil
	}
	c.inWork[owed.ID] = true
	if err := c.fillFromInvoice(&item, owed); err != nil {
		return item, err
	}
	return item, nil
}

// invoiceItem builds an open invoice's row.
func (c *computer) invoiceItem(in *invoice) (WorkItem, error) {
	item := WorkItem{Kind: storage.KindInvoice, ID: in.ID, Status: in.Status, Customer: string(in.Customer),
		Subscription: string(in.Subscription), CustomerName: cmp.Or(in.CustomerName, in.CustomerEmail)}
	err := c.fillFromInvoice(&item, in)
	return item, err
}

func (c *computer) fillFromInvoice(item *WorkItem, in *invoice) error {
	item.Invoice = in.ID
	item.Attempts = int(in.AttemptCount)
	item.NextAttempt = in.NextPaymentAttempt
	item.AmountDue = in.Remaining()
	item.Currency = in.Currency
	if item.CustomerName == "" {
		item.CustomerName = cmp.Or(in.CustomerName, in.CustomerEmail)
	}
	code, err := c.lastDecline(in)
	item.LastDecline = code
	return err
}

// lastDecline is the decline code of the invoice's latest failed charge, else
// its payment intent's last error.
func (c *computer) lastDecline(in *invoice) (string, error) {
	if in.Charge != "" {
		if e, err := c.store.Get(storage.KindCharge, string(in.Charge)); err == nil && e.Status == "failed" {
			ch, err := decode[charge](e.Raw, "charge", e.ID)
			if err != nil {
				return "", err
			}
			return declineCode(&ch), nil
		}
	}
	if in.PaymentIntent != "" {
		if e, err := c.store.Get(storage.KindPaymentIntent, string(in.PaymentIntent)); err == nil {
			pi, err := decode[paymentIntent](e.Raw, "payment intent", e.ID)
			if err != nil {
				return "", err
			}
			if pi.LastPaymentError != nil {
				return cmp.Or(pi.LastPaymentError.DeclineCode, pi.LastPaymentError.Code), nil
			}
		}
	}
	return "", nil
}
