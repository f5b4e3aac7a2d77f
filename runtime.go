package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/cli"
	"github.com/paydesk/paydesk/webhookd"
)

// RuntimeConfig is what Open needs to run a process that owns a cache: the
// console (tui), serve, events --follow and demo, which points Key and
// APIBase at its sandbox and sets its clocks.
type RuntimeConfig struct {
	// Path is the cache file; Holder names this process in its lock note
	// ("paydesk serve").
	Path, Holder string
	// Key, APIBase and Rate build the Stripe client (billing.Config); no
	// Key: no client, the process browses the cache offline.
	Key, APIBase string
	Rate         float64
	// WebhookSecrets, when set, start the webhook receiver on WebhookAddr.
	WebhookSecrets []string
	WebhookAddr    string
	// Offline never calls Stripe (no ping, no background sync).
	Offline bool
	// Clocks: Account stamps the cache and drives the client, Wall the
	// receiver's receipts and signature tolerance (nil: the process's wall
	// clock).
	Clocks billing.Clocks
	// SyncEvery is the period of the background backfill + catch-up
	// (default 5 minutes); stale objects are refetched every minute and on
	// each change the feed announces that left one stale.
	SyncEvery time.Duration
	// FirstSync, when set, runs the first backfill + catch-up before Open
	// returns, with its progress on FirstSync (a terminal when FirstSyncTTY);
	// Mode is the backfill's mode label ("demo"). Unset: the first sync runs
	// in the background at once.
	FirstSync    io.Writer
	FirstSyncTTY bool
	Mode         string
	// Logger receives the process log (nil: appended to Path + ".log").
	Logger *slog.Logger
}

// Runtime is a cache this process owns and what runs beside it: the Stripe
// client, the webhook receiver and the background sync. Close stops them
// and closes the cache.
type Runtime struct {
	Store  *storage.Store
	Client *billing.Client // nil without a key
	Logger *slog.Logger
	// WebhookURL is where the receiver listens ("" without one).
	WebhookURL string
	// Offline: Stripe is not called (--offline, no key, or unreachable or
	// refusing the key at start).
	Offline bool
	// Account and Mode label the console's header.
	Account, Mode string

	apply  billing.Applier
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closes []func()
}

// Open opens the cache at c.Path for this process, builds the Stripe
// client, starts the webhook receiver when secrets are set and, with a key
// and not offline, the background sync (backfill + Events-API catch-up
// every c.SyncEvery, stale refetches). A Stripe that cannot be reached at
// start only makes the runtime Offline; a cache that cannot be opened or an
// address that cannot be listened on is an error.
func Open(ctx context.Context, c RuntimeConfig) (*Runtime, error) {
	r := &Runtime{Logger: c.Logger, Offline: c.Offline}
	ctx, r.cancel = context.WithCancel(ctx)
	r.closes = append(r.closes, r.cancel)
	ok := false
	defer func() {
		if !ok {
			r.Close()
		}
	}()
	if r.Logger == nil {
		logger, closeLog, err := fileLogger(c.Path + ".log")
		if err != nil {
			return nil, err
		}
		r.Logger = logger
		r.closes = append(r.closes, closeLog)
	}
	logger := r.Logger
	store, err := openStore(c.Path, c.Holder, true, c.Clocks)
	if err != nil {
		return nil, err
	}
	r.Store = store
	r.closes = append(r.closes, func() { store.Close() })
	if c.Key != "" {
		if r.Client, err = billing.New(billing.Config{SecretKey: c.Key, APIBase: c.APIBase, RateLimit: c.Rate, Logger: logger, Clocks: billing.Clocks{Account: orWall(c.Clocks.Account)}}); err != nil {
			return nil, err
		}
	}
	r.apply = billing.StoreApplier{Store: store, Clocks: billing.Clocks{Wall: orWall(c.Clocks.Wall)}}
	if len(c.WebhookSecrets) > 0 {
		rx, err := startReceiver(ctx, webhookd.Config{Addr: c.WebhookAddr, Secrets: c.WebhookSecrets, Logger: logger, Now: c.Clocks.Wall}, store, logger)
		if err != nil {
			return nil, err
		}
		r.apply, r.WebhookURL = rx.server, rx.url
		r.closes = append(r.closes, rx.stop)
		logger.Info("webhooks", "url", rx.url)
	}
	client := r.Client
	if client == nil {
		r.Offline = true
	} else if !r.Offline {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := client.Ping(pctx)
		cancel()
		if err != nil {
			logger.Warn("stripe unreachable, browsing the cache", "err", billing.Explain(err))
			r.Offline = billing.IsOffline(err) || billing.IsAuth(err)
		}
	}
	synced := false
	if !r.Offline && c.FirstSync != nil {
		if _, err := backfillAndCatchUp(ctx, client, store, r.apply, c.FirstSync, c.FirstSyncTTY, c.Mode); err != nil {
			return nil, err
		}
		synced = true
	}
	r.Account = accountName(store, "")
	if acct, err := store.Account(); err == nil {
		r.Mode = acct.Mode
	}
	if client != nil && r.Mode == "" {
		r.Mode = string(client.Mode())
	}
	if !r.Offline {
		r.goBackground(func() {
			webhookd.RunPeriodic(ctx, c.SyncEvery, func(ctx context.Context) error {
				if synced { // the first run already happened in the foreground
					synced = false
					return nil
				}
				_, err := backfillAndCatchUp(ctx, client, store, r.apply, io.Discard, false, c.Mode)
				return err
			}, func(err error) { logger.Warn("sync", "err", billing.Explain(err)) })
		})
		r.goBackground(func() { keepFresh(ctx, client, store, logger) })
	}
	ok = true
	return r, nil
}

// goBackground runs fn until the runtime's context ends; Close waits for it.
func (r *Runtime) goBackground(fn func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		fn()
	}()
}

// Close stops the background sync and waits for it, stops the receiver
// (letting in-flight deliveries commit), then closes the cache and the log.
func (r *Runtime) Close() {
	r.cancel()
	r.wg.Wait()
	for i := len(r.closes) - 1; i >= 0; i-- {
		r.closes[i]()
	}
	r.closes = nil
}

// receiver is a running webhook receiver.
type receiver struct {
	server *webhookd.Server
	url    string
	stop   func()
}

// startReceiver listens on cfg.Addr and serves webhooks until stop.
func startReceiver(ctx context.Context, cfg webhookd.Config, store *storage.Store, logger *slog.Logger) (*receiver, error) {
	cfg.Now = orWall(cfg.Now)
	srv, err := webhookd.New(cfg, store)
	if err != nil {
		return nil, fmt.Errorf("webhook receiver: %w", err)
	}
	ln, err := listen(srv.Config().Addr, "webhooks")
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil {
			logger.Error("webhook receiver stopped", "err", err)
		}
	}()
	stop := func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Warn("webhook receiver shutdown", "err", err)
		}
		<-done
	}
	return &receiver{server: srv, url: "http://" + ln.Addr().String() + srv.Config().Path, stop: stop}, nil
}

// backfillAndCatchUp runs the resumable backfill with progress on w, then
// the Events-API catch-up through apply. A gap older than Stripe's event
// retention restarts the backfill from scratch once.
func backfillAndCatchUp(ctx context.Context, client *billing.Client, store *storage.Store, apply billing.Applier, w io.Writer, tty bool, mode string) (int, error) {
	progress := cli.NewProgress(w, tty, storage.Kinds)
	opts := billing.BackfillOptions{OnProgress: progress.Update, Mode: mode}
	if err := client.Backfill(ctx, store, opts); err != nil {
		return 0, fmt.Errorf("backfill: %w", err)
	}
	n, err := client.CatchUp(ctx, store, apply)
	if errors.Is(err, billing.ErrResyncNeeded) {
		fmt.Fprintln(w, "the cache is older than Stripe's 30-day event window: fetching everything again")
		if err := store.ResetCursors(); err != nil {
			return 0, fmt.Errorf("resync: %w", err)
		}
		if err := client.Backfill(ctx, store, opts); err != nil {
			return 0, fmt.Errorf("resync: %w", err)
		}
		n, err = client.CatchUp(ctx, store, apply)
	}
	if err != nil {
		return n, fmt.Errorf("catch up: %w", err)
	}
	progress.Finish(n)
	return n, nil
}

// keepFresh refetches stale objects: soon after an applied event leaves
// one stale (a same-second conflict, another API version) or shows a
// customer's balance moved (its new balance transactions are read), and
// every minute (billing.Client.KeepStoreFresh).
func keepFresh(ctx context.Context, client *billing.Client, store *storage.Store, logger *slog.Logger) {
	client.KeepStoreFresh(ctx, store, time.Minute, func(err error) {
		logger.Warn("refresh stale objects", "err", billing.Explain(err))
	})
}

// accountName is the cached account's display name, its id, or def.
func accountName(store *storage.Store, def string) string {
	acct, err := store.Account()
	switch {
	case err != nil:
		return def
	case acct.Name != "":
		return acct.Name
	case acct.ID != "":
		return acct.ID
	}
	return def
}
