package main

import (
	"context"
	"flag"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// discountOptions holds `paydesk discount`'s flags and its TARGET.
type discountOptions struct {
	config
	req    billing.DiscountRequest
	remove bool
	send   cli.Confirm
}

// cmdDiscount parses `paydesk discount CUSTOMER|SUBSCRIPTION (--code CODE
// | --remove) [--yes]` and runs runDiscount.
func cmdDiscount(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o discountOptions
	fs := flag.NewFlagSet("discount", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.StringVar(&o.req.Code, "code", "", "promotion code customers type (any case) or coupon id to apply")
	fs.BoolVar(&o.remove, "remove", false, "remove the current discount")
	confirmFlags(fs, &o.send, "send it (without: print what would be sent)")
	var err error
	if o.req.Target, err = parsePositional(fs, args); err != nil {
		return err
	}
	return runDiscount(ctx, o, stdout)
}

// runDiscount applies or removes a discount from a script through the same
// intents, confirmation lines and audit as the console's discount form.
func runDiscount(ctx context.Context, o discountOptions, stdout io.Writer) error {
	switch {
	case o.req.Target == "":
		return usageErr("discount needs a customer (cus_...) or subscription (sub_...)")
	case o.remove == (o.req.Code != ""):
		return usageErr("discount needs exactly one of --code CODE or --remove")
	}
	o.req.Mode = billing.DiscountApply
	if o.remove {
		o.req.Mode = billing.DiscountRemove
	}
	return withMoney(o.config, "paydesk discount", func(acts *billing.Actions) error {
		return cli.Run(ctx, acts, func() (*billing.Plan, error) { return acts.PrepareDiscount(ctx, localOperator(false), o.req) }, o.send, stdout)
	})
}
