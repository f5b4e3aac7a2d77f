package resources

import (
	"strings"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/table"
)

// NewInvoice is the invoice detail page: amounts, lines, payment attempts,
// the next retry and the last payment error with its decline code.
func NewInvoice(c *common.Common, id string) *Detail {
	return newDetail(c, storage.KindInvoice, id, "Invoice", invoiceBody)
}

func invoiceBody(d *Detail, b *sections) {
	e := safeEnv(d.env)
	in := decode[invoiceJSON](e.Raw)
	if in.Number != "" {
		b.heading("Invoice " + in.Number + "  " + e.ID)
	} else { // a draft has no number yet
		b.heading("Invoice " + e.ID)
	}
	b.fieldLinks = map[string]link{"Customer": {kind: storage.KindCustomer, id: e.Customer}, "Subscription": {kind: storage.KindSubscription, id: string(in.Subscription)}}
	b.fields(
		"Status", b.status(e.Status),
		"Customer", invoiceCustomer(d, in, e.Customer),
		"Subscription", string(in.Subscription),
		"Reason", in.BillingReason,
		"Period", format.Date(in.PeriodStart, d.c.Loc)+" → "+format.Date(in.PeriodEnd, d.c.Loc),
		"Created", b.when(e.Created),
		"Finalized", b.when(in.StatusTransitions.FinalizedAt),
		"Paid at", b.when(in.StatusTransitions.PaidAt),
		"Voided at", b.when(in.StatusTransitions.VoidedAt),
		"Due date", b.when(in.DueDate),
		"Collection", in.CollectionMethod,
		"Cached", cacheLine(d),
	)

	b.invoiceAmounts(in)

	b.heading("Payment")
	next := b.when(in.NextPaymentAttempt)
	if next == "" {
		next = d.c.Styles.Muted.Render("none scheduled")
	}
	b.fields(
		"Attempts", itoa(in.AttemptCount),
		"Next retry", next,
		"Last error", lastPaymentError(d, in),
		"Payment", string(in.PaymentIntent),
	)

	if hosted, pdf := webURL(in.HostedInvoiceURL), webURL(in.InvoicePDF); hosted != "" || pdf != "" {
		b.heading("Links")
		b.hint("(tab selects, y copies)")
		b.fieldLinks = map[string]link{"Hosted invoice": {url: hosted}, "PDF": {url: pdf}}
		b.fields("Hosted invoice", hosted, "PDF", pdf)
	}

	b.heading("Lines")
	rows := make([][]string, 0, len(in.Lines.Data))
	for _, l := range in.Lines.Data {
		period := format.Date(l.Period.Start, d.c.Loc) + " → " + format.Date(l.Period.End, d.c.Loc)
		desc := l.Description
		if l.Proration {
			desc += " (proration)"
		}
		rows = append(rows, []string{orDash(desc), itoa(max(l.Quantity, 1)), b.money(l.Amount, l.Currency), period})
	}
	b.list(lineCols, rows, in.Lines.HasMore, "no lines")

	chs, more := b.related(storage.KindCharge, e.Customer, relatedRows, func(ch storage.Envelope) bool {
		return string(decode[chargeJSON](ch.Raw).Invoice) == e.ID
	})
	b.heading("Charges")
	rows = rows[:0]
	for _, ch := range chs {
		cj := decode[chargeJSON](ch.Raw)
		rows = append(rows, []string{ch.ID, ch.Status, b.money(ch.Amount, ch.Currency), failure(cj), format.Stamp(ch.Created, d.c.Loc)})
	}
	b.linkRows(storage.KindCharge, chs)
	b.list(attemptCols, rows, more, "no charges cached for this invoice")
	invoiceCreditNotes(d, b, e.ID, e.Customer, in.PrePaymentCredit != 0 || in.PostPaymentCredit != 0)
}

// lastPaymentError reads the error of the invoice's payment intent, or of
// its latest charge when the intent is not cached.
func lastPaymentError(d *Detail, in invoiceJSON) string {
	bad := d.c.Styles.Bad
	if in.PaymentIntent != "" {
		if pi, err := d.c.Store.Get(storage.KindPaymentIntent, string(in.PaymentIntent)); err == nil {
			if pe := decode[paymentIntentJSON](pi.Raw).LastPaymentError; pe != nil {
				code := pe.Code
				if pe.DeclineCode != "" {
					code += " / " + pe.DeclineCode
				}
				return bad.Render(code) + "  " + pe.Message
			}
			return ""
		}
	}
	if in.Charge != "" {
		if ch, err := d.c.Store.Get(storage.KindCharge, string(in.Charge)); err == nil {
			cj := decode[chargeJSON](ch.Raw)
			if cj.FailureCode != "" {
				return bad.Render(declined(cj)) + "  " + cj.FailureMessage
			}
		}
	}
	return ""
}

var (
	lineCols = []table.Column{
		{Title: "Description", Width: 24, Flex: true},
		{Title: "Qty", Width: 4, Right: true},
		{Title: "Amount", Width: 11, Right: true},
		{Title: "Period", Width: 23, Priority: 1},
	}
	attemptCols = []table.Column{
		{Title: "Charge", Width: 18},
		{Title: "Status", Width: 10, Status: true},
		{Title: "Amount", Width: 11, Right: true},
		{Title: "Outcome", Width: 16, Flex: true},
		{Title: "At", Width: 16, Priority: 1},
	}
)

// webURL keeps an https address Stripe gave (hosted invoice page, PDF) and
// drops anything else: it is shown and copied to the operator's clipboard,
// so it may carry no control characters or escapes.
func webURL(s string) string {
	if !strings.HasPrefix(s, "https://") {
		return ""
	}
	for _, r := range s {
		if r <= 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ""
		}
	}
	return s
}
