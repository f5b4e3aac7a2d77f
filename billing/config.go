package billing

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// Config is what New needs to talk to Stripe.
type Config struct {
	// SecretKey is a secret (sk_) or restricted (rk_) key, live or test.
	SecretKey string
	// APIBase overrides https://api.stripe.com (sandbox, stripe-mock).
	APIBase string
	// UploadsBase overrides https://files.stripe.com; when empty and
	// APIBase is set, file uploads go to APIBase too (the sandbox,
	// stripe-mock and proxies serve /v1/files beside the API).
	UploadsBase string
	// RateLimit is the client-side cap in requests per second; 0 picks the
	// default for the key: 25 for test keys, 90 for live keys.
	RateLimit float64
	// Concurrency caps the Stripe reads in flight at once (backfill pages,
	// refetches, per-customer lists share it); 0 picks enough to keep the
	// rate limit busy at 500 ms per answer: RateLimit/2, within 4..64.
	Concurrency int
	// HTTPClient is used for every request (its Transport is wrapped, never
	// modified); nil means a client with an 80 s timeout.
	HTTPClient *http.Client
	// Logger receives stripe-go's warnings and errors (never its debug
	// output, which prints response bodies); nil logs warnings to stderr.
	Logger *slog.Logger
	// MaxNetworkRetries is stripe-go's retry budget for network errors,
	// 409s and 5xx; 0 keeps stripe-go's default (2), negative disables.
	MaxNetworkRetries int64
	// Clocks are the process's clocks: Account stamps fetched copies and
	// bounds the Events-API catch-up window (default time.Now); the rate
	// limiter keeps real time on its own.
	Clocks Clocks
}

// Mode is the kind of account a key opens.
type Mode string

// Modes of a key.
const (
	ModeLive Mode = "live"
	ModeTest Mode = "test"
)

// Default request rates (requests per second) under Stripe's own limits.
const (
	DefaultTestRate = 25
	DefaultLiveRate = 90
)

// ErrNoKey is returned (wrapped) when no usable key was configured.
var ErrNoKey = errors.New("no Stripe key")

// Client is paydesk's Stripe client. It is safe for concurrent use.
type Client struct {
	api       *client.API
	backend   stripe.Backend
	key       string
	mode      Mode
	log       *slog.Logger
	transport *limitedTransport
	pool      *pool
	now       func() time.Time
	// syncMu keeps a backfill and an Events-API catch-up from running at
	// the same time: catch-up applies events in order after the backfill's
	// pages, never between them.
	syncMu sync.Mutex

	// paramHook, when set (tests only), edits every request's params just
	// before it is sent: the contract tests add an unknown parameter.
	paramHook func(stripe.ParamsContainer)
}

// New validates cfg and builds the one client.API of this process.
func New(cfg Config) (*Client, error) {
	mode, err := checkKey(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	rate := cfg.RateLimit
	if rate <= 0 {
		rate = DefaultTestRate
		if mode == ModeLive {
			rate = DefaultLiveRate
		}
	}
	now := cfg.Clocks.WithDefaults().Account
	base := cfg.HTTPClient
	if base == nil {
		base = &http.Client{Timeout: 80 * time.Second}
	}
	workers := cfg.Concurrency
	if workers <= 0 {
		workers = defaultConcurrency(rate)
	}
	tr := newLimitedTransport(base.Transport, newLimiter(rate, time.Now, sleepCtx))
	hc := *base // shallow copy: the caller's client keeps its own transport
	hc.Transport = tr

	retries := cfg.MaxNetworkRetries
	switch {
	case retries == 0:
		retries = stripe.DefaultMaxNetworkRetries
	case retries < 0:
		retries = 0
	}
	leveled := &slogLeveled{log: logger}
	backendFor := func(t stripe.SupportedBackend, url string) stripe.Backend {
		bc := &stripe.BackendConfig{
			HTTPClient:        &hc,
			LeveledLogger:     leveled,
			MaxNetworkRetries: stripe.Int64(retries),
			EnableTelemetry:   stripe.Bool(false),
		}
		if url != "" {
			bc.URL = stripe.String(strings.TrimRight(url, "/"))
		}
		return stripe.GetBackendWithConfig(t, bc)
	}
	uploads := cfg.UploadsBase
	if uploads == "" {
		uploads = cfg.APIBase
	}
	backends := &stripe.Backends{
		API:     backendFor(stripe.APIBackend, cfg.APIBase),
		Connect: backendFor(stripe.ConnectBackend, ""),
		Uploads: backendFor(stripe.UploadsBackend, uploads),
	}
	return &Client{
		api:       client.New(cfg.SecretKey, backends),
		backend:   backends.API,
		key:       cfg.SecretKey,
		mode:      mode,
		log:       logger,
		transport: tr,
		pool:      newPool(workers),
		now:       now,
	}, nil
}

// API is the stripe-go client for the money actions built on top of billing.
func (c *Client) API() *client.API { return c.api }

// Mode says whether the key opens the live or the test account.
func (c *Client) Mode() Mode { return c.mode }

// KeyHint is the key's prefix ("sk_test_…"), safe to show.
func (c *Client) KeyHint() string { return keyPrefix(c.key) + "…" }

var keyPrefixes = []struct {
	prefix string
	mode   Mode
}{
	{"sk_live_", ModeLive}, {"rk_live_", ModeLive},
	{"sk_test_", ModeTest}, {"rk_test_", ModeTest},
}

// checkKey validates the key's shape without ever echoing it.
func checkKey(key string) (Mode, error) {
	if strings.TrimSpace(key) == "" {
		return "", fmt.Errorf("%w: set STRIPE_SECRET_KEY to a secret (sk_) or restricted (rk_) key, or run `paydesk demo` to try paydesk against the built-in sandbox", ErrNoKey)
	}
	for _, p := range keyPrefixes {
		if strings.HasPrefix(key, p.prefix) {
			rest := key[len(p.prefix):]
			if rest == "" || strings.ContainsAny(rest, " \t\r\n") {
				return "", fmt.Errorf("%w: STRIPE_SECRET_KEY (%s…) is truncated or contains spaces", ErrNoKey, p.prefix)
			}
			return p.mode, nil
		}
	}
	hint := "an unrecognised value"
	if p := keyPrefix(key); p != "" {
		hint = "a " + p + "… key"
	}
	return "", fmt.Errorf("%w: STRIPE_SECRET_KEY holds %s; paydesk needs a secret (sk_live_/sk_test_) or restricted (rk_live_/rk_test_) key, or run `paydesk demo`", ErrNoKey, hint)
}

// keyPrefix returns the recognisable prefix of a Stripe credential
// ("sk_test_", "pk_live_", "whsec_") or "" when there is none.
func keyPrefix(key string) string {
	for _, p := range []string{"sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_", "pk_test_", "whsec_"} {
		if strings.HasPrefix(key, p) {
			return p
		}
	}
	return ""
}
