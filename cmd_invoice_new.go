package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/cli"
)

// oneOffItems is the repeatable --item flag: "AMOUNT DESCRIPTION", the
// amount in money.Parse's grammar, the description after the first space.
type oneOffItems []billing.OneOffItem

func (v *oneOffItems) String() string { return fmt.Sprint(len(*v), " items") }

func (v *oneOffItems) Set(s string) error {
	amount, desc, _ := strings.Cut(strings.TrimSpace(s), " ")
	if strings.TrimSpace(desc) == "" {
		return errors.New(`an item is "AMOUNT DESCRIPTION", e.g. "120.00 Onboarding workshop"`)
	}
	*v = append(*v, billing.OneOffItem{Amount: amount, Description: desc})
	return nil
}

// invoiceNewOptions holds `paydesk invoice new`'s flags and CUSTOMER.
type invoiceNewOptions struct {
	config
	req  billing.OneOffInvoiceRequest
	send cli.Confirm
}

// cmdInvoiceNew parses `paydesk invoice new CUSTOMER --item "AMOUNT
// DESCRIPTION"... [--currency C] [--send] [--yes]` and runs runInvoiceNew.
func cmdInvoiceNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o invoiceNewOptions
	var items oneOffItems
	fs := flag.NewFlagSet("invoice new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.Var(&items, "item", `one line, "AMOUNT DESCRIPTION" (repeat for more lines, at most 10)`)
	fs.StringVar(&o.req.Currency, "currency", "", "the invoice's currency when the customer has none yet (ISO code)")
	fs.BoolVar(&o.req.Send, "send", false, "email the finalized invoice to the customer")
	confirmFlags(fs, &o.send, "bill it (without: print what would be sent)")
	var err error
	if o.req.Customer, err = parsePositional(fs, args); err != nil {
		return err
	}
	o.req.Items = items
	return runInvoiceNew(ctx, o, stdout)
}

// runInvoiceNew bills a one-off invoice from a script through the same
// intents, steps, confirmation lines and audit as the console's I.
func runInvoiceNew(ctx context.Context, o invoiceNewOptions, stdout io.Writer) error {
	switch {
	case o.req.Customer == "":
		return usageErr("invoice new needs a customer (cus_...)")
	case len(o.req.Items) == 0:
		return usageErr(`invoice new needs at least one --item "AMOUNT DESCRIPTION"`)
	}
	return withMoney(o.config, "paydesk invoice new", func(acts *billing.Actions) error {
		return cli.Run(ctx, acts, func() (*billing.Plan, error) {
			return acts.PrepareOneOffInvoice(ctx, localOperator(false), o.req)
		}, o.send, stdout)
	})
}

// cmdInvoiceLink prints a cached invoice's hosted payment page as
// "url https://…" (the console's H); a draft has none yet.
func cmdInvoiceLink(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("invoice link", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	id, err := parsePositional(fs, args)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(id, "in_") {
		return usageErr("invoice link needs an invoice (in_...)")
	}
	store, err := openCacheReader(c)
	if err != nil {
		return err
	}
	defer store.Close()
	env, err := store.Get(storage.KindInvoice, id)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("invoice %s is not in the cache: check the id, or run `paydesk sync`", id)
	}
	if err != nil {
		return fmt.Errorf("invoice link %s: %w", id, err)
	}
	var inv map[string]any
	if err := json.Unmarshal(env.Raw, &inv); err != nil {
		return fmt.Errorf("invoice link %s: %w", id, err)
	}
	url := billing.HostedInvoiceURL(inv)
	if url == "" {
		return fmt.Errorf("invoice %s has no hosted page (status %s): Stripe makes one when the invoice is finalized", id, safetext.Line(env.Status))
	}
	_, err = fmt.Fprintf(stdout, "url %s\n", url)
	return err
}
