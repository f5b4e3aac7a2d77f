// Command paydesk is a terminal console for a Stripe account's billing.
//
// main.go only wires packages together: it reads configuration, opens the
// cache, builds the Stripe client, starts the webhook receiver and hands
// them to the console, the SSH server or the scriptable commands. The work
// itself lives in storage, billing, webhookd and tui.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/cli"
	"github.com/paydesk/paydesk/tui/common"
	pdssh "github.com/paydesk/paydesk/tui/ssh"
	"github.com/paydesk/paydesk/webhookd"
)

const usage = `paydesk: a terminal console for a Stripe account's billing

Usage:
  paydesk [tui]            open the console on the cache (default)
  paydesk demo             console on a seeded local sandbox; no keys, no network
  paydesk serve            webhook receiver + sync + console over SSH for a team
  paydesk sync             backfill the cache from Stripe, then catch up on events
  paydesk ls KIND          list cached objects (customers, subs, invoices, ...)
  paydesk get ID           print one cached object
  paydesk events           print the webhook delivery log (--follow to stream)
  paydesk refund CHARGE    refund a charge or payment intent (prints the plan; sends with --yes)
  paydesk credit CUSTOMER  adjust a customer's credit balance (prints the plan; sends with --yes)

Run "paydesk COMMAND -h" for a command's flags.

Environment:
  STRIPE_SECRET_KEY      secret (sk_) or restricted (rk_) key; without one, paydesk browses the cache offline
  STRIPE_WEBHOOK_SECRET  endpoint signing secret(s), comma-separated while rolling
  STRIPE_API_BASE        API base URL override (a sandbox or stripe-mock)
  PAYDESK_DB             cache file (default $XDG_DATA_HOME/paydesk/<account>.db)
  PAYDESK_ACCOUNT        account name used in the default cache path (default "default")
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches one command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runContext(ctx, args, stdout, stderr)
}

// runContext is run with the context that stops long-running commands
// (serve, demo --serve, events --follow): a signal in the program, the test
// in tests.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "tui"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "tui":
		err = cmdTUI(ctx, args, stdout, stderr)
	case "demo":
		err = cmdDemo(ctx, args, stdout, stderr)
	case "serve":
		err = cmdServe(ctx, args, stdout, stderr)
	case "sync":
		err = cmdSync(ctx, args, stdout, stderr)
	case "ls":
		err = cmdList(args, stdout, stderr)
	case "get":
		err = cmdGet(args, stdout, stderr)
	case "events":
		err = cmdEvents(ctx, args, stdout, stderr)
	case "refund":
		err = cmdRefund(ctx, args, stdout, stderr)
	case "credit":
		err = cmdCredit(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "paydesk: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "paydesk %s: %v\n", cmd, err)
		return 2
	default:
		fmt.Fprintf(stderr, "paydesk %s: %s\n", cmd, explain(err))
		return 1
	}
}

// explain words an error for the operator: Stripe failures through
// billing.Explain, with what to do when Stripe cannot be reached.
func explain(err error) string {
	if billing.IsOffline(err) {
		return "Stripe is unreachable: check the network (or STRIPE_API_BASE); the cache keeps what it has and the next sync resumes where this one stopped."
	}
	return billing.Explain(err)
}

// errUsage marks a bad command line (exit code 2).
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// config is what paydesk reads from the environment and common flags.
type config struct {
	Key            string
	APIBase        string
	WebhookSecrets string
	DB             string
	Account        string
	Rate           float64
}

// commonFlags registers the flags every cache-using command shares.
func commonFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.DB, "db", os.Getenv("PAYDESK_DB"), "cache file (env PAYDESK_DB)")
	fs.StringVar(&c.Account, "account", envOr("PAYDESK_ACCOUNT", "default"), "account name for the default cache path (env PAYDESK_ACCOUNT)")
	c.Key = os.Getenv("STRIPE_SECRET_KEY")
	c.APIBase = os.Getenv("STRIPE_API_BASE")
	c.WebhookSecrets = os.Getenv(webhookd.SecretEnv)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// dbPath resolves the cache file: --db, PAYDESK_DB, then the XDG data dir.
func (c config) dbPath() (string, error) {
	if c.DB != "" {
		return c.DB, nil
	}
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the data dir: %w; set PAYDESK_DB", err)
		}
		base = filepath.Join(home, ".local", "share")
	}
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, c.Account)
	return filepath.Join(base, "paydesk", name+".db"), nil
}

// wallClock is the process's clock (UTC instants; the operator's zone is
// applied on screen). It is the wall clock; the root package's tests set it
// to their fixed anchor so a sandbox on that anchor and this process agree
// on what "now" is, as Stripe and a real process do.
var wallClock = time.Now

// orWall returns now, or the process's clock when now is nil.
func orWall(now func() time.Time) func() time.Time {
	if now == nil {
		return wallClock
	}
	return now
}

// openStore opens (creating if needed) the cache for a process that owns
// it; webhooks says whether concurrent webhook writers will use it.
func openStore(path, holder string, webhooks bool, now func() time.Time) (*storage.Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create cache dir: %w", err)
	}
	opts := storage.Options{Timeout: time.Second, Holder: holder, Now: orWall(now)}
	if webhooks {
		opts = webhookd.StoreOptions(opts)
	}
	return storage.Open(path, opts)
}

// openCacheReader opens an existing cache for the read-only commands.
func openCacheReader(c config) (*storage.Store, error) {
	path, err := c.dbPath()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no cache at %s: run `paydesk sync` first (or set PAYDESK_DB): %w", path, err)
	}
	return storage.Open(path, storage.Options{Timeout: time.Second, Holder: "paydesk read", ReadOnly: true})
}

// newClient builds the Stripe client, or returns nil when no key is set.
func newClient(c config, logger *slog.Logger, now func() time.Time) (*billing.Client, error) {
	if c.Key == "" {
		return nil, nil
	}
	return billing.New(billing.Config{SecretKey: c.Key, APIBase: c.APIBase, RateLimit: c.Rate, Logger: logger, Now: orWall(now)})
}

// newSecret makes a fresh signing secret for the demo's own endpoint.
func newSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make webhook secret: %w", err)
	}
	return "whsec_" + hex.EncodeToString(b), nil
}

// isTerminal reports whether f is a character device.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// listen opens a loopback-or-configured TCP listener with a clear error.
func listen(addr, what string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for %s on %s: %w (another paydesk running? pick another address)", what, addr, err)
	}
	return ln, nil
}

// cmdSync backfills the cache from Stripe with a progress bar, then applies
// the events that arrived meanwhile.
func cmdSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	full := fs.Bool("full", false, "forget the stored cursors and fetch everything again")
	fs.Float64Var(&c.Rate, "rate", 0, "request rate cap per second (0: 25 for test keys, 90 for live keys)")
	if err := fs.Parse(args); err != nil {
		return err
	}
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
	store, err := openStore(path, "paydesk sync", false, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	if *full {
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

// cmdList prints one page (or --limit rows) of a kind from the cache.
func cmdList(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("ls", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	status := fs.String("status", "", "only objects in this status (active, past_due, open, ...)")
	customer := fs.String("customer", "", "only objects of this customer id")
	filter := fs.String("filter", "", "id, email, name or number prefix")
	limit := fs.Int("limit", 50, "rows to print")
	sortBy := fs.String("sort", "created", "created or amount")
	asc := fs.Bool("asc", false, "oldest (or smallest) first")
	asJSON := fs.Bool("json", false, "one Stripe object per line (for jq)")
	kindArg, rest := splitPositional(args)
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if kindArg == "" && fs.NArg() > 0 {
		kindArg = fs.Arg(0)
	}
	kind, ok := storage.ParseKind(kindArg)
	if !ok {
		return usageErr("ls needs a kind: customers, products, prices, subscriptions, invoices, charges, refunds, disputes, balance_transactions, payment_intents (got %q)", kindArg)
	}
	if *limit < 1 {
		return usageErr("--limit must be at least 1")
	}
	q := storage.Query{Kind: kind, Status: *status, Customer: *customer, Search: *filter, Asc: *asc}
	switch *sortBy {
	case "created":
		q.Sort = storage.SortCreated
	case "amount":
		q.Sort = storage.SortAmount
	default:
		return usageErr("--sort is created or amount, not %q", *sortBy)
	}
	store, err := openCacheReader(c)
	if err != nil {
		return err
	}
	defer store.Close()
	var items []storage.Envelope
	for len(items) < *limit {
		q.Limit = min(*limit-len(items), 500)
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
	if *asJSON {
		return cli.JSONLines(stdout, items)
	}
	return cli.Table(stdout, kind, items, time.Local)
}

// splitPositional takes a leading positional argument off args so that
// flags may follow it ("ls invoices --status open").
func splitPositional(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// cmdGet prints one cached object by id.
func cmdGet(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	asJSON := fs.Bool("json", false, "the Stripe object on one line")
	id, rest := splitPositional(args)
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	if id == "" {
		return usageErr("get needs an id (cus_..., sub_..., in_..., ch_..., re_..., dp_...)")
	}
	store, err := openCacheReader(c)
	if err != nil {
		return err
	}
	defer store.Close()
	env, err := store.Find(id)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%s is not in the cache: check the id, or run `paydesk sync`", id)
	}
	if err != nil {
		return fmt.Errorf("get %s: %w", id, err)
	}
	return cli.Object(stdout, env, *asJSON, func(t int64) string { return time.Unix(t, 0).Format(time.RFC3339) })
}

// cmdDemo runs the whole product against a seeded local sandbox: sandbox
// on loopback, the embedded webhook receiver registered as its endpoint,
// a fresh cache filled by the same backfill as real Stripe, a clock that
// keeps billing moving, and the console (or nothing, with --headless).
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	customers := fs.Int("customers", 500, "seeded customers (up to 1,000,000)")
	seed := fs.Int64("seed", 1, "seed of the generated account")
	headless := fs.Bool("headless", false, "no console: backfill, print a summary and exit (or keep serving with --serve)")
	serve := fs.Bool("serve", false, "with --headless: keep the sandbox, webhooks and demo clock running until interrupted")
	dbFlag := fs.String("db", "", "cache file (default: a temporary file removed on exit)")
	whAddr := fs.String("webhook-addr", "127.0.0.1:0", "webhook receiver address")
	tick := fs.Duration("tick", 3*time.Second, "real time between demo clock steps (0 stops the clock)")
	step := fs.Duration("step", 4*time.Hour, "account time each demo clock step advances")
	nowFlag := fs.String("now", "", "freeze the clocks at this RFC 3339 time (screenshots, tests); the demo clock still steps the account's")
	warmup := fs.Duration("warmup", 0, "after the backfill, advance the account this long at once so the webhook views start with traffic")
	if err := fs.Parse(args); err != nil {
		return err
	}
	clock, wall := wallClock, wallClock
	if *nowFlag != "" {
		at, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usageErr("--now wants an RFC 3339 time like 2026-11-23T12:00:00Z: %v", err)
		}
		clock = func() time.Time { return at }
		wall = clock
	}
	if *customers < 0 || *customers > 1_000_000 {
		return usageErr("--customers is 0 to 1,000,000")
	}
	logger, closeLog, err := demoLogger(*headless, stderr)
	if err != nil {
		return err
	}
	defer closeLog()

	path := *dbFlag
	if path == "" {
		dir, err := os.MkdirTemp("", "paydesk-demo-")
		if err != nil {
			return fmt.Errorf("demo cache dir: %w", err)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	}
	// The cache stamps copies with the account's clock, which the demo
	// clock moves ahead, so "cached 2h ago" reads in account time.
	var live atomic.Pointer[sandbox.Server]
	accountNow := func() time.Time {
		if sb := live.Load(); sb != nil {
			return sb.Now()
		}
		return clock()
	}
	store, err := openStore(path, "paydesk demo", true, accountNow)
	if err != nil {
		return err
	}
	defer store.Close()

	secret, err := newSecret()
	if err != nil {
		return err
	}
	rx, err := startReceiver(ctx, webhookd.Config{Addr: *whAddr, Secrets: []string{secret}, Logger: logger, Now: wall}, store, logger)
	if err != nil {
		return err
	}
	defer rx.stop()

	// The sandbox stops before the receiver so no delivery is cut off.
	sb, err := sandbox.New(sandbox.Options{Seed: *seed, Customers: *customers, Logger: logger, Now: clock, WebhookClock: wall})
	if err != nil {
		return fmt.Errorf("demo sandbox: %w", err)
	}
	apiBase, err := sb.Start()
	if err != nil {
		return fmt.Errorf("demo sandbox: %w", err)
	}
	defer sb.Close()
	live.Store(sb)
	sb.AddEndpoint(rx.url, secret)

	client, err := billing.New(billing.Config{SecretKey: sb.APIKey(), APIBase: apiBase, RateLimit: 5000, Logger: logger, Now: sb.Now})
	if err != nil {
		return err
	}
	if _, err := backfillAndCatchUp(ctx, client, store, rx.server, stderr, isTerminal(stderr), "demo"); err != nil {
		return err
	}
	if *warmup > 0 {
		if err := warmUp(ctx, sb, client, store, *warmup); err != nil {
			return err
		}
	}
	if *headless && !*serve {
		return printCounts(stdout, store)
	}
	go webhookd.RunPeriodic(ctx, time.Minute, func(ctx context.Context) error {
		_, err := client.CatchUp(ctx, store, rx.server)
		return err
	}, func(err error) { logger.Warn("catch-up", "err", billing.Explain(err)) })
	go keepFresh(ctx, client, store, logger)
	if *tick > 0 {
		go runDemoClock(ctx, sb, *tick, *step, logger)
	}
	if *headless {
		if err := printCounts(stdout, store); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "serving: sandbox %s, webhooks %s; Ctrl-C to stop\n", apiBase, rx.url)
		<-ctx.Done()
		return nil
	}
	return runConsole(ctx, consoleDeps{
		store: store, client: client, receiving: true, now: sb.Now, wall: wall,
		account: accountName(store, "Demo account"), mode: "demo", logger: logger,
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

// cmdTUI opens the console on the account's cache: the webhook receiver
// runs when a signing secret is configured, and with a key the cache is
// backfilled and caught up in the background; without one it browses
// offline.
func cmdTUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("tui", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	offline := fs.Bool("offline", false, "never call Stripe: browse the cache only")
	readOnly := fs.Bool("read-only", false, "hide and refuse every money action")
	whAddr := fs.String("webhook-addr", envOr("PAYDESK_WEBHOOK_ADDR", webhookd.DefaultAddr), "webhook receiver address (when STRIPE_WEBHOOK_SECRET is set)")
	fs.Float64Var(&c.Rate, "rate", 0, "request rate cap per second (0: the key's default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	own, err := ownCache(ctx, c, "paydesk tui", *whAddr, *offline, nil)
	if err != nil {
		return err
	}
	defer own.close()
	store, rt, logger := own.store, own.rt, own.logger
	return runConsole(ctx, consoleDeps{
		store: store, client: rt.client, receiving: rt.receiving, offline: rt.offline, readOnly: *readOnly,
		account: rt.account, mode: rt.mode, logger: logger,
	})
}

// owned is a cache this process owns and what runs beside it.
type owned struct {
	store  *storage.Store
	rt     *runtime
	logger *slog.Logger
	close  func()
}

// ownCache opens the account's cache for this process (holder names it in
// the lock note) and starts the receiver and background sync beside it.
// A nil logger appends to a log file beside the cache.
func ownCache(ctx context.Context, c config, holder, whAddr string, offline bool, logger *slog.Logger) (*owned, error) {
	path, err := c.dbPath()
	if err != nil {
		return nil, err
	}
	closeLog := func() {}
	if logger == nil {
		if logger, closeLog, err = fileLogger(path + ".log"); err != nil {
			return nil, err
		}
	}
	store, err := openStore(path, holder, true, nil)
	if err != nil {
		closeLog()
		return nil, err
	}
	rt, err := startRuntime(ctx, c, store, whAddr, offline, logger)
	if err != nil {
		store.Close()
		closeLog()
		return nil, err
	}
	return &owned{store: store, rt: rt, logger: logger, close: func() {
		rt.stop()
		store.Close()
		closeLog()
	}}, nil
}

// fileLogger appends the process log to path (the console owns the
// terminal, so nothing may print there).
func fileLogger(path string) (*slog.Logger, func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})), func() { f.Close() }, nil
}

// runtime is what a cache-owning process runs beside its screens: the
// webhook receiver (when a secret is set) and the background sync.
type runtime struct {
	webhookURL string // "" without a receiver
	client     *billing.Client
	receiving  bool // a webhook receiver feeds the cache
	offline    bool
	account    string
	mode       string
	stop       func()
}

// startRuntime starts the webhook receiver when a secret is configured and,
// with a key and not offline, a background backfill + catch-up every five
// minutes.
func startRuntime(ctx context.Context, c config, store *storage.Store, whAddr string, offline bool, logger *slog.Logger) (*runtime, error) {
	rt := &runtime{offline: offline, stop: func() {}}
	client, err := newClient(c, logger, nil)
	if err != nil {
		return nil, err
	}
	rt.client = client
	var apply billing.Applier = billing.StoreApplier{Store: store}
	if c.WebhookSecrets != "" {
		secrets, err := webhookd.ParseSecrets(c.WebhookSecrets)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", webhookd.SecretEnv, err)
		}
		rx, err := startReceiver(ctx, webhookd.Config{Addr: whAddr, Secrets: secrets, Logger: logger}, store, logger)
		if err != nil {
			return nil, err
		}
		rt.receiving, apply, rt.stop, rt.webhookURL = true, rx.server, rx.stop, rx.url
		logger.Info("webhooks", "url", rx.url)
	}
	rt.account = accountName(store, "")
	if acct, err := store.Account(); err == nil {
		rt.mode = acct.Mode
	}
	if client == nil {
		rt.offline = true
		return rt, nil
	}
	if rt.mode == "" {
		rt.mode = string(client.Mode())
	}
	if !offline {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := client.Ping(pctx)
		cancel()
		if err != nil {
			logger.Warn("stripe unreachable, browsing the cache", "err", billing.Explain(err))
			rt.offline = billing.IsOffline(err) || billing.IsAuth(err)
		}
		if !rt.offline {
			go webhookd.RunPeriodic(ctx, 5*time.Minute, func(ctx context.Context) error {
				_, err := backfillAndCatchUp(ctx, client, store, apply, io.Discard, false, "")
				return err
			}, func(err error) { logger.Warn("sync", "err", billing.Explain(err)) })
			go keepFresh(ctx, client, store, logger)
		}
	}
	return rt, nil
}

// cmdServe is the team process: it owns the cache, receives webhooks,
// keeps the cache synced and serves the console over SSH, one session per
// staff member with the role their key has.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	sshAddr := fs.String("ssh-addr", envOr("PAYDESK_SSH_ADDR", "127.0.0.1:2222"), "SSH listen address")
	whAddr := fs.String("webhook-addr", envOr("PAYDESK_WEBHOOK_ADDR", webhookd.DefaultAddr), "webhook receiver address")
	keys := fs.String("authorized-keys", os.Getenv("PAYDESK_AUTHORIZED_KEYS"), "authorized keys with roles (default: authorized_keys beside the cache)")
	hostKey := fs.String("host-key", "", "SSH host key (default: ssh_host_ed25519 beside the cache)")
	maxSessions := fs.Int("max-sessions", 64, "concurrent SSH sessions")
	idle := fs.Duration("idle-timeout", 30*time.Minute, "close sessions idle this long")
	connRate := fs.Float64("conn-rate", 5, "new SSH connections accepted per second (negative: no limit)")
	connBurst := fs.Int("conn-burst", 20, "new SSH connections accepted at once above --conn-rate")
	fs.Float64Var(&c.Rate, "rate", 0, "request rate cap per second (0: the key's default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.WebhookSecrets == "" {
		return fmt.Errorf("serve: %w: set %s to the endpoint's signing secret (whsec_...)", webhookd.ErrNoSecret, webhookd.SecretEnv)
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if *keys == "" {
		*keys = filepath.Join(dir, "authorized_keys")
	}
	if *hostKey == "" {
		*hostKey = filepath.Join(dir, "ssh_host_ed25519")
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	own, err := ownCache(ctx, c, "paydesk serve", *whAddr, false, logger)
	if err != nil {
		return err
	}
	defer own.close()
	store, rt := own.store, own.rt
	if err := registerActions(); err != nil {
		return err
	}
	money := moneyActions(rt.client, store, wallClock)
	srv, err := pdssh.New(pdssh.Config{
		Addr: *sshAddr, HostKeyPath: *hostKey, AuthorizedKeysPath: *keys,
		IdleTimeout: *idle, MaxSessions: *maxSessions, ConnRate: *connRate, ConnBurst: *connBurst, Logger: logger,
	}, func(sess pdssh.Session) (tea.Model, error) {
		op := sess.Operator()
		cm := common.New(common.Common{
			Store: store, Billing: rt.client, Receiving: rt.receiving, Offline: rt.offline, Money: money, Now: wallClock, Wall: wallClock,
			Operator: op, ReadOnly: op.Role == billing.RoleViewer, Authorize: sess.Authorize,
			Account: rt.account, Mode: rt.mode, Logger: logger.With("operator", op.Name),
			Renderer: sess.Renderer, Width: sess.Width, Height: sess.Height,
		})
		return tui.New(cm), nil
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := listen(*sshAddr, "SSH")
	if err != nil {
		return err
	}
	go func() {
		if err := srv.Serve(ln); err != nil {
			logger.Error("ssh server stopped", "err", err)
		}
	}()
	fmt.Fprintf(stdout, "paydesk serve: ssh -p %s %s (host key %s); webhooks on %s\n",
		portOf(ln.Addr()), hostOf(ln.Addr()), srv.HostKeyFingerprint(), rt.webhookURL)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func portOf(a net.Addr) string {
	_, port, _ := net.SplitHostPort(a.String())
	return port
}

func hostOf(a net.Addr) string {
	host, _, _ := net.SplitHostPort(a.String())
	return host
}

// cmdEvents prints the webhook delivery log. With --follow it owns the
// cache like the console does (receiver, background sync) and streams each
// delivery as it is logged.
func cmdEvents(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("events", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	follow := fs.Bool("follow", false, "keep printing deliveries as they arrive (runs the webhook receiver)")
	typ := fs.String("type", "", "event type glob, e.g. 'invoice.*'")
	verdict := fs.String("verdict", "", "applied, duplicate, older, conflict, version_mismatch, recorded or rejected")
	object := fs.String("object", "", "deliveries of one Stripe object id")
	limit := fs.Int("limit", 50, "deliveries printed from the log (without --follow)")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	whAddr := fs.String("webhook-addr", envOr("PAYDESK_WEBHOOK_ADDR", webhookd.DefaultAddr), "webhook receiver address with --follow")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f := storage.DeliveryFilter{Type: *typ, Verdict: storage.Verdict(*verdict), ObjectID: *object}
	if err := f.Validate(); err != nil {
		return usageErr("%v", err)
	}
	if *follow {
		own, err := ownCache(ctx, c, "paydesk events --follow", *whAddr, false, nil)
		if err != nil {
			return err
		}
		defer own.close()
		return webhookd.Follow(ctx, own.store, f, stdout, *asJSON)
	}
	store, err := openCacheReader(c)
	if err != nil {
		return err
	}
	defer store.Close()
	page, err := store.QueryDeliveries(storage.DeliveryQuery{DeliveryFilter: f, Limit: *limit})
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	slices.Reverse(page.Items)
	for _, d := range page.Items {
		if err := webhookd.WriteDelivery(stdout, d, *asJSON); err != nil {
			return err
		}
	}
	return nil
}

// cmdRefund refunds a charge from a script, through the same intents,
// confirmation lines and audit as the console.
func cmdRefund(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("refund", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	var req billing.RefundRequest
	fs.StringVar(&req.Amount, "amount", "", "amount in the charge's currency, e.g. 12.50 (default: everything still refundable)")
	fs.StringVar(&req.Currency, "currency", "", "refuse unless the charge is in this currency")
	fs.StringVar(&req.Reason, "reason", "", "duplicate, fraudulent or requested_by_customer")
	fs.StringVar(&req.Note, "note", "", "internal note kept in the refund's metadata")
	yes := fs.Bool("yes", false, "send it (without: print what would be sent)")
	target, rest := splitPositional(args)
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if target == "" {
		return usageErr("refund needs a charge (ch_...) or payment intent (pi_...)")
	}
	req.Target = target
	return withMoney(c, "paydesk refund", func(acts *billing.Actions) error {
		return cli.Refund(ctx, acts, localOperator(false), req, *yes, stdout)
	})
}

// cmdCredit adjusts a customer's credit balance from a script.
func cmdCredit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("credit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &c)
	var req billing.CreditRequest
	fs.StringVar(&req.Amount, "amount", "", "amount, e.g. 12.50")
	fs.StringVar(&req.Currency, "currency", "", "currency of the adjustment (default: the customer's)")
	fs.StringVar(&req.Description, "description", "", "why (shown to the customer on invoices)")
	debit := fs.Bool("debit", false, "take credit away (the customer owes more) instead of granting it")
	yes := fs.Bool("yes", false, "send it (without: print what would be sent)")
	customer, rest := splitPositional(args)
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if customer == "" {
		return usageErr("credit needs a customer (cus_...)")
	}
	req.Customer, req.Direction = customer, billing.DirectionCredit
	if *debit {
		req.Direction = billing.DirectionDebit
	}
	return withMoney(c, "paydesk credit", func(acts *billing.Actions) error {
		return cli.Credit(ctx, acts, localOperator(false), req, *yes, stdout)
	})
}

// withMoney opens the cache and the Stripe client a money command needs.
func withMoney(c config, holder string, fn func(*billing.Actions) error) error {
	client, err := newClient(c, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return err
	}
	if client == nil {
		return fmt.Errorf("%w: money actions need STRIPE_SECRET_KEY (a restricted key needs write access to the resource)", billing.ErrNoKey)
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	store, err := openStore(path, holder, false, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	return fn(billing.NewActions(client, store, wallClock))
}

// consoleDeps is what the console needs from the process.
type consoleDeps struct {
	store     *storage.Store
	client    *billing.Client
	receiving bool             // a webhook receiver feeds the cache
	now       func() time.Time // account time (nil: wall clock)
	wall      func() time.Time // transport time (nil: now)
	offline   bool
	readOnly  bool
	account   string
	mode      string
	logger    *slog.Logger
}

// runConsole runs the full-screen console until the operator quits.
func runConsole(ctx context.Context, d consoleDeps) error {
	if err := registerActions(); err != nil {
		return err
	}
	op := localOperator(d.readOnly)
	c := common.New(common.Common{
		Store: d.store, Billing: d.client, Receiving: d.receiving, Now: orWall(d.now), Wall: orWall(d.wall),
		// Money actions run on the wall clock: plan lifetimes and Stripe's
		// 24 h idempotency-key expiry are real time, even in the demo whose
		// account clock runs ahead.
		Money:    moneyActions(d.client, d.store, orWall(d.wall)),
		Operator: op, ReadOnly: d.readOnly, Offline: d.offline,
		Account: d.account, Mode: d.mode, Logger: d.logger,
	})
	m := tui.New(c)
	defer m.Close()
	_, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx)).Run()
	if err != nil && ctx.Err() != nil {
		return nil // interrupted: a clean exit
	}
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

// localOperator is the person at this terminal: user@host, an admin unless
// the session is read-only.
func localOperator(readOnly bool) billing.Operator {
	name := envOr("USER", "operator")
	if host, err := os.Hostname(); err == nil {
		name += "@" + host
	}
	role := billing.RoleAdmin
	if readOnly {
		role = billing.RoleViewer
	}
	return billing.Operator{Name: name, Role: role}
}

// registerActions puts the money-action forms on the detail pages once,
// before the first session starts.
var registerActions = sync.OnceValue(func() error {
	if err := actions.Register(common.DefaultActions); err != nil {
		return fmt.Errorf("register money actions: %w", err)
	}
	return nil
})

// moneyActions is the process's money-action layer, nil without a client.
func moneyActions(client *billing.Client, store *storage.Store, now func() time.Time) *billing.Actions {
	if client == nil {
		return nil
	}
	return billing.NewActions(client, store, now)
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

// keepFresh refetches stale objects: soon after an applied event leaves
// one stale (a same-second conflict, another API version), and every
// minute. The store's feed turns changes into wake-ups, whichever path
// (webhook or catch-up) applied the event.
func keepFresh(ctx context.Context, client *billing.Client, store *storage.Store, logger *slog.Logger) {
	wake := make(chan struct{}, 1)
	sub := store.Subscribe(256)
	go func() {
		<-ctx.Done()
		sub.Close()
	}()
	go func() {
		for {
			n, ok := sub.Next()
			if !ok {
				return
			}
			v := n.Result.Verdict
			if n.Reload || v == storage.VerdictConflict || v == storage.VerdictVersionMismatch {
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}
	}()
	client.KeepFresh(ctx, store, wake, time.Minute, func(err error) {
		logger.Warn("refresh stale objects", "err", billing.Explain(err))
	})
}
