package resources

import (
	"fmt"

	"github.com/paydesk/paydesk/storage"
)

// discountLabel names the discount id of a total_discount_amounts row: the
// coupon of the matching expanded discount when the invoice carries it.
func (in invoiceJSON) discountLabel(b *sections, id string) string {
	if in.Discount != nil && in.Discount.ID == id {
		if s := discountLine(b, in.Discount); s != "" {
			return s
		}
	}
	for _, raw := range in.Discounts {
		if len(raw) > 0 && raw[0] == '{' {
			dc := decode[discountJSON](raw)
			if dc.ID == id {
				if s := discountLine(b, &dc); s != "" {
					return s
				}
			}
		}
	}
	return id
}

// invoiceAmounts writes the "Amounts" section: subtotal, each discount,
// each tax, total, the customer balance applied, amount due, paid and
// remaining, exactly as Stripe computed them.
func (b *sections) invoiceAmounts(in invoiceJSON) {
	cur := in.Currency
	b.heading("Amounts")
	var pairs []string
	pairs = append(pairs, "Subtotal", b.money(in.Subtotal, cur))
	for _, da := range in.TotalDiscountAmounts {
		if da.Amount == 0 {
			continue
		}
		pairs = append(pairs, "Discount", "-"+b.money(da.Amount, cur)+"  "+b.d.c.Styles.Muted.Render(in.discountLabel(b, string(da.Discount))))
	}
	for _, ta := range in.TotalTaxAmounts {
		note := orDash(string(ta.TaxRate))
		if ta.TaxableAmount != nil {
			note += " on " + b.money(*ta.TaxableAmount, cur)
		}
		if ta.Inclusive {
			note += ", included in the prices"
		}
		pairs = append(pairs, "Tax", b.money(ta.Amount, cur)+"  "+b.d.c.Styles.Muted.Render(note))
	}
	pairs = append(pairs, "Total", b.money(in.Total, cur))
	if in.PrePaymentCredit != 0 {
		pairs = append(pairs, "Credit notes", "-"+b.money(in.PrePaymentCredit, cur))
	}
	if applied := in.balanceApplied(); applied != 0 {
		what := "credit"
		if applied > 0 {
			what = "owed, added"
		}
		pairs = append(pairs, "Balance applied", b.money(applied, cur)+"  "+b.d.c.Styles.Muted.Render(fmt.Sprintf("customer balance (%s): %s → %s", what,
			b.money(in.StartingBalance, cur), b.money(in.StartingBalance-applied, cur))))
	}
	pairs = append(pairs,
		"Amount due", b.money(in.AmountDue, cur),
		"Paid", b.money(in.AmountPaid, cur),
		"Remaining", b.money(in.Remaining(), cur),
	)
	if in.PaidOutOfBand {
		pairs = append(pairs, "Paid out of band", b.d.c.Styles.Warn.Render("yes")+" "+b.d.c.Styles.Muted.Render("(marked paid outside Stripe)"))
	}
	if in.PostPaymentCredit != 0 {
		pairs = append(pairs, "Credited after", b.money(in.PostPaymentCredit, cur))
	}
	b.fields(pairs...) // labels may repeat (one Discount, one Tax per row)
}

// balanceApplied is the part of the customer's balance the invoice used
// (negative: credit taken off; positive: an owed balance added), from
// starting_balance and ending_balance; 0 while a draft has no ending balance.
func (in invoiceJSON) balanceApplied() int64 {
	if in.EndingBalance == nil {
		return 0
	}
	return in.StartingBalance - *in.EndingBalance
}

// invoiceCustomer names the invoice's customer from the cache, or from the
// name and email Stripe copied onto the invoice when the customer is not
// cached (or is a deleted stub).
func invoiceCustomer(d *Detail, in invoiceJSON, id string) string {
	if c, err := d.c.Store.Get(storage.KindCustomer, id); err == nil && (c.Name != "" || c.Email != "") {
		return customerLabel(d, id)
	}
	if in.CustomerName == "" && in.CustomerEmail == "" {
		return customerLabel(d, id)
	}
	label := orDash(in.CustomerName)
	if in.CustomerEmail != "" {
		label += " <" + in.CustomerEmail + ">"
	}
	if id != "" {
		label += " " + d.c.Styles.Muted.Render("("+id+", from the invoice)")
	}
	return label
}
