package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
)

// demoOptions holds demo's flags.
type demoOptions struct {
	customers int
	seed      int64
	headless  bool
	serve     bool
	dbFlag    string
	whAddr    string
	tick      time.Duration
	step      time.Duration
	nowFlag   string
	warmup    time.Duration
}

// cmdDemo parses the command line of `paydesk demo` and runs runDemo.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o demoOptions
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.customers, "customers", 500, "seeded customers (up to 1,000,000)")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the generated account")
	fs.BoolVar(&o.headless, "headless", false, "no console: backfill, print a summary and exit (or keep serving with --serve)")
	fs.BoolVar(&o.serve, "serve", false, "with --headless: keep the sandbox, webhooks and demo clock running until interrupted")
	fs.StringVar(&o.dbFlag, "db", "", "cache file (default: a temporary file removed on exit)")
	fs.StringVar(&o.whAddr, "webhook-addr", "127.0.0.1:0", "webhook receiver address")
	fs.DurationVar(&o.tick, "tick", demoTick, "real time between demo clock steps (0 stops the clock)")
	fs.DurationVar(&o.step, "step", demoStep, "account time each demo clock step advances")
	fs.StringVar(&o.nowFlag, "now", "", "freeze the clocks at this RFC 3339 time (screenshots, tests); the demo clock still steps the account's")
	fs.DurationVar(&o.warmup, "warmup", 0, "after the backfill, advance the account this long at once so the webhook views start with traffic")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return runDemo(ctx, o, stdout, stderr)
}

// runDemo runs the whole product against a seeded local sandbox: sandbox
// on loopback, the embedded webhook receiver registered as its endpoint,
// a fresh cache filled by the same backfill as real Stripe, a clock that
// keeps billing moving, and the console (or nothing, with --headless).
func runDemo(ctx context.Context, o demoOptions, stdout, stderr io.Writer) error {
	clock, wall := wallClock, wallClock
	if o.nowFlag != "" {
		at, err := time.Parse(time.RFC3339, o.nowFlag)
		if err != nil {
			return usageErr("--now wants an RFC 3339 time like 2026-11-23T12:00:00Z: %v", err)
		}
		clock = func() time.Time { return at }
		wall = clock
	}
	if o.customers < 0 || o.customers > 1_000_000 {
		return usageErr("--customers is 0 to 1,000,000")
	}
	logger, closeLog, err := demoLogger(o.headless, stderr)
	if err != nil {
		return err
	}
	defer closeLog()

	path := o.dbFlag
	if path == "" {
		dir, err := os.MkdirTemp("", "paydesk-demo-")
		if err != nil {
			return fmt.Errorf("demo cache dir: %w", err)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	}
	if err := replaceDemoCache(path, stderr); err != nil {
		return err
	}
	secret, err := newSecret()
	if err != nil {
		return err
	}
	// The sandbox is the demo's Stripe. Its account clock, which the demo
	// clock moves ahead, also stamps the cache, so "cached 2h ago" reads in
	// account time.
	sb, err := sandbox.New(sandbox.Options{Seed: o.seed, Customers: o.customers, Logger: logger, Now: clock, WebhookClock: wall})
	if err != nil {
		return fmt.Errorf("demo sandbox: %w", err)
	}
	apiBase, err := sb.Start()
	if err != nil {
		return fmt.Errorf("demo sandbox: %w", err)
	}
	rt, err := Open(ctx, RuntimeConfig{Path: path, Holder: "paydesk demo", Key: sb.APIKey(), APIBase: apiBase, Rate: 5000,
		WebhookSecrets: []string{secret}, WebhookAddr: o.whAddr, Clocks: billing.Clocks{Account: sb.Now, Wall: wall},
		FirstSync: stderr, FirstSyncTTY: isTerminal(stderr), Mode: "demo", Logger: logger})
	if err != nil {
		sb.Close()
		return err
	}
	// The sandbox stops before the receiver so no delivery is cut off.
	defer func() {
		sb.Close()
		rt.Close()
	}()
	store, client := rt.Store, rt.Client
	sb.AddEndpoint(rt.WebhookURL, secret)

	if o.warmup > 0 {
		if err := warmUp(ctx, sb, client, store, o.warmup); err != nil {
			return err
		}
	}
	if o.headless && !o.serve {
		return printCounts(stdout, store)
	}
	if o.tick > 0 {
		go runDemoClock(ctx, sb, o.tick, o.step, logger)
	}
	if o.headless {
		if err := printCounts(stdout, store); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "serving: sandbox %s, webhooks %s; Ctrl-C to stop\n", apiBase, rt.WebhookURL)
		<-ctx.Done()
		return nil
	}
	return runConsole(ctx, consoleDeps{
		store: store, client: client, webhookURL: rt.WebhookURL, clocks: billing.Clocks{Account: sb.Now, Wall: wall},
		account: cmp.Or(rt.Account, "Demo account"), mode: "demo", logger: logger,
	})
}

// demoLogger logs to stderr when headless, or to a file beside the temp
// dir when the console owns the terminal.
func demoLogger(headless bool, stderr io.Writer) (*slog.Logger, func(), error) {
	if headless {
		return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), func() {}, nil
	}
	f, err := os.CreateTemp("", "paydesk-demo-*.log")
	if err != nil {
		return nil, nil, fmt.Errorf("demo log: %w", err)
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})), func() { f.Close() }, nil
}

// replaceDemoCache readies a cache file reopened with --db. The demo's
// Stripe is generated anew on each run, so a previous demo's cache (its
// objects, events, audit records and pending intents) would contradict the
// new account: it is replaced, and stderr says so. A cache of a live or
// test account is never touched: the demo refuses it. A cache another
// process holds fails with the store's lock error.
func replaceDemoCache(path string, stderr io.Writer) error {
	if _, err := os.Stat(path); err != nil {
		return nil // a fresh cache
	}
	store, err := openStore(path, "paydesk demo", false, billing.Clocks{})
	if err != nil {
		return err
	}
	acct, err := store.Account()
	store.Close()
	if err != nil {
		return fmt.Errorf("demo cache %s: %w", path, err)
	}
	if acct.Mode != "" && acct.Mode != "demo" {
		return usageErr("%s is the cache of a %s account (%s): the demo needs a file of its own (omit --db for a temporary one)",
			path, acct.Mode, safetext.Line(acct.ID))
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("demo cache: %w", err)
	}
	fmt.Fprintf(stderr, "demo: the demo account is generated anew on each run; replaced the previous demo's cache at %s\n", path)
	return nil
}

// The demo clock's pace: every demoTick of real time the account moves
// demoStep, so ten minutes of watching are about 2.8 days of account time.
// Renewals, failures and retries keep the tail moving, while disputes
// still need a response, invoices still have retries pending and failed
// payments are still in Dunning's 7-day window when a newcomer gets to
// them (at 4 h a tick every open dispute was closed within six minutes).
const (
	demoTick = 3 * time.Second
	demoStep = 20 * time.Minute
)

// runDemoClock advances the sandbox's account time so renewals, failed
// payments, retries, recoveries and disputes happen while someone watches.
func runDemoClock(ctx context.Context, sb *sandbox.Server, tick, step time.Duration, logger *slog.Logger) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ids := sb.Advance(step)
			logger.Info("demo clock", "now", sb.Now().UTC().Format(time.RFC3339), "events", len(ids))
		}
	}
}

// warmUp advances the account by d in one step, waits until the webhooks
// it emitted have all been logged by the receiver and refetches what they
// left stale, so whatever starts next sees a settled cache.
func warmUp(ctx context.Context, sb *sandbox.Server, client *billing.Client, store *storage.Store, d time.Duration) error {
	ids := sb.Advance(d)
	deadline := time.Now().Add(30 * time.Second)
	for {
		logged, err := store.Deliveries(0, 1)
		if err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		if len(ids) == 0 || (len(logged) == 1 && int(logged[0].Seq) >= len(ids)) {
			if _, err := client.RefreshStale(ctx, store, len(ids)+1); err != nil {
				return fmt.Errorf("warm-up: %w", err)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("warm-up: %d events emitted, webhooks still arriving after 30 s", len(ids))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// printCounts prints how many objects of each kind the cache holds.
func printCounts(w io.Writer, store *storage.Store) error {
	for _, k := range storage.Kinds {
		n, err := store.Count(k)
		if err != nil {
			return fmt.Errorf("count %s: %w", k, err)
		}
		fmt.Fprintf(w, "%-30s %8d\n", k, n)
	}
	return nil
}

// newSecret makes a fresh signing secret for the demo's own endpoint.
func newSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make webhook secret: %w", err)
	}
	return "whsec_" + hex.EncodeToString(b), nil
}
