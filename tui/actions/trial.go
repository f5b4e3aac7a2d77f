package actions

import (
	"context"
	"encoding/json"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
)

// trialForm ends a running trial now or moves its end (T on a trialing
// subscription). Ending it is support's; extending it is finance's, and
// is offered only to a role that may.
type trialForm struct {
	sub      subFacts
	trialEnd int64
	mode     string // billing.ActionTrialEnd or ActionTrialExtend
	end      string // typed new end (extend)
}

func newTrialForm(env storage.Envelope) *trialForm {
	f := &trialForm{sub: subFactsOf(env), mode: string(billing.ActionTrialEnd)}
	var s struct {
		TrialEnd int64 `json:"trial_end"`
	}
	_ = json.Unmarshal(env.Raw, &s)
	f.trialEnd = s.TrialEnd
	return f
}

func (f *trialForm) heading() string                                      { return "Trial of " + f.sub.id }
func (f *trialForm) target() string                                       { return f.sub.id }
func (f *trialForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *trialForm) info(c *common.Common) []string {
	l := f.sub.line(c)
	if f.trialEnd > 0 {
		l += " · trial ends " + format.Date(f.trialEnd, c.Loc)
	}
	return []string{l}
}

func (f *trialForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	opts := []huh.Option[string]{huh.NewOption("end the trial now — the first paid period is invoiced at once", string(billing.ActionTrialEnd))}
	if c.Operator.Role.Can(billing.ActionTrialExtend) {
		opts = append(opts, huh.NewOption("move the trial's end to a date", string(billing.ActionTrialExtend)))
	}
	out := []huh.Field{huh.NewSelect[string]().Key("action").Title("Trial").Options(opts...).Value(&f.mode).
		Description(describe(c, "", "action", fe))}
	if len(opts) > 1 {
		out = append(out, huh.NewInput().Key("end").Title("New end (UTC)").Value(&f.end).Placeholder("2026-12-31 or 2026-12-31 09:00").
			Description(describe(c, "for a move only; at most 730 days ahead", "end", fe)))
	}
	return out
}

func (f *trialForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	req := billing.TrialRequest{Subscription: f.sub.id, Action: billing.Action(f.mode)}
	if req.Action == billing.ActionTrialExtend {
		end, err := billing.ParseTrialEnd(f.end)
		if err != nil {
			return nil, nil, err
		}
		req.End = end
	}
	p, err := c.Money.PrepareTrial(ctx, c.Operator, req)
	return p, nil, err
}
