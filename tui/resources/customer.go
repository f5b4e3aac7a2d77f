package resources

import (
	"fmt"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/table"
)

// relatedRows is how many objects of each kind a detail page lists.
const relatedRows = 5

// NewCustomer is the customer detail page: profile, balance, payment
// methods (read from Stripe when the page opens online, and cached), the
// next bill (Stripe's upcoming invoice), and the customer's subscriptions, invoices, charges, refunds,
// disputes and balance transactions from the cache's customer index.
func NewCustomer(c *common.Common, id string) *Detail {
	d := newDetail(c, storage.KindCustomer, id, "Customer", customerBody)
	d.fetch = fetchCustomerExtras
	return d
}

func customerBody(d *Detail, b *sections) {
	e := safeEnv(d.env)
	cu := decode[customerJSON](e.Raw)
	balance := money.Balance(e.Amount, e.Currency)
	switch {
	case e.Currency == "" && e.Amount == 0:
		balance = "-" // never billed: no currency yet
	case e.Deleted:
		// Stripe drops a deleted customer's balance with it: no next invoice.
	case e.Amount < 0:
		balance = d.c.Styles.Good.Render(balance) + ", applied to the next invoice"
	case e.Amount > 0:
		balance = d.c.Styles.Warn.Render(balance) + ", added to the next invoice"
	}
	delinquent := "no"
	if cu.Delinquent {
		delinquent = d.c.Styles.Bad.Render("yes")
	}
	b.heading("Customer " + e.ID)
	state := ""
	if e.Deleted {
		state = d.c.Styles.Bad.Render("deleted in Stripe")
	}
	pairs := []string{
		"State", state,
		"Name", orDash(e.Name),
		"Email", orDash(e.Email),
		"Phone", cu.Phone,
		"Address", cu.Address.OneLine(),
		"Description", cu.Description,
		"Internal note", cu.Metadata[billing.NoteMetadataKey],
		"Created", b.when(e.Created),
		"Currency", cu.Currency,
		"Balance", balance,
		"Delinquent", delinquent,
	}
	pairs = append(pairs, b.paymentMethodFields(cu)...)
	pairs = append(pairs,
		"Card (source)", sourceLine(cu),
		"Discount", discountLine(b, cu.Discount),
		"Test clock", string(cu.TestClock),
		"Owed now", b.owedNow(),
		"Next bill", b.nextBill(),
		"Cached", cacheLine(d))
	b.fields(pairs...)

	subs, more := b.related(storage.KindSubscription, e.ID, relatedRows, nil)
	b.heading("Subscriptions")
	rows := make([][]string, 0, len(subs))
	for _, s := range subs {
		sj := decode[subscriptionJSON](s.Raw)
		rows = append(rows, []string{s.ID, sj.status(s.Status), sj.plan(), b.money(s.Amount, s.Currency), date(d.c, sj.CurrentPeriodEnd)})
	}
	b.linkRows(storage.KindSubscription, subs)
	b.list(subCols, rows, more, "no subscriptions")

	invs, more := b.related(storage.KindInvoice, e.ID, relatedRows, nil)
	b.invoiceList(invs, more, "no invoices")

	chs, more := b.related(storage.KindCharge, e.ID, relatedRows, nil)
	b.heading("Charges")
	rows = rows[:0]
	for _, ch := range chs {
		cj := decode[chargeJSON](ch.Raw)
		rows = append(rows, []string{ch.ID, ch.Status, b.money(ch.Amount, ch.Currency), failure(cj), date(d.c, ch.Created)})
	}
	b.linkRows(storage.KindCharge, chs)
	b.list(chargeCols, rows, more, "no charges")

	res, more := b.related(storage.KindRefund, e.ID, relatedRows, nil)
	b.heading("Refunds")
	rows = rows[:0]
	for _, r := range res {
		rj := decode[refundJSON](r.Raw)
		rows = append(rows, []string{r.ID, r.Status, b.money(r.Amount, r.Currency), orDash(rj.Reason), string(rj.Charge), date(d.c, r.Created)})
	}
	b.linkRows(storage.KindRefund, res)
	b.list(refundCols, rows, more, "no refunds")

	dps, more := b.related(storage.KindDispute, e.ID, relatedRows, nil)
	b.heading("Disputes")
	rows = rows[:0]
	for _, dp := range dps {
		dj := decode[disputeJSON](dp.Raw)
		due := relUnix(d.c, dj.EvidenceDetails.DueBy)
		if !needsResponse(dp.Status) {
			due = "-" // closed or under review: nothing is due
		}
		rows = append(rows, []string{dp.ID, dp.Status, b.money(dp.Amount, dp.Currency), orDash(dj.Reason), due})
	}
	b.linkRows(storage.KindDispute, dps)
	b.list(disputeCols, rows, more, "no disputes")

	txs, more := b.related(storage.KindBalanceTransaction, e.ID, relatedRows, nil)
	b.heading("Balance transactions")
	rows = rows[:0]
	for _, t := range txs {
		tj := decode[balanceTxnJSON](t.Raw)
		rows = append(rows, []string{t.ID, money.Movement(t.Amount, t.Currency), money.Balance(tj.EndingBalance, t.Currency), orDash(tj.Type), orDash(tj.Description), date(d.c, t.Created)})
	}
	b.linkRows(storage.KindBalanceTransaction, txs)
	b.list(txnCols, rows, more, "no balance transactions")
}

// paymentLine shows the default payment method: brand and last4 when the
// customer's JSON has it expanded, else the id, with the card the latest
// charge used as a hint.
func paymentLine(d *Detail, cu customerJSON) string {
	id, cd := paymentMethod(cu.InvoiceSettings.DefaultPaymentMethod)
	if cd != nil {
		return cardLine(cd) + " " + d.c.Styles.Muted.Render("("+id+")")
	}
	line := orDash(id)
	if p, err := d.c.Store.List(storage.Query{Kind: storage.KindCharge, Customer: d.id, Limit: 1}); err == nil && len(p.Items) == 1 {
		cj := decode[chargeJSON](p.Items[0].Raw)
		if cj.PaymentMethodDetails != nil && cj.PaymentMethodDetails.Card != nil {
			line += "  " + d.c.Styles.Muted.Render("last charged: ") + cardLine(cj.PaymentMethodDetails.Card)
		}
	}
	return line
}

// sourceLine shows the legacy default_source (a card saved through the
// Sources/Tokens API, "card_…" or "src_…") when the customer has one.
func sourceLine(cu customerJSON) string {
	id, cd := paymentMethod(cu.DefaultSource)
	if cd != nil {
		return cardLine(cd) + " (" + id + ")"
	}
	if c := decode[card](cu.DefaultSource); c.Last4 != "" {
		return cardLine(&c) + " (" + id + ")"
	}
	return id
}

// discountLine describes a customer's (or invoice's) discount: the coupon's
// name and what it takes off, and until when.
func discountLine(b *sections, dc *discountJSON) string {
	if dc == nil || dc.Coupon == nil {
		return ""
	}
	cp := dc.Coupon
	off := ""
	switch {
	case cp.PercentOff != nil:
		off = fmt.Sprintf("%g%% off", *cp.PercentOff)
	case cp.AmountOff != nil:
		off = b.money(*cp.AmountOff, cp.Currency) + " off"
	}
	s := orDash(firstNonEmpty(cp.Name, cp.ID))
	if off != "" && off != s {
		s += "  " + off
	}
	if cp.Duration != "" {
		s += ", " + cp.Duration
	}
	if dc.End != 0 {
		s += " until " + date(b.d.c, dc.End)
	}
	return s
}

func cardLine(c *card) string {
	s := orDash(c.Brand) + " •••• " + orDash(c.Last4)
	if c.ExpYear > 0 {
		s += " exp " + itoa(int64(c.ExpMonth)) + "/" + itoa(int64(c.ExpYear))
	}
	return s
}

// cacheLine says how fresh the cached copy is, by the rule the header's
// "cache …" follows (common.CacheAge): when this copy was written, or
// when a live notice about it last arrived.
func cacheLine(d *Detail) string {
	age, ok := d.c.CacheAge(d.env.CachedAt, d.heard)
	if !ok {
		age = "-"
	}
	s := "updated " + age
	if d.env.Stale {
		s += "  " + d.c.Styles.Warn.Render("stale: "+safetext.Line(d.env.StaleReason))
	}
	return s
}

// invoiceList lists related invoices under an "Invoices" heading (the
// customer and subscription pages), or none when there are none.
func (b *sections) invoiceList(invs []storage.Envelope, more bool, none string) {
	b.heading("Invoices")
	rows := make([][]string, 0, len(invs))
	for _, in := range invs {
		ij := decode[invoiceJSON](in.Raw)
		rows = append(rows, []string{orDash(in.Number), in.Status, b.money(in.Amount, in.Currency), itoa(ij.AttemptCount), date(b.d.c, in.Created), in.ID})
	}
	b.linkRows(storage.KindInvoice, invs)
	b.list(invoiceCols, rows, more, none)
}

// declined is why a charge failed: Stripe's failure_code with the
// issuer's decline code (outcome.reason); "" for a charge that did not fail.
func declined(cj chargeJSON) string {
	switch {
	case cj.Outcome != nil && cj.FailureCode != "" && cj.Outcome.Reason != "":
		return cj.FailureCode + " (" + cj.Outcome.Reason + ")"
	}
	return cj.FailureCode
}

// failure is a charge list's outcome note: why it failed, else whether it
// was refunded or disputed.
func failure(cj chargeJSON) string {
	if why := declined(cj); why != "" {
		return why
	}
	switch {
	case cj.Refunded:
		return "refunded"
	case cj.AmountRefunded > 0:
		return "partly refunded"
	case cj.Disputed:
		return "disputed"
	}
	return ""
}

var (
	subCols = []table.Column{
		{Title: "ID", Width: 18},
		{Title: "Status", Width: 18, Status: true},
		{Title: "Plan", Width: 14, Flex: true, Min: 8},
		{Title: "Amount", Width: 11, Right: true},
		{Title: "Period end", Width: 10, Priority: 1},
	}
	invoiceCols = []table.Column{
		{Title: "Number", Width: 14},
		{Title: "Status", Width: 13, Status: true},
		{Title: "Amount due", Width: 11, Right: true},
		{Title: "Tries", Width: 5, Right: true, Priority: 2},
		{Title: "Created", Width: 10, Priority: 1},
		{Title: "ID", Width: 18, Flex: true, Priority: 3},
	}
	chargeCols = []table.Column{
		{Title: "ID", Width: 18},
		{Title: "Status", Width: 10, Status: true},
		{Title: "Amount", Width: 11, Right: true},
		{Title: "Outcome", Width: 16, Flex: true, Min: 8, Priority: 2},
		{Title: "Created", Width: 10, Priority: 1},
	}
	refundCols = []table.Column{
		{Title: "ID", Width: 18},
		{Title: "Status", Width: 10, Status: true},
		{Title: "Amount", Width: 11, Right: true},
		{Title: "Reason", Width: 14, Flex: true, Priority: 2},
		{Title: "Charge", Width: 18, Priority: 3},
		{Title: "Created", Width: 10, Priority: 1},
	}
	disputeCols = []table.Column{
		{Title: "ID", Width: 18},
		{Title: "Status", Width: 22, Status: true},
		{Title: "Amount", Width: 11, Right: true},
		{Title: "Reason", Width: 14, Flex: true, Min: 8, Priority: 2},
		{Title: "Due", Width: 9, Priority: 1},
	}
	txnCols = []table.Column{
		{Title: "ID", Width: 20},
		{Title: "Amount", Width: 16, Right: true},
		{Title: "Ending balance", Width: 16, Right: true, Priority: 2},
		{Title: "Type", Width: 10, Priority: 3},
		{Title: "Description", Width: 14, Flex: true, Min: 8, Priority: 1},
		{Title: "Created", Width: 10, Priority: 4},
	}
)
