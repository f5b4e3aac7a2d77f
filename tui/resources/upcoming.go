package resources

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/table"
)

// UpcomingTimeout bounds one read of Stripe's upcoming invoice.
const UpcomingTimeout = 20 * time.Second

// upcomingState is where the page's preview of the next invoice stands.
type upcomingState int

const (
	// upcomingEstimate: nothing asked (offline, or nothing to ask about).
	upcomingEstimate upcomingState = iota
	upcomingLoading
	upcomingLoaded
	upcomingFailed
)

// upcomingPreview is the subscription page's copy of Stripe's upcoming
// invoice, kept per page and asked again on r and on live notices about
// the subscription or its customer.
type upcomingPreview struct {
	state upcomingState
	inv   stripejson.Invoice
	// none: Stripe says there is no upcoming invoice (customer page).
	none bool
	// reason says why the cache's estimate is shown (offline, error).
	reason string
	// gen numbers the requests; only the answer to the latest is kept.
	gen int
}

// upcomingMsg is the answer to one request of a page. It goes to every
// page on the stack (another page may be on top when it lands).
type upcomingMsg struct {
	d   *Detail
	gen int
	raw json.RawMessage
	err error
	// none: Stripe answered invoice_upcoming_none.
	none bool
}

// StackWide marks upcomingMsg as a common.StackMsg.
func (upcomingMsg) StackWide() {}

// fetchUpcoming asks Stripe for the subscription's upcoming invoice in a
// command, or records why the estimate from the cache stays.
func fetchUpcoming(d *Detail) tea.Cmd {
	u := &d.upcoming
	u.gen++
	if d.err != nil {
		u.state, u.reason = upcomingEstimate, ""
		return nil
	}
	if why := d.c.OfflineReason(); why != "" {
		// "no Stripe key configured: browsing the cache" → the cause only.
		for _, sep := range []string{": browsing the cache", ", browsing the cache"} {
			why = strings.TrimSuffix(why, sep)
		}
		u.state, u.reason = upcomingEstimate, why
		return nil
	}
	s := decode[subscriptionJSON](d.env.Raw)
	if _, none := upcomingNone(d, s, d.env); none {
		u.state, u.reason = upcomingEstimate, ""
		return nil
	}
	u.state, u.reason = upcomingLoading, ""
	bc, gen, customer, sub := d.c.Billing, u.gen, d.env.Customer, d.id
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), UpcomingTimeout)
		defer cancel()
		raw, err := bc.UpcomingInvoice(ctx, customer, sub)
		return upcomingMsg{d: d, gen: gen, raw: raw, err: err}
	}
}

// apply keeps the answer to the latest request.
func (u *upcomingPreview) apply(msg upcomingMsg) bool {
	if msg.gen != u.gen {
		return false
	}
	u.none = msg.none
	if msg.none {
		u.state, u.inv, u.reason = upcomingLoaded, stripejson.Invoice{}, ""
		return true
	}
	if msg.err != nil {
		u.state, u.reason = upcomingFailed, billing.Explain(msg.err)
		return true
	}
	var inv stripejson.Invoice
	if err := json.Unmarshal(msg.raw, &inv); err != nil {
		u.state, u.reason = upcomingFailed, "Stripe's answer could not be read: "+err.Error()
		return true
	}
	u.state, u.inv, u.reason = upcomingLoaded, inv, ""
	return true
}

// upcomingTouched reports whether a live notice may change the upcoming
// invoice: the subscription itself, or its customer (balance, credit).
func upcomingTouched(d *Detail, n storage.ApplyResult, reload bool) bool {
	if reload {
		return true
	}
	if !n.Changed() {
		return false
	}
	return (n.Kind == storage.KindSubscription && n.ObjectID == d.id) ||
		(n.Kind == storage.KindCustomer && d.env.Customer != "" && n.ObjectID == d.env.Customer) ||
		// A customer's page: its next bill follows its subscriptions and
		// invoices (a subscription canceled now has none).
		(d.kind == storage.KindCustomer && n.Customer == d.id &&
			(n.Kind == storage.KindSubscription || n.Kind == storage.KindInvoice))
}

// upcomingSection writes the "Upcoming invoice" section: Stripe's preview
// when it has answered, else the estimate from the cache and why.
func (b *sections) upcomingSection(s subscriptionJSON, e storage.Envelope) {
	d := b.d
	b.heading("Upcoming invoice")
	if line, none := upcomingNone(d, s, e); none {
		b.line("  " + line)
		return
	}
	if u := d.upcoming; u.state == upcomingLoaded {
		b.upcomingLines(u.inv)
		at := u.inv.NextPaymentAttempt
		if at == 0 {
			at = u.inv.PeriodEnd
		}
		if why := pauseAt(s, at); why != "" {
			b.line("  " + d.c.Styles.Warn.Render(why))
		}
	} else {
		b.line("  " + upcomingEstimateLine(d, s, e))
		note := "(estimate from the cache, asking Stripe…)"
		if u.state != upcomingLoading {
			why := u.reason
			if why == "" {
				why = "Stripe not asked"
			}
			note = "(estimate from the cache: " + why + ")"
		}
		b.line("  " + d.c.Styles.Muted.Render(note))
	}
	if (e.Status == "past_due" || e.Status == "unpaid") && s.LatestInvoice != "" {
		b.line("  " + d.c.Styles.Warn.Render("the latest invoice is unpaid: "+string(s.LatestInvoice)))
	}
}

// upcomingLines draws Stripe's upcoming invoice: its lines, total, amount
// due after the customer's balance, and when Stripe bills it.
func (b *sections) upcomingLines(inv stripejson.Invoice) {
	rows := make([][]string, 0, len(inv.Lines.Data))
	for _, l := range inv.Lines.Data {
		cur := l.Currency
		if cur == "" {
			cur = inv.Currency
		}
		pr := ""
		if l.Proration {
			pr = "proration"
		}
		rows = append(rows, []string{orDash(l.Description), b.money(l.Amount, cur), pr})
	}
	b.list(upcomingCols, rows, false, "no lines")
	if inv.Lines.HasMore {
		b.line("  " + b.d.c.Styles.Muted.Render("… more lines on Stripe"))
	}
	balance := ""
	if inv.StartingBalance != 0 {
		balance = money.Balance(inv.StartingBalance, inv.Currency)
	}
	at := inv.NextPaymentAttempt
	if at == 0 {
		at = inv.PeriodEnd
	}
	var pairs []string
	if len(inv.TotalDiscountAmounts) > 0 {
		// The lines are before discounts: subtotal and each discount lead
		// to the total.
		pairs = append(pairs, "Subtotal", b.money(inv.Subtotal, inv.Currency))
		for _, da := range inv.TotalDiscountAmounts {
			pairs = append(pairs, "Discount", "-"+b.money(da.Amount, inv.Currency)+"  "+
				b.d.c.Styles.Muted.Render(invoiceJSON{inv}.discountLabel(b, string(da.Discount))))
		}
	}
	b.fields(append(pairs,
		"Total", b.money(inv.Total, inv.Currency),
		"Balance applied", balance,
		"Amount due", b.money(inv.AmountDue, inv.Currency),
		"Billed on", b.when(at),
		"Source", b.d.c.Styles.Muted.Render("Stripe's upcoming invoice (r asks again)"),
	)...)
}

// upcomingNone says why a subscription has no upcoming invoice at all.
func upcomingNone(d *Detail, s subscriptionJSON, e storage.Envelope) (string, bool) {
	switch e.Status {
	case "canceled", "incomplete_expired":
		return d.c.Styles.Muted.Render("none: the subscription has ended"), true
	}
	if s.CancelAtPeriodEnd {
		return d.c.Styles.Muted.Render("none: cancels at period end"), true
	}
	return "", false
}

// upcomingEstimateLine estimates the next invoice from the cached items
// (Stripe's upcoming invoice adds prorations and the customer's balance).
func upcomingEstimateLine(d *Detail, s subscriptionJSON, e storage.Envelope) string {
	if s.PauseCollection != nil {
		return d.c.Styles.Muted.Render("collection paused (" + s.PauseCollection.Behavior + ")")
	}
	at := s.CurrentPeriodEnd
	if e.Status == "trialing" && s.TrialEnd != 0 {
		at = s.TrialEnd
	}
	if m := stripejson.SubscriptionPricing(e.Raw); m != stripejson.PricingFixed {
		return subscriptionAmount(s, e) + " on " + format.Stamp(at, d.c.Loc) + " " +
			d.c.Styles.Muted.Render("("+relUnix(d.c, at)+"; "+string(m)+" items are priced by Stripe from usage and tiers: only its upcoming invoice knows the amount)")
	}
	return "about " + money.Format(e.Amount, e.Currency) + " on " + format.Stamp(at, d.c.Loc) +
		" " + d.c.Styles.Muted.Render("("+relUnix(d.c, at)+", from the items; prorations and balance not included)")
}

var upcomingCols = []table.Column{
	{Title: "Description", Width: 24, Flex: true},
	{Title: "Amount", Width: 11, Right: true},
	{Title: "Proration", Width: 9, Priority: 1},
}
