package resources

import (
	"strings"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// NewCharge is the charge detail page: amount, how much is refunded, the
// outcome, the card, links to the customer and invoice, and the charge's
// cached refunds. Its Actions section carries the refund key.
func NewCharge(c *common.Common, id string) *Detail {
	return newDetail(c, storage.KindCharge, id, "Charge", chargeBody)
}

func chargeBody(d *Detail, b *sections) {
	e := safeEnv(d.env)
	cj := decode[chargeJSON](e.Raw)
	refunded := b.money(cj.AmountRefunded, cj.Currency)
	switch {
	case cj.Refunded:
		refunded += "  " + d.c.Styles.Warn.Render("fully refunded")
	case cj.AmountRefunded > 0:
		refunded += "  " + d.c.Styles.Warn.Render("partly refunded")
	}
	cardText := ""
	if cj.PaymentMethodDetails != nil && cj.PaymentMethodDetails.Card != nil {
		cardText = cardLine(cj.PaymentMethodDetails.Card)
	}
	outcome := ""
	if cj.Outcome != nil {
		outcome = cj.Outcome.SellerMessage
	}
	disputed := ""
	if cj.Disputed {
		disputed = d.c.Styles.Bad.Render("yes")
	}
	b.heading("Charge " + e.ID)
	b.fieldLinks = map[string]link{"Customer": {kind: storage.KindCustomer, id: e.Customer}, "Invoice": {kind: storage.KindInvoice, id: string(cj.Invoice)}}
	b.fields(
		"Status", b.status(e.Status),
		"Amount", b.money(cj.Amount, cj.Currency),
		"Refunded", refunded,
		"Customer", chargeCustomer(d, cj, e.Customer),
		"Invoice", string(cj.Invoice),
		"Card", cardText,
		"Outcome", outcome,
		"Failure", declined(cj), // refunds and disputes have their own lines
		"Disputed", disputed,
		"Created", b.when(e.Created),
		"Cached", cacheLine(d),
	)

	res, more := b.related(storage.KindRefund, e.Customer, relatedRows, func(r storage.Envelope) bool {
		return string(decode[refundJSON](r.Raw).Charge) == e.ID
	})
	b.heading("Refunds")
	rows := make([][]string, 0, len(res))
	for _, r := range res {
		rj := decode[refundJSON](r.Raw)
		rows = append(rows, []string{r.ID, r.Status, b.money(r.Amount, r.Currency), orDash(rj.Reason), string(rj.Charge), date(d.c, r.Created)})
	}
	b.linkRows(storage.KindRefund, res)
	b.list(refundCols, rows, more, "no refunds cached for this charge")
}

// chargeCustomer names the charge's customer, or for a guest payment (no
// customer object) says so with the name and email of its billing details.
func chargeCustomer(d *Detail, cj chargeJSON, id string) string {
	if id != "" {
		return customerLabel(d, id)
	}
	who := cj.BillingDetails.Name
	if cj.BillingDetails.Email != "" {
		who = strings.TrimSpace(who + " <" + cj.BillingDetails.Email + ">")
	}
	if cj.ReceiptEmail != "" && who == "" {
		who = "<" + cj.ReceiptEmail + ">"
	}
	note := d.c.Styles.Muted.Render("guest payment: no customer in Stripe")
	if who == "" {
		return note
	}
	return who + "  " + note
}
