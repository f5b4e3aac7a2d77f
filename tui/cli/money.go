package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage/safetext"
)

// ErrNotConfirmed is returned (wrapped) by Refund and Credit without yes:
// the plan was printed, nothing was sent.
var ErrNotConfirmed = errors.New("nothing was sent: add --yes to send")

// Confirm is how a money command was asked to send: Yes sends (without
// it the plan is printed, recorded as planned and nothing is sent); Again
// sends even when a request of the same money (billing.ActionSpec.Repeat)
// succeeded recently.
type Confirm struct{ Yes, Again bool }

// ErrRepeat is returned (wrapped, matching billing.ErrRepeat) when --yes
// would repeat the money of a request that succeeded recently: nothing was
// sent.
var ErrRepeat = errors.New("add --again to send another")

// Run is a money command (`paydesk refund`, `credit`, `invoice`,
// `dispute accept`, `credit-note`, `customer edit`): prepare reads
// Stripe's fresh state and builds the plan; Run prints the plan's lines
// and only with c.Yes sends it and prints the outcome. Without Yes it
// records the plan (billing.Actions.RecordPlan: the --yes run of the same
// request sends the idempotency key printed) and returns ErrNotConfirmed.
// A plan repeating the money of a request that succeeded within
// billing.RepeatWindow is refused (ErrRepeat, audited) unless c.Again.
// Errors are worded with billing.ExplainAction and still match billing's
// sentinels (errors.Is).
func Run(ctx context.Context, acts *billing.Actions, prepare func() (*billing.Plan, error), c Confirm, out io.Writer) error {
	p, err := prepare()
	if err != nil {
		return earlierOr(err, out)
	}
	r, err := execute(ctx, acts, p, c, out)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "sent: %s %s -> %s (%s)\nidempotency key %s\nrequest id %s\nthe cache updates when the webhook arrives\n",
		p.Action, safetext.Line(p.Target), dash(safetext.Line(r.ResultID)), r.State, r.Key, dash(r.RequestID))
	return err
}

// earlierOr handles a prepare error: when an earlier intent of the same
// action on the same target turned out applied on Stripe (a re-run after
// a lost answer), it says so on out and succeeds, since what was asked
// for has happened and nothing was sent again; any other error is
// worded for the terminal.
func earlierOr(err error, out io.Writer) error {
	var ee *billing.EarlierError
	if !errors.Is(err, billing.ErrEarlierApplied) || !errors.As(err, &ee) {
		return explained(err)
	}
	r := ee.Result
	_, werr := fmt.Fprintf(out, "%s\nnot sent again: %s %s -> %s (%s)\nidempotency key %s\n",
		safetext.Line(billing.ExplainAction(err)), r.Action, safetext.Line(r.Target), dash(safetext.Line(r.ResultID)), r.State, r.Key)
	return werr
}

// execute prints p and, with yes, sends it; a failed send prints the
// intent's state and key before the worded error.
func execute(ctx context.Context, acts *billing.Actions, p *billing.Plan, c Confirm, out io.Writer) (billing.Result, error) {
	if err := PrintPlan(out, p); err != nil {
		return billing.Result{}, err
	}
	if !c.Yes {
		if err := acts.RecordPlan(p); err != nil {
			return billing.Result{}, err
		}
		return billing.Result{}, ErrNotConfirmed
	}
	if err := acts.Confirm(p, c.Again); err != nil {
		msg := strings.TrimSuffix(billing.ExplainAction(err), ".")
		if re := (*billing.RepeatError)(nil); errors.As(err, &re) {
			msg = re.Words()
		}
		return billing.Result{}, &actionError{msg: msg + "; " + ErrRepeat.Error(), err: errors.Join(ErrRepeat, err)}
	}
	r, err := acts.Execute(ctx, p)
	if err != nil {
		if r.Key != "" {
			fmt.Fprintf(out, "state %s, key %s\n", r.State, r.Key)
		}
		return r, explained(err)
	}
	return r, nil
}

// PrintPlan writes a plan's confirmation lines and warnings, aligned.
func PrintPlan(out io.Writer, p *billing.Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (as %s, read from Stripe at %s)\n", p.Action, safetext.Line(p.Target), safetext.Line(p.Operator.Name),
		p.PreparedAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	w := 0
	for _, l := range p.Lines {
		w = max(w, len([]rune(l.Label)))
	}
	for _, l := range p.Lines {
		fmt.Fprintf(&b, "  %-*s  %s\n", w, safetext.Line(l.Label), safetext.Line(l.Value))
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(&b, "  ! %s\n", safetext.Line(warn))
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// actionError words a money-action error for a terminal and keeps the
// original in the chain.
type actionError struct {
	msg string
	err error
}

func (e *actionError) Error() string { return e.msg }
func (e *actionError) Unwrap() error { return e.err }

func explained(err error) error { return &actionError{msg: billing.ExplainAction(err), err: err} }
