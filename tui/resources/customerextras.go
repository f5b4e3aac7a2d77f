package resources

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/format"
)

// PaymentMethodsTimeout bounds one read of a customer's payment methods.
const PaymentMethodsTimeout = 20 * time.Second

// expiresSoonWithin is how close to its expiry a card is marked.
const expiresSoonWithin = 60 * 24 * time.Hour

// paymentMethodsState is where the customer page's read of the payment
// methods from Stripe stands (the list itself is read from the cache).
type paymentMethodsState struct {
	loading bool
	// reason says why the cached copy is shown (offline, error).
	reason string
	gen    int
}

// paymentMethodsMsg is the end of one read; it goes to every page on the
// stack.
type paymentMethodsMsg struct {
	d   *Detail
	gen int
	err error
}

// StackWide marks paymentMethodsMsg as a common.StackMsg.
func (paymentMethodsMsg) StackWide() {}

// fetchCustomerExtras reads, when online, the customer's payment methods
// (into the cache) and Stripe's upcoming invoice (the next bill).
func fetchCustomerExtras(d *Detail) tea.Cmd {
	pm, u := &d.pms, &d.upcoming
	pm.gen++
	u.gen++
	if d.err != nil {
		pm.loading, pm.reason = false, ""
		u.state, u.reason = upcomingEstimate, ""
		return nil
	}
	if why := d.c.OfflineReason(); why != "" {
		why = strings.TrimSuffix(why, ": browsing the cache")
		pm.loading, pm.reason = false, why
		u.state, u.reason = upcomingEstimate, why
		return nil
	}
	pm.loading, pm.reason = true, ""
	u.state, u.reason = upcomingLoading, ""
	bc, store, id, pmGen, uGen := d.c.Billing, d.c.Store, d.id, pm.gen, u.gen
	return tea.Batch(
		func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), PaymentMethodsTimeout)
			defer cancel()
			return paymentMethodsMsg{d: d, gen: pmGen, err: bc.RefreshPaymentMethods(ctx, store, id)}
		},
		func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), UpcomingTimeout)
			defer cancel()
			raw, err := bc.UpcomingInvoice(ctx, id, "")
			var se *stripe.Error
			if errors.As(err, &se) && se.Code == "invoice_upcoming_none" {
				return upcomingMsg{d: d, gen: uGen, none: true}
			}
			return upcomingMsg{d: d, gen: uGen, raw: raw, err: err}
		},
	)
}

// apply keeps the answer to the latest read.
func (p *paymentMethodsState) apply(msg paymentMethodsMsg) bool {
	if msg.gen != p.gen {
		return false
	}
	p.loading = false
	p.reason = ""
	if msg.err != nil {
		p.reason = billing.Explain(msg.err)
	}
	return true
}

type paymentMethodJSON struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Card *card  `json:"card"`
}

// paymentMethodFields are the customer's payment methods as field lines
// ("Payment methods", then one unlabelled line per further method): brand,
// last4, expiry, "expires soon", which is the default, and how fresh the
// cached list is. Before the first read (offline) it is the default
// payment method and the card last charged, from the cache.
func (b *sections) paymentMethodFields(cu customerJSON) []string {
	d := b.d
	s := d.c.Styles
	defaultID, _ := paymentMethod(cu.InvoiceSettings.DefaultPaymentMethod)
	pms, err := d.c.Store.PaymentMethods(d.id)
	var note string
	switch {
	case d.pms.loading:
		note = "reading from Stripe…"
	case errors.Is(err, storage.ErrNotFound) && d.pms.reason != "":
		// Never read and Stripe not asked (the next bill says why): the
		// default payment method and the card last charged, as cached.
		return []string{"Payment", paymentLine(d, cu)}
	case err != nil && !errors.Is(err, storage.ErrNotFound):
		note = "cannot read the cache: " + err.Error()
	case err == nil && d.pms.reason != "":
		note = "cached " + relUnix(d.c, pms.FetchedAt) + ": " + d.pms.reason
	case err == nil:
		note = "read from Stripe " + relUnix(d.c, pms.FetchedAt)
	}
	note = s.Muted.Render("(" + note + ")")
	if err != nil {
		return []string{"Payment", paymentLine(d, cu) + "  " + note}
	}
	if len(pms.Data) == 0 {
		return []string{"Payment methods", s.Muted.Render("none on file") + "  " + note}
	}
	out := []string{}
	for i, raw := range pms.Data {
		pj := decode[paymentMethodJSON](raw)
		line := orDash(pj.Type) + " " + s.Muted.Render("("+pj.ID+")")
		if pj.Card != nil {
			line = cardLine(pj.Card)
			switch expiry(pj.Card.ExpMonth, pj.Card.ExpYear, d.c.Now()) {
			case "expired":
				line += " " + s.Bad.Render("expired")
			case "soon":
				line += " " + s.Warn.Render("expires soon")
			}
		}
		if pj.ID == defaultID {
			line += " " + s.Good.Render("default")
		}
		label := ""
		if i == 0 {
			label = "Payment methods"
			line += "  " + note
		}
		out = append(out, label, line)
	}
	return out
}

// nextBill is the customer's next bill from Stripe's upcoming invoice, or
// why it is not shown.
// owedNow is what the customer owes on open invoices already issued (the
// cache's open invoices, amount_remaining by currency), which the next bill
// does not include: "$29.00 on 1 open invoice (in_…)". "" when none.
func (b *sections) owedNow() string {
	d := b.d
	page, err := d.c.Store.List(storage.Query{Kind: storage.KindInvoice, Customer: d.id, Status: "open", Limit: 100})
	if err != nil || len(page.Items) == 0 {
		return ""
	}
	owed := map[string]int64{}
	var curs []string
	for _, in := range page.Items {
		ij := decode[invoiceJSON](in.Raw)
		if _, ok := owed[in.Currency]; !ok {
			curs = append(curs, in.Currency)
		}
		owed[in.Currency] += ij.Remaining()
	}
	var parts []string
	for _, cur := range curs {
		parts = append(parts, money.Format(owed[cur], cur))
	}
	n := len(page.Items)
	line := strings.Join(parts, " + ") + " on " + itoa(int64(n)) + " open invoice"
	if n > 1 {
		line += "s"
	}
	if n == 1 {
		line += " (" + safetext.Line(page.Items[0].ID) + ")"
	}
	return d.c.Styles.Warn.Render(line)
}

func (b *sections) nextBill() string {
	d := b.d
	s := d.c.Styles
	u := d.upcoming
	switch {
	case u.state == upcomingLoaded && u.none:
		return s.Muted.Render("none: no upcoming invoice")
	case u.state == upcomingLoaded:
		at := u.inv.NextPaymentAttempt
		if at == 0 {
			at = u.inv.PeriodEnd
		}
		line := money.Format(u.inv.AmountDue, u.inv.Currency)
		if at != 0 {
			line += " on " + format.Stamp(at, d.c.Loc) + " " + s.Muted.Render("("+relUnix(d.c, at)+")")
		}
		if u.inv.AmountDue != u.inv.Total {
			line += "  " + s.Muted.Render("total "+money.Format(u.inv.Total, u.inv.Currency)+", balance applied")
		}
		line += "  " + s.Muted.Render("(Stripe's upcoming invoice)")
		if why := pausedCollection(d, string(u.inv.Subscription), at); why != "" {
			line += "  " + s.Warn.Render(why)
		}
		return line
	case u.state == upcomingLoading:
		return s.Muted.Render("asking Stripe…")
	}
	why := u.reason
	if why == "" {
		why = "Stripe not asked"
	}
	return s.Muted.Render("not shown: " + why)
}

// expiry says whether a card valid through month/year has expired or
// expires within expiresSoonWithin of now ("" otherwise). Cards are valid
// until the end of their expiry month.
func expiry(month, year int, now time.Time) string {
	if month < 1 || month > 12 {
		return ""
	}
	end := time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, time.UTC)
	switch {
	case !now.Before(end):
		return "expired"
	case end.Sub(now) <= expiresSoonWithin:
		return "soon"
	}
	return ""
}

// pausedCollection is billing.PauseWords for a cached subscription whose
// payment collection is paused at billedAt (unix seconds; a pause that
// resumes by then does not touch that bill), "" otherwise or when the
// subscription is not cached.
func pausedCollection(d *Detail, sub string, billedAt int64) string {
	if sub == "" {
		return ""
	}
	e, err := d.c.Store.Get(storage.KindSubscription, sub)
	if err != nil {
		return ""
	}
	return pauseAt(decode[subscriptionJSON](e.Raw), billedAt)
}

// pauseAt is billing.PauseWords when s's collection is still paused at
// billedAt (unix seconds), "" otherwise.
func pauseAt(s subscriptionJSON, billedAt int64) string {
	pc := s.PauseCollection
	if pc == nil || (pc.ResumesAt > 0 && billedAt > 0 && pc.ResumesAt <= billedAt) {
		return ""
	}
	return billing.PauseWords(pc.Behavior)
}
