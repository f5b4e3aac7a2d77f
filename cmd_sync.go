package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/paydesk/paydesk/billing"
)

// syncOptions holds sync's flags.
type syncOptions struct {
	config
	full bool
}

// cmdSync parses the command line of `paydesk sync` and runs runSync.
func cmdSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o syncOptions
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.BoolVar(&o.full, "full", false, "forget the stored cursors and fetch everything again")
	fs.Float64Var(&o.Rate, "rate", 0, "request rate cap per second (0: 25 for test keys, 90 for live keys)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return runSync(ctx, o, stdout, stderr)
}

// runSync backfills the cache from Stripe with a progress bar, then applies
// the events that arrived meanwhile.
func runSync(ctx context.Context, o syncOptions, stdout, stderr io.Writer) error {
	c := o.config
	// stripe-go's own retry chatter stays out of the terminal: the outcome
	// is reported once, in words, when sync ends.
	client, err := newClient(c, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return err
	}
	if client == nil {
		return fmt.Errorf("sync: %w: set STRIPE_SECRET_KEY to a secret key or a restricted key with read access", billing.ErrNoKey)
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	store, err := openStore(path, "paydesk sync", false, billing.Clocks{})
	if err != nil {
		return err
	}
	defer store.Close()
	defer billing.LimitMemoryForSync()()
	if o.full {
		if err := store.ResetCursors(); err != nil {
			return fmt.Errorf("sync: %w", err)
		}
	}
	n, err := backfillAndCatchUp(ctx, client, store, billing.StoreApplier{Store: store}, stderr, isTerminal(stderr), "")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "cache %s is current (%d events applied)\n", path, n)
	return nil
}
