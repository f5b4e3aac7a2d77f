package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// oneOffItems is how many item rows the new-invoice form offers.
const oneOffItems = 3

// oneOffForm bills a customer a one-off invoice: up to three items
// (description and amount), the currency when the customer has none yet,
// and whether to email it once finalized.
type oneOffForm struct {
	env      storage.Envelope
	currency string
	items    [oneOffItems]billing.OneOffItem
	send     string
}

func newOneOffForm(env storage.Envelope) *oneOffForm {
	return &oneOffForm{env: env, currency: env.Currency, send: "no"}
}

func (f *oneOffForm) heading() string { return "New invoice for " + f.env.ID }
func (f *oneOffForm) target() string  { return f.env.ID }

func (f *oneOffForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *oneOffForm) info(*common.Common) []string {
	return []string{"items, then the invoice, finalized (numbered, open for payment); each step is sent once"}
}

func (f *oneOffForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	var out []huh.Field
	if f.env.Currency == "" {
		out = append(out, huh.NewInput().Key("currency").Title("Currency").Value(&f.currency).CharLimit(3).
			Description(describe(c, "the customer has none yet: three letters (e.g. usd), billed in it from now on", "currency", fe)))
	}
	cur := strings.ToUpper(f.currency)
	if cur == "" {
		cur = "invoice currency"
	}
	for i := range f.items {
		n := fmt.Sprintf("items[%d]", i)
		hint := "empty rows are left out"
		if i == 0 {
			hint = "shown to the customer"
		}
		out = append(out,
			huh.NewInput().Key(n+".description").Title(fmt.Sprintf("Item %d", i+1)).Value(&f.items[i].Description).
				Description(describe(c, hint, n+".description", fe)),
			checked(c, huh.NewInput().Key(n+".amount").Title(fmt.Sprintf("Amount %d (%s)", i+1, cur)).Value(&f.items[i].Amount),
				"", n+".amount", fe, func(s string) error {
					// An item with a description needs its amount, checked
					// here rather than after the whole form is sent.
					if !money.ValidCurrency(strings.ToLower(f.currency)) {
						return nil
					}
					return amountCheck(strings.ToLower(f.currency), strings.TrimSpace(f.items[i].Description) != "", 0, "")(s)
				}))
	}
	return append(out, huh.NewSelect[string]().Key("send").Title("Email it to the customer once finalized").
		Options(huh.NewOption("no", "no"), huh.NewOption("yes", "yes")).Value(&f.send).
		Description(describe(c, "", "send", fe)))
}

func (f *oneOffForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareOneOffInvoice(ctx, c.Operator, billing.OneOffInvoiceRequest{Customer: f.env.ID,
		Currency: f.currency, Items: f.items[:], Send: f.send == "yes"})
	return p, nil, err
}
