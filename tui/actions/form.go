package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/tui/common"
)

// actionForm is what one money action adds to the shared Flow: its fields,
// bound to values it keeps (so a rebuilt form shows every typed value
// again), what it reads before the operator types, and its Prepare call.
type actionForm interface {
	// heading names the action and its target ("Refund ch_…").
	heading() string
	// target is the Stripe id acted on (live notices about it are followed).
	target() string
	// load reads what the form shows before typing (refundable amount,
	// price options). It runs in a tea.Cmd; the returned func applies the
	// result on the Update goroutine. Nil when there is nothing to read.
	load(ctx context.Context, c *common.Common) (func(), error)
	// info is shown above the form and on the confirmation.
	info(c *common.Common) []string
	// fields builds the form's fields bound to the action's values, the
	// FieldError's message under its field. No fields: the action has no
	// values to type and prepares at once.
	fields(c *common.Common, fe *billing.FieldError) []huh.Field
	// prepare asks billing for the plan (and, for plan changes, the
	// upcoming invoice preview).
	prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error)
}

// describe is a field's description with the FieldError's message under
// it when the error belongs to field.
func describe(c *common.Common, base, field string, fe *billing.FieldError) string {
	if fe == nil || fe.Field != field {
		return base
	}
	msg := c.Styles.Bad.Render("✗ " + billing.ExplainAction(fe))
	if base == "" {
		return msg
	}
	return base + "\n" + msg
}

// optionsOf turns a list of values into select options, with an optional
// first entry for "none".
func optionsOf(none string, values ...string) []huh.Option[string] {
	var out []huh.Option[string]
	if none != "" {
		out = append(out, huh.NewOption(none, ""))
	}
	for _, v := range values {
		out = append(out, huh.NewOption(strings.ReplaceAll(v, "_", " "), v))
	}
	return out
}

// checked gives an input its own check, run as the operator leaves the
// field (enter, tab): a refusal keeps the cursor on it and is shown under
// it, worded and styled as a FieldError from billing ("✗ …", not huh's
// "* …" at the bottom of the form); a value that passes clears the
// field's earlier FieldError, so no stale error stays under a field the
// cursor has left.
func checked(c *common.Common, in *huh.Input, base, field string, fe *billing.FieldError, check func(string) error) *huh.Input {
	in.Description(describe(c, base, field, fe))
	return in.Validate(func(s string) error {
		err := check(s)
		if err == nil {
			in.Description(base)
			return nil
		}
		msg := strings.TrimSuffix(err.Error(), ".")
		if fe, ok := billing.AsFieldError(err); ok {
			msg = fe.Message
		}
		in.Description(describe(c, base, field, &billing.FieldError{Field: field, Message: msg}))
		return err
	})
}

// amountCheck refuses what billing would refuse of an amount field before
// anything is prepared: not a number in cur, zero, or over most (minor
// units; 0: no limit, over words the limit with a %s for it). Empty
// passes unless required.
func amountCheck(cur string, required bool, most int64, over string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			if required {
				return errors.New("enter an amount")
			}
			return nil
		}
		v, err := money.Parse(s, cur)
		var pe *money.ParseError
		switch {
		case errors.As(err, &pe):
			if strings.HasPrefix(pe.Reason, "at most ") { // as billing words it
				return errors.New(pe.Reason + " for " + strings.ToUpper(cur))
			}
			return errors.New(pe.Reason)
		case err != nil:
			return err
		case v == 0:
			return errors.New("the amount must be more than zero")
		case most > 0 && v > most:
			return fmt.Errorf(over, money.Format(most, cur))
		}
		return nil
	}
}
