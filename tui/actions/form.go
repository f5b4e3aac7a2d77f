package actions

import (
	"context"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
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
