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
	// refunds is the paid invoice's charge: what it has left to refund and
	// what was refunded on it outside credit notes.
	refunds billing.ChargeRefunds

	amount, refund, credit, outOfBand, reason, memo string
}

func (f *creditNoteForm) heading() string { return "Credit note on " + f.env.ID }
func (f *creditNoteForm) target() string  { return f.env.ID }

func (f *creditNoteForm) load(ctx context.Context, c *common.Common) (func(), error) {
	room, err := c.Money.CreditRoom(ctx, f.env.ID)
	if err != nil {
		return nil, err
	}
	return func() {
		f.left, f.currency, f.status, f.refunds, f.loaded = room.Left, room.Currency, room.Status, room.Refunds, true
	}, nil
}

func (f *creditNoteForm) info(*common.Common) []string {
	if !f.loaded {
		return nil
	}
	out := []string{"Invoice " + f.status + " · left to credit " + money.Format(f.left, f.currency)}
	if f.status == "open" {
		return append(out, "open (pre-payment): the credit lowers the amount due")
	}
	out = append(out, "paid (post-payment): refund + balance credit + out of band = amount")
	if words := f.refunds.OutsideWords(); words != "" {
		out = append(out, words)
	}
	return out
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
				f.refundHint(), "refund_amount", fe, f.refundCheck()),
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

// refundHint says what the refund part is and, when the charge has less
// left to refund than the invoice has left to credit (a refund made on it
// directly), how much it still has.
func (f *creditNoteForm) refundHint() string {
	switch {
	case f.refunds.Charge == "":
		return "the invoice was paid without a charge: nothing to refund"
	case f.refunds.Refundable < f.left:
		return "a new refund of the invoice's charge, which has " + money.Format(f.refunds.Refundable, f.currency) + " left to refund; empty: none"
	}
	return "a new refund of the invoice's charge; empty: none"
}

// refundCheck bounds the refund part by what is left to credit and what
// the charge has left to refund (Stripe refuses more: amount_too_large).
func (f *creditNoteForm) refundCheck() func(string) error {
	most, over := f.left, "at most %s can still be credited on this invoice"
	if f.refunds.Charge != "" && f.refunds.Refundable < most {
		most, over = f.refunds.Refundable, "at most %s is left to refund on the charge"
	}
	return amountCheck(f.currency, false, most, over)
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
