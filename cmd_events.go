package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/webhookd"
)

// eventsOptions holds events' flags.
type eventsOptions struct {
	config
	follow  bool
	typ     string
	verdict string
	object  string
	limit   int
	asJSON  bool
	whAddr  string
}

// cmdEvents parses the command line of `paydesk events` and runs runEvents.
func cmdEvents(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o eventsOptions
	fs := flag.NewFlagSet("events", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.BoolVar(&o.follow, "follow", false, "keep printing deliveries as they arrive (runs the webhook receiver)")
	fs.StringVar(&o.typ, "type", "", "event type glob, e.g. 'invoice.*'")
	fs.StringVar(&o.verdict, "verdict", "", "applied, duplicate, older, conflict, version_mismatch, recorded or rejected")
	fs.StringVar(&o.object, "object", "", "deliveries of one Stripe object id")
	fs.IntVar(&o.limit, "limit", 50, "deliveries printed from the log (without --follow)")
	fs.BoolVar(&o.asJSON, "json", false, "one JSON object per line")
	fs.StringVar(&o.whAddr, "webhook-addr", envOr("PAYDESK_WEBHOOK_ADDR", webhookd.DefaultAddr), "webhook receiver address with --follow (env PAYDESK_WEBHOOK_ADDR)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return runEvents(ctx, o, stdout, stderr)
}

// runEvents prints the webhook delivery log. With --follow it owns the
// cache like the console does (receiver, background sync) and streams each
// delivery as it is logged.
func runEvents(ctx context.Context, o eventsOptions, stdout, stderr io.Writer) error {
	c := o.config
	f := storage.DeliveryFilter{Type: o.typ, Verdict: storage.Verdict(o.verdict), ObjectID: o.object}
	if err := f.Validate(); err != nil {
		return usageErr("%v", err)
	}
	if o.follow {
		rt, err := ownCache(ctx, c, "paydesk events --follow", o.whAddr, false, nil)
		if err != nil {
			return err
		}
		defer rt.Close()
		return webhookd.Follow(ctx, rt.Store, f, stdout, o.asJSON)
	}
	store, err := openCacheReader(c)
	if err != nil {
		return err
	}
	defer store.Close()
	page, err := store.QueryDeliveries(storage.DeliveryQuery{DeliveryFilter: f, Limit: o.limit})
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	slices.Reverse(page.Items)
	for _, d := range page.Items {
		if err := webhookd.WriteDelivery(stdout, d, o.asJSON); err != nil {
			return err
		}
	}
	return nil
}
