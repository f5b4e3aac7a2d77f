package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/paydesk/paydesk/tui/format"
)

// column is one column of the ls table.
type column struct {
	title string
	right bool
	cell  func(e storage.Envelope) string
}

// columnsFor picks the columns that say something for kind.
func columnsFor(kind storage.Kind, loc *time.Location) []column {
	id := column{title: "ID", cell: func(e storage.Envelope) string { return e.ID }}
	created := column{title: "CREATED", cell: func(e storage.Envelope) string { return format.Stamp(e.Created, loc) }}
	status := column{title: "STATUS", cell: func(e storage.Envelope) string { return dash(e.Status) }}
	customer := column{title: "CUSTOMER", cell: func(e storage.Envelope) string { return dash(e.Customer) }}
	amount := column{title: "AMOUNT", right: true, cell: amountCell}
	stale := column{title: "", cell: func(e storage.Envelope) string {
		if e.Stale {
			return "stale"
		}
		return ""
	}}
	switch kind {
	case storage.KindCustomer:
		return []column{id,
			{title: "EMAIL", cell: func(e storage.Envelope) string { return dash(e.Email) }},
			{title: "NAME", cell: func(e storage.Envelope) string { return dash(e.Name) }},
			{title: "BALANCE", right: true, cell: func(e storage.Envelope) string {
				if e.Currency == "" && e.Amount == 0 {
					return "-"
				}
				return money.Balance(e.Amount, e.Currency) // as the console words it: "$28.00 credit"
			}},
			created, stale}
	case storage.KindBalanceTransaction:
		return []column{id,
			{title: "TYPE", cell: func(e storage.Envelope) string { return dash(balanceTxnType(e.Raw)) }}, customer,
			{title: "AMOUNT", right: true, cell: func(e storage.Envelope) string { return money.Movement(e.Amount, e.Currency) }},
			created, stale}
	case storage.KindProduct:
		return []column{id, {title: "NAME", cell: func(e storage.Envelope) string { return dash(e.Name) }}, status, created, stale}
	case storage.KindInvoice, storage.KindCreditNote:
		return []column{id, {title: "NUMBER", cell: func(e storage.Envelope) string { return dash(e.Number) }}, status, customer, amount, created, stale}
	case storage.KindRefund, storage.KindDispute:
		return []column{id, status, {title: "CHARGE", cell: func(e storage.Envelope) string { return dash(e.Charge) }}, amount, created, stale}
	case storage.KindCoupon:
		return []column{id, status,
			{title: "AMOUNT", right: true, cell: func(e storage.Envelope) string { return billing.CouponAmount(e.Raw) }},
			{title: "NAME", cell: func(e storage.Envelope) string { return dash(e.Name) }}, created, stale}
	case storage.KindPromotionCode:
		return []column{id, {title: "CODE", cell: func(e storage.Envelope) string { return dash(e.Name) }},
			{title: "STATUS", cell: promotionCodeStatus}, customer,
			{title: "COUPON", cell: func(e storage.Envelope) string { return promotionCodeCoupon(e.Raw) }}, created, stale}
	default:
		return []column{id, status, customer, amount, created, stale}
	}
}

// promotionCodeStatus is "active" for a code a customer can redeem, else
// "not redeemable: " and why (billing.PromotionCodeWhyNot; expires_at is
// left to the code's JSON, the CLI keeps no clock).
func promotionCodeStatus(e storage.Envelope) string {
	if why := billing.PromotionCodeWhyNot(e.Raw, time.Time{}); why != "" {
		return "not redeemable: " + why
	}
	return "active"
}

// promotionCodeCoupon is the code's coupon in one line ("25% off for 3
// months").
func promotionCodeCoupon(raw []byte) string {
	var pc struct {
		Coupon json.RawMessage `json:"coupon"`
	}
	if json.Unmarshal(raw, &pc) != nil {
		return "-"
	}
	c, err := billing.CouponOf(pc.Coupon)
	if err != nil {
		return "-"
	}
	return c.Off() + " " + c.For()
}

// amountCell is the amount of a row: "-" when the object has no currency
// yet (a never-billed customer), and the pricing model instead of 0.00 for
// metered or tiered prices and subscriptions (unit_amount null).
func amountCell(e storage.Envelope) string {
	var m stripejson.Pricing
	switch e.Kind {
	case storage.KindSubscription:
		m = stripejson.SubscriptionPricing(e.Raw)
	case storage.KindPrice:
		m = stripejson.PricePricing(e.Raw)
	}
	switch {
	case m != stripejson.PricingFixed && e.Amount == 0:
		return string(m)
	case m != stripejson.PricingFixed:
		return money.Format(e.Amount, e.Currency) + " + " + string(m)
	case e.Currency == "" && e.Amount == 0:
		return "-"
	}
	return money.Format(e.Amount, e.Currency)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// MaxColumn is the widest an ls column gets, in terminal cells; longer
// values end in "…" (`get` shows the whole object).
const MaxColumn = 40

// Table writes items as an aligned table with a header row: text columns
// left-aligned, money right-aligned, two spaces between columns. Every cell
// passes safetext (escapes shown, never sent) and is measured in terminal
// cells by grapheme cluster, at most MaxColumn wide.
func Table(w io.Writer, kind storage.Kind, items []storage.Envelope, loc *time.Location) error {
	cols := columnsFor(kind, loc)
	cells := make([][]string, len(items))
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = safetext.Width(c.title)
	}
	for r, e := range items {
		cells[r] = make([]string, len(cols))
		for i, c := range cols {
			v := sanitize(c.cell(e))
			cells[r][i] = v
			widths[i] = max(widths[i], safetext.Width(v))
		}
	}
	var b strings.Builder
	writeRow := func(vals []string) {
		line := make([]string, len(cols))
		for i, v := range vals {
			pad := strings.Repeat(" ", max(0, widths[i]-safetext.Width(v)))
			if cols[i].right {
				line[i] = pad + v
			} else {
				line[i] = v + pad
			}
		}
		b.WriteString(strings.TrimRight(strings.Join(line, "  "), " "))
		b.WriteByte('\n')
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	writeRow(titles)
	for _, row := range cells {
		writeRow(row)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

// sanitize keeps a cell on one line, free of anything a terminal would act
// on (shown as escapes) and at most MaxColumn cells wide.
func sanitize(s string) string { return safetext.Cell(s, MaxColumn) }

// balanceTxnType is a customer balance transaction's type (adjustment,
// applied_to_invoice, credit_note, ...), "" when unreadable.
func balanceTxnType(raw []byte) string {
	var t stripejson.BalanceTransaction
	_ = json.Unmarshal(raw, &t)
	return t.Type // the table passes every cell through safetext
}
