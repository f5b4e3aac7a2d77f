package ssh

import (
	"errors"
	"log/slog"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// Defaults for the zero values of Config.
const (
	DefaultAddr            = "127.0.0.1:2222"
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultMaxTimeout      = 12 * time.Hour
	DefaultMaxSessions     = 64
	DefaultConnRate        = 5 // new connections per second
	DefaultConnBurst       = 20
	DefaultBusBuffer       = 256
	DefaultRecheckInterval = 10 * time.Second
)

// Config sets up a Server. Zero values take the defaults above.
type Config struct {
	// Addr is the TCP address ListenAndServe listens on.
	Addr string
	// HostKeyPath is the server's ed25519 host key (OpenSSH PEM). It is
	// created with mode 0600 when absent; an existing key readable by group
	// or others is refused. Put it in the data dir, not the working
	// directory. Required.
	HostKeyPath string
	// AuthorizedKeysPath lists the keys allowed in and their roles (format
	// in the package doc). Required; it must exist when New is called.
	AuthorizedKeysPath string

	// IdleTimeout closes a session after this long without operator input.
	IdleTimeout time.Duration
	// MaxTimeout closes any connection this long after it opened; negative
	// means never.
	MaxTimeout time.Duration
	// MaxSessions bounds concurrent sessions.
	MaxSessions int
	// ConnRate is the number of new TCP connections accepted per second,
	// with bursts of up to ConnBurst; negative ConnRate disables the limit.
	ConnRate  float64
	ConnBurst int
	// RecheckInterval is how often the authorized-keys file is re-read to
	// close sessions of removed keys and tell sessions of changed roles;
	// negative disables the periodic recheck (Recheck can still be called).
	RecheckInterval time.Duration

	// Feed, when set (a store's change feed), is subscribed once per
	// session with a queue of BusBuffer changes (Session.Notices).
	Feed      *storage.Feed
	BusBuffer int

	Logger *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	if c.HostKeyPath == "" {
		return c, errors.New("ssh config: HostKeyPath is required")
	}
	if c.AuthorizedKeysPath == "" {
		return c, errors.New("ssh config: AuthorizedKeysPath is required")
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.MaxTimeout == 0 {
		c.MaxTimeout = DefaultMaxTimeout
	}
	if c.MaxTimeout < 0 {
		c.MaxTimeout = 0
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.ConnRate == 0 {
		c.ConnRate = DefaultConnRate
	}
	if c.ConnBurst <= 0 {
		c.ConnBurst = DefaultConnBurst
	}
	if c.RecheckInterval == 0 {
		c.RecheckInterval = DefaultRecheckInterval
	}
	if c.BusBuffer <= 0 {
		c.BusBuffer = DefaultBusBuffer
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
