package actions

import (
	"context"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// disputeAcceptForm accepts (closes) a dispute: nothing to type, straight
// to the confirmation, which asks for the word "accept" (it is final).
type disputeAcceptForm struct {
	env storage.Envelope
}

func (f *disputeAcceptForm) heading() string { return "Accept dispute " + f.env.ID }
func (f *disputeAcceptForm) target() string  { return f.env.ID }

func (f *disputeAcceptForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *disputeAcceptForm) info(*common.Common) []string {
	e := f.env
	return []string{"cached: " + orDash(e.Status) + " · " + money.Format(e.Amount, e.Currency) +
		" · accepting forfeits the disputed amount; no evidence can be sent afterwards"}
}

func (f *disputeAcceptForm) fields(*common.Common, *billing.FieldError) []huh.Field { return nil }

func (f *disputeAcceptForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareDisputeAccept(ctx, c.Operator, billing.DisputeAcceptRequest{Dispute: f.env.ID})
	return p, nil, err
}
