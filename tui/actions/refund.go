package actions

import (
	"context"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/tui/common"
)

// refundForm refunds a charge or a payment intent, in full or in part.
type refundForm struct {
	id     string
	rf     billing.Refundable
	loaded bool
	amount string
	reason string
	note   string
}

func (r *refundForm) heading() string { return "Refund " + r.id }
func (r *refundForm) target() string  { return r.id }

func (r *refundForm) load(ctx context.Context, c *common.Common) (func(), error) {
	rf, err := c.Money.RefundableAmount(ctx, r.id)
	if err != nil {
		return nil, err
	}
	return func() { r.rf, r.loaded = rf, true }, nil
}

func (r *refundForm) info(*common.Common) []string {
	if !r.loaded {
		return nil
	}
	rf := r.rf
	line := "Charged " + money.Format(rf.Charged, rf.Currency) + " · already refunded " + money.Format(rf.Refunded, rf.Currency) +
		" · refundable " + money.Format(rf.Refundable, rf.Currency)
	who := "charge " + rf.Charge
	if rf.Card != "" {
		who += " (" + rf.Card + ")"
	}
	if rf.Customer != "" {
		who += " · customer " + rf.Customer
	}
	out := []string{line, who}
	if rf.Disputed {
		out = append(out, "disputed: Stripe refuses refunds on it (charge_disputed)")
	}
	return out
}

func (r *refundForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	cur := strings.ToUpper(r.rf.Currency)
	amountDesc := "empty refunds everything still refundable"
	if r.loaded {
		amountDesc = "at most " + money.Format(r.rf.Refundable, r.rf.Currency) + "; empty refunds all of it"
	}
	return []huh.Field{
		checked(c, huh.NewInput().Key("amount").Title("Amount ("+cur+")").Value(&r.amount).
			Placeholder("all "+money.Decimal(r.rf.Refundable, money.Exponent(r.rf.Currency))),
			amountDesc, "amount", fe, amountCheck(r.rf.Currency, false, r.rf.Refundable, "at most %s can be refunded")),
		huh.NewSelect[string]().Key("reason").Title("Reason").
			Options(optionsOf("none", billing.RefundReasons...)...).Value(&r.reason).
			Description(describe(c, "", "reason", fe)),
		huh.NewInput().Key("note").Title("Internal note").Value(&r.note).CharLimit(billing.MaxNoteLength).
			Description(describe(c, "kept in the refund's metadata, never shown to the customer", "note", fe)),
	}
}

func (r *refundForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareRefund(ctx, c.Operator, billing.RefundRequest{Target: r.id, Amount: r.amount,
		Currency: r.rf.Currency, Reason: r.reason, Note: r.note})
	return p, nil, err
}
