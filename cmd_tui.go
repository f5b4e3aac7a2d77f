package main

import (
	"context"
	"flag"
	"io"
	"log/slog"

	"github.com/paydesk/paydesk/webhookd"
)

// tuiOptions holds the console's flags.
type tuiOptions struct {
	config
	offline  bool
	readOnly bool
	whAddr   string
}

// cmdTUI parses the command line of `paydesk tui` and runs runTUI.
func cmdTUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o tuiOptions
	fs := flag.NewFlagSet("tui", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.BoolVar(&o.offline, "offline", false, "never call Stripe: browse the cache only")
	fs.BoolVar(&o.readOnly, "read-only", false, "hide and refuse every money action")
	fs.StringVar(&o.whAddr, "webhook-addr", envOr("PAYDESK_WEBHOOK_ADDR", webhookd.DefaultAddr), "webhook receiver address (env PAYDESK_WEBHOOK_ADDR; used when STRIPE_WEBHOOK_SECRET is set)")
	fs.Float64Var(&o.Rate, "rate", 0, "request rate cap per second (0: the key's default)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return runTUI(ctx, o, stdout, stderr)
}

// runTUI opens the console on the account's cache: the webhook receiver
// runs when a signing secret is configured, and with a key the cache is
// backfilled and caught up in the background; without one it browses
// offline.
func runTUI(ctx context.Context, o tuiOptions, stdout, stderr io.Writer) error {
	c := o.config
	if o.offline && o.readOnly {
		deps, done, err := browseOnly(c)
		if err != nil {
			return err
		}
		defer done()
		return runConsole(ctx, deps)
	}
	rt, err := ownCache(ctx, c, "paydesk tui", o.whAddr, o.offline, nil)
	if err != nil {
		return err
	}
	defer rt.Close()
	return runConsole(ctx, consoleDeps{
		store: rt.Store, client: rt.Client, webhookURL: rt.WebhookURL, offline: rt.Offline, readOnly: o.readOnly,
		account: rt.Account, mode: rt.Mode, logger: rt.Logger,
	})
}

// browseOnly opens the cache for `paydesk tui --offline --read-only`:
// bbolt read-only (a file the user may only read, or one another reader
// has open, still opens), no webhook receiver, no sync and no Stripe
// client — nothing in the process writes. done closes the cache.
func browseOnly(c config) (consoleDeps, func(), error) {
	store, err := openCacheReader(c)
	if err != nil {
		return consoleDeps{}, nil, err
	}
	deps := consoleDeps{store: store, offline: true, readOnly: true, account: accountName(store, ""),
		logger: slog.New(slog.DiscardHandler)}
	if acct, err := store.Account(); err == nil {
		deps.mode = acct.Mode
	}
	return deps, func() { store.Close() }, nil
}
