package main

import (
	"context"
	"flag"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// refundOptions holds refund's flags and its CHARGE argument.
type refundOptions struct {
	config
	target string
	req    billing.RefundRequest
	send   cli.Confirm
}

// cmdRefund parses the command line of `paydesk refund` and runs runRefund.
func cmdRefund(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o refundOptions
	fs := flag.NewFlagSet("refund", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.StringVar(&o.req.Amount, "amount", "", "amount in the charge's currency, e.g. 12.50 (default: everything still refundable)")
	fs.StringVar(&o.req.Currency, "currency", "", "refuse unless the charge is in this currency")
	fs.StringVar(&o.req.Reason, "reason", "", "duplicate, fraudulent or requested_by_customer")
	fs.StringVar(&o.req.Note, "note", "", "internal note kept in the refund's metadata")
	confirmFlags(fs, &o.send, "send it (without: print what would be sent)")
	var rest []string
	o.target, rest = splitPositional(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	return runRefund(ctx, o, stdout, stderr)
}

// runRefund refunds a charge from a script, through the same intents,
// confirmation lines and audit as the console.
func runRefund(ctx context.Context, o refundOptions, stdout, stderr io.Writer) error {
	c, req, target := o.config, o.req, o.target
	if target == "" {
		return usageErr("refund needs a charge (ch_...) or payment intent (pi_...)")
	}
	req.Target = target
	return withMoney(c, "paydesk refund", func(acts *billing.Actions) error {
		return cli.Run(ctx, acts, func() (*billing.Plan, error) { return acts.PrepareRefund(ctx, localOperator(false), req) }, o.send, stdout)
	})
}
