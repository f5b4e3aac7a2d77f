package resources

import (
	"cmp"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/table"
)

// creditNoteJSON is what the credit note page and the invoice's list show.
type creditNoteJSON = stripejson.CreditNote

// NewCreditNote is the credit note page: amount, type (pre- or
// post-payment), how a post-payment note was settled, reason and memo.
func NewCreditNote(c *common.Common, id string) *Detail {
	return newDetail(c, storage.KindCreditNote, id, "Credit note", creditNoteBody)
}

func creditNoteBody(d *Detail, b *sections) {
	e := safeEnv(d.env)
	cn := decode[creditNoteJSON](e.Raw)
	b.heading("Credit note " + orDash(cn.Number) + "  " + e.ID)
	b.fieldLinks = map[string]link{"Invoice": {kind: storage.KindInvoice, id: string(cn.Invoice)},
		"Customer": {kind: storage.KindCustomer, id: e.Customer}}
	b.fields(
		"Status", b.status(e.Status),
		"Amount", b.money(cn.Amount, cn.Currency),
		"Type", cn.Type,
		"Invoice", string(cn.Invoice),
		"Customer", customerLabel(d, e.Customer),
		"Reason", cn.Reason,
		"Memo", cn.Memo,
		"Refund", settledBy(d, b, storage.KindRefund, string(cn.Refund), cn.Currency),
		"Balance credit", settledBy(d, b, storage.KindBalanceTransaction, string(cn.BalanceTxn), cn.Currency),
		"Out of band", outOfBand(b, cn),
		"Issued", b.when(e.Created),
		"Voided at", b.when(cn.VoidedAt),
		"Cached", cacheLine(d),
	)
}

// settledBy words one part of how a post-payment note was settled: the
// refund or customer balance transaction id with its amount from the cache
// ("re_… $5.00"; a balance transaction's credit is negative in Stripe and
// shown as the credit given), or the id alone when it is not cached; ""
// when the note has no such part.
func settledBy(d *Detail, b *sections, kind storage.Kind, id, currency string) string {
	if id == "" {
		return ""
	}
	env, err := d.c.Store.Get(kind, id)
	if err != nil {
		return id + " (not cached)"
	}
	part := decode[struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	}](env.Raw)
	amount, cur := part.Amount, cmp.Or(part.Currency, currency)
	if kind == storage.KindBalanceTransaction {
		return id + "  " + b.money(-amount, cur) + " credit"
	}
	return id + "  " + b.money(amount, cur)
}

func outOfBand(b *sections, cn creditNoteJSON) string {
	if cn.OutOfBandAmount == 0 {
		return ""
	}
	return b.money(cn.OutOfBandAmount, cn.Currency)
}

// invoiceCreditNotes lists the invoice's cached credit notes (filed under
// its customer), so the page shows them offline.
// The section is left out for an invoice with no credit notes in Stripe's
// amounts and none cached.
func invoiceCreditNotes(d *Detail, b *sections, invoice, customer string, credited bool) {
	if n, err := d.c.Store.Count(storage.KindCreditNote); err == nil && n == 0 && !credited {
		return // none cached at all (or a read-only copy from before they were)
	}
	cns, more := b.related(storage.KindCreditNote, customer, relatedRows, func(cn storage.Envelope) bool {
		return string(decode[creditNoteJSON](cn.Raw).Invoice) == invoice
	})
	if len(cns) == 0 && !credited {
		return
	}
	b.heading("Credit notes")
	rows := make([][]string, 0, len(cns))
	for _, cn := range cns {
		j := decode[creditNoteJSON](cn.Raw)
		rows = append(rows, []string{cn.ID, cn.Status, b.money(j.Amount, j.Currency), j.Type, format.Stamp(cn.Created, d.c.Loc)})
	}
	b.linkRows(storage.KindCreditNote, cns)
	b.list(creditNoteCols, rows, more, "no credit notes cached for this invoice")
}

var creditNoteCols = []table.Column{
	{Title: "Credit note", Width: 18},
	{Title: "Status", Width: 8, Status: true},
	{Title: "Amount", Width: 11, Right: true},
	{Title: "Type", Width: 12, Flex: true},
	{Title: "Issued", Width: 16, Priority: 1},
}
