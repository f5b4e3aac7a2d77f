package webhookd

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Defaults for Config fields left zero.
const (
	DefaultAddr      = "127.0.0.1:8787"
	DefaultPath      = "/webhooks/stripe"
	DefaultTolerance = 300 * time.Second
	// DefaultMaxBody caps a webhook body. Stripe events are a few KB; the
	// largest (invoices and subscriptions with their first 10 lines or items
	// expanded) stay well under 100 KB, so 512 KiB leaves 5x headroom while
	// bounding what a flood of concurrent requests can make us buffer.
	DefaultMaxBody      = 512 << 10
	DefaultReadTimeout  = 15 * time.Second
	DefaultWriteTimeout = 15 * time.Second
	DefaultIdleTimeout  = 90 * time.Second
	// maxHeaderBytes bounds all request headers; the Stripe-Signature value
	// itself is capped far lower by the parser.
	maxHeaderBytes = 64 << 10
	secretPrefix   = "whsec_"
)

// SecretEnv is the environment variable main.go reads the secrets from.
const SecretEnv = "STRIPE_WEBHOOK_SECRET"

// Config configures a Server.
type Config struct {
	// Addr is the listen address; loopback by default.
	Addr string
	// Path is where Stripe POSTs events.
	Path string
	// Secrets are the endpoint's signing secrets, newest last; a request is
	// genuine when any v1 signature matches any of them (rolling secrets).
	Secrets []string
	// Tolerance bounds the signed timestamp's distance from Now, both ways.
	Tolerance time.Duration
	// MaxBody caps the request body (413 above).
	MaxBody int64
	// Now is the clock for timestamp checks and receipts; default time.Now.
	Now func() time.Time
	// Logger receives one line per request; default slog.Default().
	Logger *slog.Logger

	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
}

// ErrNoSecret is returned (wrapped) when no usable signing secret is configured.
var ErrNoSecret = errors.New("no webhook signing secret")

// ParseSecrets splits a comma-separated STRIPE_WEBHOOK_SECRET value into
// secrets and validates each. Errors name the position of a bad secret,
// never its value.
func ParseSecrets(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%w: set %s to the endpoint's whsec_... secret (comma-separate several while rolling)", ErrNoSecret, SecretEnv)
	}
	parts := strings.Split(s, ",")
	out := make([]string, 0, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if err := checkSecret(p); err != nil {
			return nil, fmt.Errorf("%s: secret %d of %d: %w", SecretEnv, i+1, len(parts), err)
		}
		out = append(out, p)
	}
	return out, nil
}

// checkSecret validates one secret without ever quoting it.
func checkSecret(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty secret; remove the stray comma or set the whsec_... value from the Stripe dashboard", ErrNoSecret)
	case !strings.HasPrefix(s, secretPrefix):
		return fmt.Errorf("%w: not a webhook signing secret (it must start with %q; API keys sk_/rk_ do not sign webhooks)", ErrNoSecret, secretPrefix)
	case len(s) == len(secretPrefix):
		return fmt.Errorf("%w: %q with nothing after it; copy the whole secret from the Stripe dashboard", ErrNoSecret, secretPrefix)
	case strings.ContainsAny(s, " \t\r\n"):
		return fmt.Errorf("%w: secret contains whitespace; copy it again without spaces", ErrNoSecret)
	}
	return nil
}

// withDefaults fills zero fields and validates the secrets.
func (c Config) withDefaults() (Config, error) {
	if len(c.Secrets) == 0 {
		return c, fmt.Errorf("webhookd config: %w: set %s to the endpoint's whsec_... secret", ErrNoSecret, SecretEnv)
	}
	for i, s := range c.Secrets {
		if err := checkSecret(s); err != nil {
			return c, fmt.Errorf("webhookd config: secret %d of %d: %w", i+1, len(c.Secrets), err)
		}
	}
	c.Secrets = append([]string(nil), c.Secrets...)
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Path == "" {
		c.Path = DefaultPath
	}
	if !strings.HasPrefix(c.Path, "/") {
		return c, fmt.Errorf("webhookd config: path %q must start with /", c.Path)
	}
	if c.Tolerance <= 0 {
		c.Tolerance = DefaultTolerance
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = DefaultReadTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	return c, nil
}
