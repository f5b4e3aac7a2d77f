package main

import (
	"context"
	"flag"
	"io"
	"strings"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// portalLinkOptions holds portal-link's flags and its CUSTOMER argument.
type portalLinkOptions struct {
	config
	req           billing.PortalRequest
	paymentMethod bool
	send          cli.Confirm
}

// cmdPortalLink parses `paydesk portal-link CUSTOMER [--update-payment-method]
// [--return-url URL] [--yes]` and runs runPortalLink.
func cmdPortalLink(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o portalLinkOptions
	fs := flag.NewFlagSet("portal-link", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.StringVar(&o.req.ReturnURL, "return-url", "", "https address the portal's back link goes to (default: the portal settings')")
	fs.BoolVar(&o.paymentMethod, "update-payment-method", false, "open the portal straight on updating the payment method")
	confirmFlags(fs, &o.send, "create it and print its url (without: print what would be sent)")
	var rest []string
	o.req.Customer, rest = splitPositional(args)
	if err := fs.Parse(rest); err != nil {
		return err
	}
	return runPortalLink(ctx, o, stdout)
}

// runPortalLink creates a billing-portal link for a customer and prints
// its URL (audited like every action: who created a link for whom).
func runPortalLink(ctx context.Context, o portalLinkOptions, stdout io.Writer) error {
	if !strings.HasPrefix(o.req.Customer, "cus_") {
		return usageErr("portal-link needs a customer (cus_...)")
	}
	if o.paymentMethod {
		o.req.Flow = billing.PortalPaymentMethodUpdate
	}
	return withMoney(o.config, "paydesk portal-link", func(acts *billing.Actions) error {
		return cli.PortalLink(ctx, acts, localOperator(false), o.req, o.send, stdout)
	})
}
