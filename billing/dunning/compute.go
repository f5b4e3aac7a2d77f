package dunning

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// Compute builds the report of window w as of now from the cache.
func Compute(store *storage.Store, w Window, now time.Time) (Report, error) {
	if err := w.Validate(); err != nil {
		return Report{}, err
	}
	from, to := w.Bounds(now)
	r := Report{
		Window: w, From: from, To: to,
		Failed: newTally(), Recovered: newTally(), AtRisk: newTally(), Churned: newTally(),
		Cohort:         Cohort{Invoices: newTally(), Recovered: newTally(), Unpaid: newTally(), Closed: map[string]int{}},
		WithoutInvoice: newTally(),
		RateByAmount:   map[string]float64{},
	}
	for i := range w.Days {
		y, m, d := from.Date()
		r.Days = append(r.Days, Day{Start: time.Date(y, m, d+i, 0, 0, 0, 0, from.Location())})
	}
	c := computer{store: store, r: &r, from: from.Unix(), to: to.Unix() + 1}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"failed attempts", c.failed},
		{"recoveries", c.recovered},
		{"open invoices with failed attempts", c.openDebts},
		{"subscriptions in dunning", c.atRisk},
		{"churn", c.churn},
		{"open invoices", c.openInvoices},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return Report{}, fmt.Errorf("dunning %s: %s: %w", w, s.name, err)
		}
	}
	SortWork(r.Work, SortAmount, true)
	return r, nil
}

type computer struct {
	store    *storage.Store
	r        *Report
	from, to int64 // [from, to) unix seconds
	// inWork marks invoices already on the worklist (through their subscription).
	inWork map[string]bool
	// debts are the open invoices with at least one failed attempt, in
	// walk order; debtsOf indexes them by subscription.
	debts   []invoice
	debtsOf map[string][]int
}

// day returns the index of the series day holding t, -1 outside the window.
func (c *computer) day(t int64) int {
	if t < c.from || t >= c.to {
		return -1
	}
	at := time.Unix(t, 0).In(c.r.From.Location())
	for i := len(c.r.Days) - 1; i >= 0; i-- {
		if !at.Before(c.r.Days[i].Start) {
			return i
		}
	}
	return -1
}

// failed tallies the window's failed charges and the cohort of invoices
// they belong to; each cohort invoice's latest failed attempt in the window
// names its decline code.
func (c *computer) failed() error {
	type last struct {
		created int64
		code    string
	}
	latest := map[string]last{}
	var invoiceIDs []string
	err := c.store.Walk(storage.Range{Kind: storage.KindCharge, By: storage.ByStatus, Group: "failed", From: c.from, To: c.to},
		func(e storage.Envelope) error {
			ch, err := decode[charge](e.Raw, "charge", e.ID)
			if err != nil {
				return err
			}
			c.r.Failed.add(ch.Currency, ch.Amount)
			if i := c.day(ch.Created); i >= 0 {
				c.r.Days[i].Failed++
			}
			id := string(ch.Invoice)
			if id == "" {
				c.r.WithoutInvoice.add(ch.Currency, ch.Amount)
				return nil
			}
			l, seen := latest[id]
			if !seen {
				invoiceIDs = append(invoiceIDs, id)
			}
			if !seen || ch.Created >= l.created {
				latest[id] = last{ch.Created, declineCode(&ch)}
			}
			return nil
		})
	if err != nil {
		return err
	}
	declines := map[string]*Decline{}
	paidByCur, dueByCur := Amounts{}, Amounts{}
	for _, id := range invoiceIDs {
		e, err := c.store.Get(storage.KindInvoice, id)
		if err != nil {
			continue // the charge's invoice is not cached (yet)
		}
		in, err := decode[invoice](e.Raw, "invoice", id)
		if err != nil {
			return err
		}
		c.r.Cohort.Invoices.add(in.Currency, in.AmountDue)
		dueByCur.Add(in.Currency, in.AmountDue)
		code := latest[id].code
		d := declines[code]
		if d == nil {
			d = &Decline{Code: code, Amount: Amounts{}}
			declines[code] = d
		}
		d.Count++
		d.Amount.Add(in.Currency, in.AmountDue)
		switch in.Status {
		case "paid":
		case "open", "uncollectible":
			c.r.Cohort.Unpaid.add(in.Currency, in.Remaining())
		default:
			c.r.Cohort.Closed[in.Status]++
		}
		if in.Status == "paid" {
			c.r.Cohort.Recovered.add(in.Currency, in.AmountPaid)
			paidByCur.Add(in.Currency, in.AmountPaid)
			if i := c.day(in.StatusTransitions.PaidAt); i >= 0 {
				c.r.Days[i].Recovered++
			}
		}
	}
	for _, d := range declines {
		c.r.Declines = append(c.r.Declines, *d)
	}
	slices.SortFunc(c.r.Declines, func(a, b Decline) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Code, b.Code))
	})
	c.r.RateByCount = ratio(int64(c.r.Cohort.Recovered.Count), int64(c.r.Cohort.Invoices.Count))
	for cur, due := range dueByCur {
		c.r.RateByAmount[cur] = ratio(paidByCur[cur], due)
	}
	return nil
}

// recovered tallies invoices paid in the window after a failed attempt and
// how long each took.
func (c *computer) recovered() error {
	paid, err := decodeRange(c.store, storage.Range{Kind: storage.KindInvoice, By: storage.ByStatusAt, Group: "paid", From: c.from, To: c.to},
		"invoice", func(in *invoice) bool { return in.AttemptCount >= 2 })
	if err != nil {
		return err
	}
	var totalDays float64
	for _, in := range paid {
		paidAt := in.StatusTransitions.PaidAt
		c.r.Recovered.add(in.Currency, in.AmountPaid)
		first, err := c.firstFailure(&in)
		if err != nil {
			return err
		}
		totalDays += float64(paidAt-first) / 86400
	}
	if len(paid) > 0 {
		c.r.AvgDaysToRecover = totalDays / float64(len(paid))
	}
	return nil
}

// firstFailure is the time of the invoice's first failed charge, found among
// its customer's charges between its creation and its payment; without one
// (an attempt that needed authentication leaves no charge) it is the
// invoice's finalization.
func (c *computer) firstFailure(in *invoice) (int64, error) {
	first := cmp.Or(in.StatusTransitions.FinalizedAt, in.Created)
	if in.Customer == "" {
		return first, nil
	}
	err := c.store.Walk(storage.Range{Kind: storage.KindCharge, By: storage.ByCustomer, Group: string(in.Customer),
		From: in.Created, To: in.StatusTransitions.PaidAt + 1},
		func(e storage.Envelope) error {
			if e.Status != "failed" {
				return nil
			}
			ch, err := decode[charge](e.Raw, "charge", e.ID)
			if err != nil {
				return err
			}
			if string(ch.Invoice) == in.ID {
				first = ch.Created
				return storage.ErrStopWalk // oldest first: this is the first
			}
			return nil
		})
	return first, err
}

// atRisk sums the MRR of past_due and unpaid subscriptions and puts them on
// the worklist.
func (c *computer) atRisk() error {
	c.inWork = map[string]bool{}
	for _, status := range []string{"past_due", "unpaid"} {
		subs, err := decodeRange[subscription](c.store, storage.Range{Kind: storage.KindSubscription, By: storage.ByStatus, Group: status},
			"subscription", nil)
		if err != nil {
			return err
		}
		for i := range subs {
			s := &subs[i]
			c.r.AtRisk.Count++
			if subscriptionMRR(s, c.r.AtRisk.Amount) {
				c.r.AtRisk.Unpriced++
			}
			item, err := c.subscriptionItem(s)
			if err != nil {
				return err
			}
			c.r.Work = append(c.r.Work, item)
		}
	}
	return nil
}

// churn counts subscriptions canceled in the window after failed payments.
func (c *computer) churn() error {
	subs, err := decodeRange[subscription](c.store, storage.Range{Kind: storage.KindSubscription, By: storage.ByStatusAt, Group: "canceled", From: c.from, To: c.to},
		"subscription", nil)
	if err != nil {
		return err
	}
	for i := range subs {
		s := &subs[i]
		involuntary, err := c.involuntary(s)
		if err != nil {
			return err
		}
		if !involuntary {
			continue
		}
		c.r.Churned.Count++
		if subscriptionMRR(s, c.r.Churned.Amount) {
			c.r.Churned.Unpriced++
		}
	}
	return nil
}

// involuntary reports whether a canceled subscription ended for failed
// payments: its cancellation reason says so or, when it gives no reason, its
// latest invoice is left unpaid after a failed attempt.
func (c *computer) involuntary(s *subscription) (bool, error) {
	if s.CancellationDetails != nil && s.CancellationDetails.Reason != "" {
		return s.CancellationDetails.Reason == "payment_failed", nil
	}
	if s.LatestInvoice == "" {
		return false, nil
	}
	e, err := c.store.Get(storage.KindInvoice, string(s.LatestInvoice))
	if err != nil {
		return false, nil
	}
	in, err := decode[invoice](e.Raw, "invoice", e.ID)
	if err != nil {
		return false, err
	}
	return (in.Status == "open" || in.Status == "uncollectible") && in.AttemptCount >= 1, nil
}

// openDebts reads the open invoices with at least one attempt: each is a
// debt, listed once, on its subscription's row or on its own.
func (c *computer) openDebts() error {
	c.debtsOf = map[string][]int{}
	return c.store.Walk(storage.Range{Kind: storage.KindInvoice, By: storage.ByStatus, Group: "open"},
		func(e storage.Envelope) error {
			in, err := decode[invoice](e.Raw, "invoice", e.ID)
			if err != nil {
				return err
			}
			if in.AttemptCount >= 1 {
				if sub := string(in.Subscription); sub != "" {
					c.debtsOf[sub] = append(c.debtsOf[sub], len(c.debts))
				}
				c.debts = append(c.debts, in)
			}
			return nil
		})
}

// openInvoices puts the debts no subscription row already shows on the
// worklist, one row each.
func (c *computer) openInvoices() error {
	for i := range c.debts {
		if c.inWork[c.debts[i].ID] {
			continue
		}
		item, err := c.invoiceItem(&c.debts[i])
		if err != nil {
			return err
		}
		c.r.Work = append(c.r.Work, item)
	}
	return nil
}

// decodeRange decodes the cached objects of r in walk order and returns
// those keep accepts (nil keeps all); what names the kind in errors. Walk
// callbacks must not call the Store, so callers that read more per object
// collect first.
func decodeRange[T any](store *storage.Store, r storage.Range, what string, keep func(*T) bool) ([]T, error) {
	var out []T
	err := store.Walk(r, func(e storage.Envelope) error {
		v, err := decode[T](e.Raw, what, e.ID)
		if err != nil {
			return err
		}
		if keep == nil || keep(&v) {
			out = append(out, v)
		}
		return nil
	})
	return out, err
}
