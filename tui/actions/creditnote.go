package actions

import (
	"context"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// creditNoteForm issues a credit note on an open or paid invoice: the
// amount (at most what is left to credit), on a paid invoice its split
// between refund, balance credit and out of band, a reason and a memo.
type creditNoteForm struct {
	env      storage.Envelope
	loaded   bool
	left     int64
	currency string
	status   string

	amount, refund, credit, outOfBand, reason, memo string
}

func (f *creditNoteForm) heading() string { return "Credit note on " + f.env.ID }
func (f *creditNoteForm) target() string  { return f.env.ID }

func (f *creditNoteForm) load(ctx context.Context, c *common.Common) (func(), error) {
	left, cur, status, err := c.Money.CreditLeft(ctx, f.env.ID)
	if err != nil {
		return nil, err
	}
	return func() { f.left, f.currency, f.status, f.loaded = left, cur, status, true }, nil
}

func (f *creditNoteForm) info(*common.Common) []string {
	if !f.loaded {
		return nil
	}
	out := []string{"Invoice " + f.status + " · left to credit " + money.Format(f.left, f.currency)}
	if f.status == "open" {
		return append(out, "open (pre-payment): the credit lowers the amount due")
	}
	return append(out, "paid (post-payment): refund + balance credit + out of band = amount")
}

func (f *creditNoteForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	cur := strings.ToUpper(f.currency)
	// Each amount is checked as it is left: no more than is left to
	// credit, and parts that are numbers (billing checks their sum).
	part := amountCheck(f.currency, false, f.left, "at most %s can still be credited on this invoice")
	fields := []huh.Field{
		checked(c, huh.NewInput().Key("amount").Title("Amount ("+cur+")").Value(&f.amount),
			"at most "+money.Format(f.left, f.currency), "amount", fe,
			amountCheck(f.currency, true, f.left, "at most %s can still be credited on this invoice")),
	}
	if f.status == "paid" {
		fields = append(fields,
			checked(c, huh.NewInput().Key("refund_amount").Title("Refund to the card ("+cur+")").Value(&f.refund),
				"a new refund of the invoice's charge; empty: none", "refund_amount", fe, part),
			checked(c, huh.NewInput().Key("credit_amount").Title("Customer balance credit ("+cur+")").Value(&f.credit),
				"applied to the customer's next invoices; empty: none", "credit_amount", fe, part),
			checked(c, huh.NewInput().Key("out_of_band_amount").Title("Out of band ("+cur+")").Value(&f.outOfBand),
				"settled outside Stripe; the three parts add up to the amount", "out_of_band_amount", fe, part),
		)
	}
	return append(fields,
		huh.NewSelect[string]().Key("reason").Title("Reason").
			Options(optionsOf("none", billing.CreditNoteReasons...)...).Value(&f.reason).
			Description(describe(c, "", "reason", fe)),
		multiLine("memo", "Memo", &f.memo, billing.MaxCreditNoteMemo,
			describe(c, "shown to the customer on the credit note", "memo", fe)),
	)
}

func (f *creditNoteForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareCreditNote(ctx, c.Operator, billing.CreditNoteRequest{Invoice: f.env.ID, Amount: f.amount,
		Refund: f.refund, Credit: f.credit, OutOfBand: f.outOfBand, Reason: f.reason, Memo: f.memo})
	return p, nil, err
}

// creditNoteVoidForm voids a credit note: nothing to type, straight to
// the confirmation, which asks for the word "void".
type creditNoteVoidForm struct {
	env storage.Envelope
}

func (f *creditNoteVoidForm) heading() string { return "Void credit note " + f.env.ID }
func (f *creditNoteVoidForm) target() string  { return f.env.ID }

func (f *creditNoteVoidForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *creditNoteVoidForm) info(*common.Common) []string {
	return []string{"cached: " + orDash(f.env.Status) + " · " + money.Format(f.env.Amount, f.env.Currency)}
}

func (f *creditNoteVoidForm) fields(*common.Common, *billing.FieldError) []huh.Field { return nil }

func (f *creditNoteVoidForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareCreditNoteVoid(ctx, c.Operator, billing.CreditNoteVoidRequest{CreditNote: f.env.ID})
	return p, nil, err
}
