package billing

import (
	"context"
	"strings"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// Credit directions. Stripe's sign convention: a negative balance
// transaction credits the customer (less to pay on the next invoice), a
// positive one debits them.
const (
	DirectionCredit = "credit"
	DirectionDebit  = "debit"
)

// MaxDescriptionLength bounds a balance transaction's description.
const MaxDescriptionLength = 350

// CreditRequest is what the credit-balance form collects.
type CreditRequest struct {
	Customer string
	// Direction is DirectionCredit or DirectionDebit.
	Direction string
	// Amount as typed, positive, in Currency.
	Amount string
	// Currency of the adjustment; empty uses the customer's currency
	// (required when the customer has none yet).
	Currency    string
	Description string
}

// PrepareCredit validates a customer balance adjustment against the
// customer's fresh balance and shows the balance before and after.
func (a *Actions) PrepareCredit(ctx context.Context, op Operator, req CreditRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionCredit, req.Customer, &err)
	target := strings.TrimSpace(req.Customer)
	p, err := a.start(ctx, op, ActionCredit, target, "customer")
	if err != nil || p.Earlier {
		return p, err
	}
	cus, err := a.fresh(ctx, p, storage.KindCustomer, target, "balance", "currency", "deleted")
	if err != nil {
		return nil, err
	}
	if boolean(cus, "deleted") {
		return nil, fieldErrf("customer", "customer %s was deleted", target)
	}
	have := str(cus, "currency")
	cur := strings.ToLower(strings.TrimSpace(req.Currency))
	switch {
	case cur == "" && have == "":
		return nil, fieldErr("currency", "the customer has no currency yet: choose one")
	case cur == "":
		cur = have
	case !validCurrency(cur):
		return nil, fieldErrf("currency", "%q is not a three-letter currency code", req.Currency)
	case have != "" && cur != have:
		return nil, fieldErrf("currency", "the customer's balance is in %s: adjust it in %s", strings.ToUpper(have), strings.ToUpper(have))
	}
	dir := strings.ToLower(strings.TrimSpace(req.Direction))
	if dir != DirectionCredit && dir != DirectionDebit {
		return nil, fieldErr("direction", "choose credit (customer pays less) or debit (customer owes more)")
	}
	amount, err := parseAmount("amount", req.Amount, cur)
	if err != nil {
		return nil, err
	}
	signed := amount
	if dir == DirectionCredit {
		signed = -amount
	}
	desc := strings.TrimSpace(req.Description)
	if err := CheckText("description", "description", desc, false); err != nil {
		return nil, err
	}
	if len(desc) > MaxDescriptionLength {
		return nil, fieldErrf("description", "at most %d characters (%d typed)", MaxDescriptionLength, len(desc))
	}
	params := &stripe.CustomerBalanceTransactionParams{Amount: stripe.Int64(signed), Currency: stripe.String(cur)}
	if desc != "" {
		params.Description = stripe.String(desc)
	}
	params.AddMetadata(IntentMetadataKey, p.Key)
	params.AddMetadata("paydesk_operator", op.Name)
	p.Call = Call{Method: "POST", Path: stripe.FormatURLPath("/v1/customers/%s/balance_transactions", target), Form: formOf(params)}
	p.Amount, p.Currency = signed, cur
	before := num(cus, "balance")
	if have == "" {
		before = 0
	}
	p.Lines = []Line{
		a.customerLine(target, str(cus, "name"), str(cus, "email")),
		{"Adjustment", AmountWords(ActionCredit, signed, cur)},
		{"Balance before", BalanceWords(before, cur)},
		{"Balance after", BalanceWords(before+signed, cur)},
		{"Sent as amount", money.Format(signed, cur) + " (negative credits the customer)"},
		{"Description", orDash(desc)},
		{"Idempotency key", p.Key},
	}
	return a.finish(p)
}

// BalanceWords reads a customer balance the way staff say it: a negative
// balance is credit the customer holds, a positive one is owed
// ("€20.00 credit", "€20.00 owed"; see money.Balance).
func BalanceWords(balance int64, currency string) string { return money.Balance(balance, currency) }

func nameSuffix(name, email string) string {
	switch {
	case name != "" && email != "":
		return " (" + name + ", " + email + ")"
	case name != "":
		return " (" + name + ")"
	case email != "":
		return " (" + email + ")"
	}
	return ""
}

// lookupCredit finds the customer's balance transaction carrying the
// intent's metadata.
func (a *Actions) lookupCredit(ctx context.Context, in storage.Intent) (string, bool, error) {
	path := stripe.FormatURLPath("/v1/customers/%s/balance_transactions", in.Target)
	return a.findListed(ctx, path, []Param{{"limit", "100"}}, in.Key)
}
