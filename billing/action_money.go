package billing

import (
	"errors"
	"strings"

	"github.com/paydesk/paydesk/billing/money"
)

// Money in the money actions: amounts are int64 minor units with their
// currency's exponent; the rules and the one formatter (money.Format) live
// in billing/money, which the screens use too.

// parseAmount reads what an operator typed ("12.50", "1,200") into minor
// units of currency. Failures are *FieldError on field, worded for a form.
func parseAmount(field, s, currency string) (int64, error) {
	v, err := money.Parse(s, currency)
	var pe *money.ParseError
	if errors.As(err, &pe) {
		reason := pe.Reason
		if strings.HasPrefix(reason, "at most ") {
			reason += " for " + strings.ToUpper(currency)
		}
		return 0, fieldErr(field, reason)
	}
	if err != nil {
		return 0, fieldErr(field, err.Error())
	}
	if v == 0 {
		return 0, fieldErr(field, "the amount must be more than zero")
	}
	return v, nil
}

// validCurrency reports whether s looks like an ISO 4217 code.
func validCurrency(s string) bool { return money.ValidCurrency(s) }

// AmountWords words the amount a money action moved (minor units of
// currency, Stripe's sign): a credit adjustment's amount is a change of the
// customer balance ("€12.50 credit", "€2.00 debit", as a balance
// transaction reads); every other action's is an amount of money.
func AmountWords(a Action, minor int64, currency string) string {
	if a == ActionCredit {
		return money.Movement(minor, currency)
	}
	return money.Format(minor, currency)
}

// AmountLabel names the amount a money action's plan carries, as results
// and the audit show it: a dispute's actions carry the disputed amount
// (they move none), a credit adjustment a balance change, a plan change its
// prorations, a void or a write-off what the invoice still owed; every
// other action the amount it moves.
func AmountLabel(a Action) string {
	switch a {
	case ActionDisputeEvidence, ActionDisputeAccept:
		return "Disputed amount"
	case ActionCredit:
		return "Balance change"
	case ActionPlanChange:
		return "Prorations"
	case ActionInvoiceVoid:
		return "Amount voided"
	case ActionInvoiceUncollect:
		return "Written off"
	}
	return "Amount"
}
