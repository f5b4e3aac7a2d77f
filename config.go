package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/webhookd"
)

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
func openStore(path, holder string, webhooks bool, clocks billing.Clocks) (*storage.Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create cache dir: %w", err)
	}
	// Cache stamps in account time; intents and audit records in real time
	// (billing.Clocks: Wall defaults to Account, both to the wall clock).
	clocks.Account = orWall(clocks.Account)
	if clocks.Wall == nil {
		clocks.Wall = clocks.Account
	}
	opts := storage.Options{Timeout: time.Second, Holder: holder, Now: clocks.Account, Wall: clocks.Wall}
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
	return billing.New(billing.Config{SecretKey: c.Key, APIBase: c.APIBase, RateLimit: c.Rate, Logger: logger, Clocks: billing.Clocks{Account: orWall(now)}})
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

// splitPositional takes a leading positional argument off args so that
// flags may follow it ("ls invoices --status open").
func splitPositional(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// parsePositional parses args with fs and returns the one positional
// argument, written before the flags or after them ("ls invoices --json",
// "ls --json invoices"); "" when there is none.
func parsePositional(fs *flag.FlagSet, args []string) (string, error) {
	arg, rest := splitPositional(args)
	if err := parseFlags(fs, rest); err != nil {
		return "", err
	}
	if arg == "" && fs.NArg() > 0 {
		arg = fs.Arg(0)
	}
	return arg, nil
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

// ownCache opens the account's cache for this process (holder names it in
// the lock note) through Open: the receiver when a signing secret is set,
// the background sync with a key unless offline. A nil logger appends to a
// log file beside the cache.
func ownCache(ctx context.Context, c config, holder, whAddr string, offline bool, logger *slog.Logger) (*Runtime, error) {
	path, err := c.dbPath()
	if err != nil {
		return nil, err
	}
	rc := RuntimeConfig{Path: path, Holder: holder, Key: c.Key, APIBase: c.APIBase, Rate: c.Rate,
		WebhookAddr: whAddr, Offline: offline, Logger: logger}
	if c.WebhookSecrets != "" {
		if rc.WebhookSecrets, err = webhookd.ParseSecrets(c.WebhookSecrets); err != nil {
			return nil, fmt.Errorf("webhooks: %w", err) // err names the variable
		}
	}
	return Open(ctx, rc)
}

// parseFlags parses a command's flags. --help prints the command's flags
// (flag.ErrHelp, exit 0); a bad flag is a usage error (exit 2) worded once,
// with where to find the flags, instead of the flag package's message
// followed by every default.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return err
	case err != nil:
		return usageErr("%v (paydesk %s --help lists its flags)", err, fs.Name())
	}
	return nil
}
