package main

import (
	"context"
	"flag"
	"io"
	"strings"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/cli"
)

// customerFlags maps `paydesk customer edit` flags to billing.CustomerFields.
var customerFlags = []struct{ flag, field, usage string }{
	{"email", "email", "new email (empty clears it)"},
	{"name", "name", "new name"},
	{"phone", "phone", "new phone"},
	{"description", "description", "new description (internal, shown in the Dashboard)"},
	{"line1", "address.line1", "address line 1"},
	{"line2", "address.line2", "address line 2"},
	{"city", "address.city", "address city"},
	{"state", "address.state", "address state or region"},
	{"postal-code", "address.postal_code", "address postal code"},
	{"country", "address.country", "address country, two capitals (FR, US)"},
	{"note", "note", "internal note (metadata[paydesk_note]); empty removes it"},
}

// customerOptions holds `customer edit`'s flags and its CUSTOMER argument.
type customerOptions struct {
	config
	customer string
	// fields are the flags given on the command line only: a flag left
	// out leaves its field as it is.
	fields map[string]string
	send   cli.Confirm
}

// cmdCustomer parses `paydesk customer edit CUSTOMER --field value… [--yes]`
// and runs runCustomerEdit.
func cmdCustomer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "edit" {
		return usageErr("customer takes a subcommand: customer edit CUSTOMER --email … [--yes]")
	}
	o := customerOptions{fields: map[string]string{}}
	fs := flag.NewFlagSet("customer edit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	values := map[string]*string{}
	for _, f := range customerFlags {
		values[f.flag] = fs.String(f.flag, "", f.usage)
	}
	confirmFlags(fs, &o.send, "send it (without: print what would be sent)")
	var rest []string
	o.customer, rest = splitPositional(args[1:])
	if err := fs.Parse(rest); err != nil {
		return err
	}
	fs.Visit(func(fl *flag.Flag) {
		for _, f := range customerFlags {
			if f.flag == fl.Name {
				o.fields[f.field] = *values[f.flag]
			}
		}
	})
	return runCustomerEdit(ctx, o, stdout)
}

// runCustomerEdit edits a customer from a script through the same
// intents, confirmation lines and audit as the console.
func runCustomerEdit(ctx context.Context, o customerOptions, stdout io.Writer) error {
	if !strings.HasPrefix(o.customer, "cus_") {
		return usageErr("customer edit needs a customer (cus_...)")
	}
	if len(o.fields) == 0 {
		return usageErr("customer edit needs at least one field flag (--email, --name, --phone, --description, --line1 … --country, --note)")
	}
	return withMoney(o.config, "paydesk customer edit", func(acts *billing.Actions) error {
		return cli.Run(ctx, acts, func() (*billing.Plan, error) {
			return acts.PrepareCustomerEdit(ctx, localOperator(false), billing.CustomerEditRequest{Customer: o.customer, Fields: o.fields})
		}, o.send, stdout)
	})
}
