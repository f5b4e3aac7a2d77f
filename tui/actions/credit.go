package actions

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
)

// creditForm adjusts a customer's credit balance.
type creditForm struct {
	id          string
	name        string
	balance     int64
	currency    string // the customer's, from the cache ("" when none yet)
	direction   string
	amount      string
	curTyped    string
	description string
}

func newCreditForm(env storage.Envelope) *creditForm {
	var cu struct {
		Balance  int64  `json:"balance"`
		Currency string `json:"currency"`
		Name     string `json:"name"`
		Email    string `json:"email"`
	}
	_ = json.Unmarshal(env.Raw, &cu)
	safetext.Walk(&cu)
	name := cu.Name
	if name == "" {
		name = cu.Email
	}
	return &creditForm{id: env.ID, name: name, balance: cu.Balance, currency: cu.Currency, direction: billing.DirectionCredit}
}

func (f *creditForm) heading() string { return "Adjust credit of " + f.id }
func (f *creditForm) target() string  { return f.id }

func (f *creditForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *creditForm) info(*common.Common) []string {
	who := f.id
	if f.name != "" {
		who = f.name + " (" + f.id + ")"
	}
	bal := "no balance yet"
	if f.currency != "" {
		bal = "balance " + billing.BalanceWords(f.balance, f.currency) + " (cached; Stripe is re-read before confirming)"
	}
	return []string{who + " · " + bal}
}

func (f *creditForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	out := []huh.Field{
		huh.NewSelect[string]().Key("direction").Title("Direction").Options(
			huh.NewOption("credit — the customer pays less on the next invoices", billing.DirectionCredit),
			huh.NewOption("debit — the customer owes more", billing.DirectionDebit)).
			Value(&f.direction). // after Options: huh scrolls a select to its value when Options comes last, hiding the options above it
			Description(describe(c, "", "direction", fe)),
	}
	cur := strings.ToUpper(f.currency)
	if f.currency == "" {
		out = append(out, huh.NewInput().Key("currency").Title("Currency").Value(&f.curTyped).CharLimit(3).
			Description(describe(c, "the customer has no currency yet: three letters, e.g. usd or eur", "currency", fe)))
		cur = "in the currency above"
	}
	out = append(out,
		checked(c, huh.NewInput().Key("amount").Title("Amount ("+cur+")").Value(&f.amount),
			"a positive amount, e.g. "+amountExample(f.currency), "amount", fe, func(s string) error {
				cur := f.currency
				if cur == "" {
					cur = strings.ToLower(strings.TrimSpace(f.curTyped))
				}
				if !money.ValidCurrency(cur) {
					return nil // the currency field says why; billing checks the amount with it
				}
				return amountCheck(cur, true, 0, "")(s)
			}),
		huh.NewInput().Key("description").Title("Description").Value(&f.description).CharLimit(billing.MaxDescriptionLength).
			Description(describe(c, "shown on the customer's balance history", "description", fe)),
	)
	return out
}

// amountExample is 25 of currency's major units written as an operator
// types it: "25.00", "2500" for a currency without decimals (JPY),
// "25.000" for three (KWD). "25.00" when the currency is not known yet.
func amountExample(currency string) string {
	if !money.ValidCurrency(currency) {
		return "25.00"
	}
	exp := money.Exponent(currency)
	if exp == 0 {
		return "2500" // 25.00 of a two-decimal currency is no example for yen
	}
	return money.Decimal(25*pow10(exp), exp)
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

func (f *creditForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	cur := f.curTyped
	if f.currency != "" {
		cur = ""
	}
	p, err := c.Money.PrepareCredit(ctx, c.Operator, billing.CreditRequest{Customer: f.id, Direction: f.direction,
		Amount: f.amount, Currency: cur, Description: f.description})
	return p, nil, err
}
