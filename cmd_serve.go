package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui"
	"github.com/paydesk/paydesk/tui/common"
	pdssh "github.com/paydesk/paydesk/tui/ssh"
	"github.com/paydesk/paydesk/webhookd"
)

// serveOptions holds serve's flags.
type serveOptions struct {
	config
	sshAddr     string
	whAddr      string
	keys        string
	hostKey     string
	maxSessions int
	idle        time.Duration
	connRate    float64
	connBurst   int
}

// cmdServe parses the command line of `paydesk serve` and runs runServe.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.StringVar(&o.sshAddr, "ssh-addr", envOr("PAYDESK_SSH_ADDR", "127.0.0.1:2222"), "SSH listen address")
	fs.StringVar(&o.whAddr, "webhook-addr", envOr("PAYDESK_WEBHOOK_ADDR", webhookd.DefaultAddr), "webhook receiver address (env PAYDESK_WEBHOOK_ADDR)")
	fs.StringVar(&o.keys, "authorized-keys", os.Getenv("PAYDESK_AUTHORIZED_KEYS"), "authorized keys with roles (default: authorized_keys beside the cache)")
	fs.StringVar(&o.hostKey, "host-key", "", "SSH host key (default: ssh_host_ed25519 beside the cache)")
	fs.IntVar(&o.maxSessions, "max-sessions", 64, "concurrent SSH sessions")
	fs.DurationVar(&o.idle, "idle-timeout", 30*time.Minute, "close sessions idle this long")
	fs.Float64Var(&o.connRate, "conn-rate", 5, "new SSH connections accepted per second (negative: no limit)")
	fs.IntVar(&o.connBurst, "conn-burst", 20, "new SSH connections accepted at once above --conn-rate")
	fs.Float64Var(&o.Rate, "rate", 0, "request rate cap per second (0: the key's default)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return runServe(ctx, o, stdout, stderr)
}

// runServe is the team process: it owns the cache, receives webhooks,
// keeps the cache synced and serves the console over SSH, one session per
// staff member with the role their key has.
func runServe(ctx context.Context, o serveOptions, stdout, stderr io.Writer) error {
	c := o.config
	if c.WebhookSecrets == "" {
		return fmt.Errorf("serve: %w: set %s to the endpoint's signing secret (whsec_...)", webhookd.ErrNoSecret, webhookd.SecretEnv)
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if o.keys == "" {
		o.keys = filepath.Join(dir, "authorized_keys")
	}
	if o.hostKey == "" {
		o.hostKey = filepath.Join(dir, "ssh_host_ed25519")
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rt, err := ownCache(ctx, c, "paydesk serve", o.whAddr, false, logger)
	if err != nil {
		return err
	}
	defer rt.Close()
	store := rt.Store
	if err := registerActions(); err != nil {
		return err
	}
	money := moneyActions(rt.Client, store, billing.Clocks{Account: wallClock, Wall: wallClock})
	srv, err := pdssh.New(pdssh.Config{
		Addr: o.sshAddr, HostKeyPath: o.hostKey, AuthorizedKeysPath: o.keys,
		IdleTimeout: o.idle, MaxSessions: o.maxSessions, ConnRate: o.connRate, ConnBurst: o.connBurst, Logger: logger,
	}, func(sess pdssh.Session) (tea.Model, error) {
		op := sess.Operator()
		cm := common.New(common.Common{
			Store: store, Billing: rt.Client, Receiving: rt.WebhookURL != "", WebhookURL: rt.WebhookURL, Offline: rt.Offline, Money: money, Clocks: billing.Clocks{Account: wallClock, Wall: wallClock},
			Operator: op, ReadOnly: op.Role == billing.RoleViewer, Authorize: sess.Authorize,
			Account: rt.Account, Mode: rt.Mode, Logger: logger.With("operator", op.Name),
			Renderer: sess.Renderer, Width: sess.Width, Height: sess.Height,
		})
		return tui.New(cm), nil
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := listen(o.sshAddr, "SSH")
	if err != nil {
		return err
	}
	go func() {
		if err := srv.Serve(ln); err != nil {
			logger.Error("ssh server stopped", "err", err)
		}
	}()
	fmt.Fprintf(stdout, "paydesk serve: ssh -p %s %s (host key %s); webhooks on %s\n",
		portOf(ln.Addr()), hostOf(ln.Addr()), srv.HostKeyFingerprint(), rt.WebhookURL)
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
