package main

import (
	"context"
	"flag"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// invoiceOptions holds `paydesk invoice`'s subcommand, flags and INVOICE
// argument.
type invoiceOptions struct {
	config
	verb    string // finalize, delete or void
	invoice string
	send    cli.Confirm
}

// invoiceVerbs maps `paydesk invoice` subcommands to their actions.
var invoiceVerbs = map[string]billing.Action{
	"finalize": billing.ActionInvoiceFinalize,
	"delete":   billing.ActionInvoiceDelete,
	"void":     billing.ActionInvoiceVoid,
}

// cmdInvoice parses `paydesk invoice finalize|delete|void INVOICE` and runs
// runInvoice.
func cmdInvoice(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o invoiceOptions
	if len(args) > 0 {
		o.verb, args = args[0], args[1:]
	}
	switch o.verb {
	case "new":
		return cmdInvoiceNew(ctx, args, stdout, stderr)
	case "link":
		return cmdInvoiceLink(args, stdout, stderr)
	}
	fs := flag.NewFlagSet("invoice "+o.verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	confirmFlags(fs, &o.send, "send it (without: print what would be sent)")
	var err error
	if o.invoice, err = parsePositional(fs, args); err != nil {
		return err
	}
	return runInvoice(ctx, o, stdout, stderr)
}

// runInvoice finalizes or deletes a draft invoice, or voids an open or
// uncollectible one, from a script, through the same intents,
// confirmation lines and audit as the console.
func runInvoice(ctx context.Context, o invoiceOptions, stdout, _ io.Writer) error {
	act, ok := invoiceVerbs[o.verb]
	if !ok {
		return usageErr("invoice needs new CUSTOMER, link INVOICE, finalize or delete and a draft invoice (in_...), or void and an open or uncollectible one")
	}
	if o.invoice == "" {
		return usageErr("invoice %s needs an invoice (in_...)", o.verb)
	}
	return withMoney(o.config, "paydesk invoice", func(acts *billing.Actions) error {
		return cli.Run(ctx, acts, func() (*billing.Plan, error) {
			return acts.PrepareInvoice(ctx, localOperator(false), billing.InvoiceRequest{Invoice: o.invoice, Action: act})
		}, o.send, stdout)
	})
}
