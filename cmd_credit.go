package main

import (
	"context"
	"flag"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// creditOptions holds credit's flags and its CUSTOMER argument.
type creditOptions struct {
	config
	customer string
	req      billing.CreditRequest
	debit    bool
	send     cli.Confirm
}

// cmdCredit parses the command line of `paydesk credit` and runs runCredit.
func cmdCredit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o creditOptions
	fs := flag.NewFlagSet("credit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.StringVar(&o.req.Amount, "amount", "", "amount, e.g. 12.50")
	fs.StringVar(&o.req.Currency, "currency", "", "currency of the adjustment (default: the customer's)")
	fs.StringVar(&o.req.Description, "description", "", "why (shown to the customer on invoices)")
	fs.BoolVar(&o.debit, "debit", false, "take credit away (the customer owes more) instead of granting it")
	confirmFlags(fs, &o.send, "send it (without: print what would be sent)")
	var rest []string
	o.customer, rest = splitPositional(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	return runCredit(ctx, o, stdout, stderr)
}

// runCredit adjusts a customer's credit balance from a script.
func runCredit(ctx context.Context, o creditOptions, stdout, stderr io.Writer) error {
	c, req, customer := o.config, o.req, o.customer
	if customer == "" {
		return usageErr("credit needs a customer (cus_...)")
	}
	req.Customer, req.Direction = customer, billing.DirectionCredit
	if o.debit {
		req.Direction = billing.DirectionDebit
	}
	return withMoney(c, "paydesk credit", func(acts *billing.Actions) error {
		return cli.Run(ctx, acts, func() (*billing.Plan, error) { return acts.PrepareCredit(ctx, localOperator(false), req) }, o.send, stdout)
	})
}
