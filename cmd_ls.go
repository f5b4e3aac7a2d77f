package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/cli"
)

// lsOptions holds ls's flags and its KIND argument.
type lsOptions struct {
	config
	kindArg  string
	status   string
	customer string
	filter   string
	limit    int
	sortBy   string
	asc      bool
	asJSON   bool
	asCSV    bool
}

// cmdList parses the command line of `paydesk ls` and runs runList.
func cmdList(args []string, stdout, stderr io.Writer) error {
	var o lsOptions
	fs := flag.NewFlagSet("ls", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.StringVar(&o.status, "status", "", "only objects in this status (active, past_due, open, ...)")
	fs.StringVar(&o.customer, "customer", "", "only objects of this customer id")
	fs.StringVar(&o.filter, "filter", "", "prefix of any search term: id, email, name, number, phone, last4, description, metadata value, the customer's name or email")
	fs.IntVar(&o.limit, "limit", 50, "rows to print")
	fs.StringVar(&o.sortBy, "sort", "created", "created or amount")
	fs.BoolVar(&o.asc, "asc", false, "oldest (or smallest) first")
	fs.BoolVar(&o.asJSON, "json", false, "one Stripe object per line (for jq)")
	fs.BoolVar(&o.asCSV, "csv", false, "RFC 4180 CSV: the table's columns plus ids, amount in minor units and currency")
	var err error
	if o.kindArg, err = parsePositional(fs, args); err != nil {
		return err
	}
	return runList(o, stdout, stderr)
}

// runList prints one page (or --limit rows) of a kind from the cache.
func runList(o lsOptions, stdout, stderr io.Writer) error {
	c, kindArg := o.config, o.kindArg
	kind, ok := storage.ParseKind(kindArg)
	if !ok {
		return usageErr("ls needs a kind: customers, products, prices, subscriptions, invoices, charges, refunds, disputes, balance_transactions, payment_intents (intents), credit_notes, coupons, promotion_codes (got %q)", kindArg)
	}
	if o.limit < 1 {
		return usageErr("--limit must be at least 1")
	}
	q := storage.Query{Kind: kind, Status: o.status, Customer: o.customer, Search: o.filter, Asc: o.asc}
	switch o.sortBy {
	case "created":
		q.Sort = storage.SortCreated
	case "amount":
		q.Sort = storage.SortCurrencyAmount // amounts ranked within their currency
	default:
		return usageErr("--sort is created or amount, not %q", o.sortBy)
	}
	store, err := openCacheReader(c)
	if err != nil {
		return err
	}
	defer store.Close()
	var items []storage.Envelope
	for len(items) < o.limit {
		q.Limit = min(o.limit-len(items), 500)
		page, err := store.List(q)
		if err != nil {
			return fmt.Errorf("list %s: %w", kind, err)
		}
		items = append(items, page.Items...)
		if page.Next == "" || len(page.Items) == 0 {
			break
		}
		q.After = page.Next
	}
	if o.asJSON && o.asCSV {
		return usageErr("--json and --csv are exclusive")
	}
	if o.asJSON {
		return cli.JSONLines(stdout, items)
	}
	if o.asCSV {
		return cli.CSV(stdout, kind, items, time.Local)
	}
	return cli.Table(stdout, kind, items, time.Local)
}
