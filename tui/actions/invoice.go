package actions

import (
	"context"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// invoiceForm is an invoice action: nothing to type, straight to the
// confirmation.
type invoiceForm struct {
	env storage.Envelope
	act billing.Action
}

var invoiceVerbs = map[billing.Action]string{
	billing.ActionInvoicePay:       "Retry the payment of",
	billing.ActionInvoiceVoid:      "Void",
	billing.ActionInvoiceUncollect: "Mark uncollectible",
	billing.ActionInvoiceSend:      "Send",
	billing.ActionInvoiceFinalize:  "Finalize",
	billing.ActionInvoiceDelete:    "Delete the draft",
}

func (f *invoiceForm) heading() string { return invoiceVerbs[f.act] + " " + f.env.ID }
func (f *invoiceForm) target() string  { return f.env.ID }

func (f *invoiceForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *invoiceForm) info(*common.Common) []string {
	e := f.env
	l := "cached: " + orDash(e.Status) + " · " + money.Format(e.Amount, e.Currency)
	if e.Customer != "" {
		l += " · customer " + e.Customer
	}
	return []string{l}
}

func (f *invoiceForm) fields(*common.Common, *billing.FieldError) []huh.Field { return nil }

func (f *invoiceForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareInvoice(ctx, c.Operator, billing.InvoiceRequest{Invoice: f.env.ID, Action: f.act})
	return p, nil, err
}
