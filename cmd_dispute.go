package main

import (
	"context"
	"flag"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// disputeOptions holds `paydesk dispute`'s subcommand, flags and DISPUTE
// argument.
type disputeOptions struct {
	config
	verb    string // accept
	dispute string
	send    cli.Confirm
}

// cmdDispute parses `paydesk dispute accept DISPUTE` and runs runDispute.
func cmdDispute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o disputeOptions
	if len(args) > 0 {
		o.verb, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("dispute "+o.verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	confirmFlags(fs, &o.send, "send it: the dispute is closed as lost, for good (without: print what would be sent)")
	var err error
	if o.dispute, err = parsePositional(fs, args); err != nil {
		return err
	}
	return runDispute(ctx, o, stdout, stderr)
}

// runDispute accepts (closes) a dispute from a script, through the same
// intents, confirmation lines and audit as the console.
func runDispute(ctx context.Context, o disputeOptions, stdout, _ io.Writer) error {
	if o.verb != "accept" {
		return usageErr("dispute needs accept, then a dispute (dp_... or du_...)")
	}
	if o.dispute == "" {
		return usageErr("dispute accept needs a dispute (dp_... or du_...)")
	}
	return withMoney(o.config, "paydesk dispute", func(acts *billing.Actions) error {
		return cli.Run(ctx, acts, func() (*billing.Plan, error) {
			return acts.PrepareDisputeAccept(ctx, localOperator(false), billing.DisputeAcceptRequest{Dispute: o.dispute})
		}, o.send, stdout)
	})
}
