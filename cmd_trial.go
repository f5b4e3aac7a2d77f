package main

import (
	"context"
	"flag"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// trialOptions holds `paydesk trial`'s flags and its SUBSCRIPTION.
type trialOptions struct {
	config
	sub  string
	end  string
	now  bool
	send cli.Confirm
}

// cmdTrial parses `paydesk trial SUBSCRIPTION (--now | --end DATE) [--yes]`
// and runs runTrial.
func cmdTrial(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o trialOptions
	fs := flag.NewFlagSet("trial", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.StringVar(&o.end, "end", "", "new trial end, UTC: 2026-12-31 (end of that day) or \"2026-12-31 09:00\"")
	fs.BoolVar(&o.now, "now", false, "end the trial now: the first paid invoice is made at once")
	confirmFlags(fs, &o.send, "send it (without: print what would be sent and Stripe's preview of the next invoice)")
	var err error
	if o.sub, err = parsePositional(fs, args); err != nil {
		return err
	}
	return runTrial(ctx, o, stdout)
}

// runTrial ends or extends a trial from a script through the same
// intents, preview, confirmation lines and audit as the console.
func runTrial(ctx context.Context, o trialOptions, stdout io.Writer) error {
	switch {
	case o.sub == "":
		return usageErr("trial needs a trialing subscription (sub_...)")
	case o.now == (o.end != ""):
		return usageErr("trial needs exactly one of --now or --end DATE")
	}
	req := billing.TrialRequest{Subscription: o.sub, Action: billing.ActionTrialEnd}
	if !o.now {
		end, err := billing.ParseTrialEnd(o.end)
		if err != nil {
			return usageErr("--end: %s", billing.ExplainAction(err))
		}
		req.Action, req.End = billing.ActionTrialExtend, end
	}
	return withMoney(o.config, "paydesk trial", func(acts *billing.Actions) error {
		return cli.Run(ctx, acts, func() (*billing.Plan, error) { return acts.PrepareTrial(ctx, localOperator(false), req) }, o.send, stdout)
	})
}
