package main

import (
	"context"
	"flag"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// creditNoteOptions holds `paydesk credit-note`'s flags and its INVOICE
// argument, or "void" and a CREDIT_NOTE.
type creditNoteOptions struct {
	config
	target string // the invoice, or the credit note to void
	void   bool
	req    billing.CreditNoteRequest
	send   cli.Confirm
}

// cmdCreditNote parses `paydesk credit-note INVOICE ...` or
// `paydesk credit-note void CREDIT_NOTE` and runs runCreditNote.
func cmdCreditNote(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o creditNoteOptions
	if len(args) > 0 && args[0] == "void" {
		o.void, args = true, args[1:]
	}
	fs := flag.NewFlagSet("credit-note", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.StringVar(&o.req.Amount, "amount", "", "amount to credit, in the invoice's currency, e.g. 12.50")
	fs.StringVar(&o.req.Refund, "refund", "", "paid invoice: part refunded to its charge")
	fs.StringVar(&o.req.Credit, "credit", "", "paid invoice: part credited to the customer's balance")
	fs.StringVar(&o.req.OutOfBand, "out-of-band", "", "paid invoice: part settled outside Stripe (the three parts add up to --amount)")
	fs.StringVar(&o.req.Reason, "reason", "", "duplicate, fraudulent, order_change or product_unsatisfactory")
	fs.StringVar(&o.req.Memo, "memo", "", "memo shown to the customer on the credit note")
	confirmFlags(fs, &o.send, "send it (without: print what would be sent)")
	var err error
	if o.target, err = parsePositional(fs, args); err != nil {
		return err
	}
	return runCreditNote(ctx, o, stdout, stderr)
}

// runCreditNote issues or voids a credit note from a script, through the
// same intents, preview, confirmation lines and audit as the console.
func runCreditNote(ctx context.Context, o creditNoteOptions, stdout, _ io.Writer) error {
	if o.target == "" {
		if o.void {
			return usageErr("credit-note void needs a credit note (cn_...)")
		}
		return usageErr("credit-note needs an open or paid invoice (in_...), or void and a credit note (cn_...)")
	}
	return withMoney(o.config, "paydesk credit-note", func(acts *billing.Actions) error {
		if o.void {
			return cli.Run(ctx, acts, func() (*billing.Plan, error) {
				return acts.PrepareCreditNoteVoid(ctx, localOperator(false), billing.CreditNoteVoidRequest{CreditNote: o.target})
			}, o.send, stdout)
		}
		req := o.req
		req.Invoice = o.target
		return cli.Run(ctx, acts, func() (*billing.Plan, error) { return acts.PrepareCreditNote(ctx, localOperator(false), req) }, o.send, stdout)
	})
}
