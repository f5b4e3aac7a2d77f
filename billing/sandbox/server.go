package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	stripe "github.com/stripe/stripe-go/v76"
)

// Options configure a sandbox. The zero value is an empty account with an
// unlimited request rate on the wall clock.
type Options struct {
	// Seed makes seeding and the demo clock's randomness deterministic.
	Seed int64
	// Customers is the number of seeded customers (0 = empty account). Up to
	// 1,000,000 is supported in bounded memory.
	Customers int
	// Now is the sandbox clock source (default time.Now). Its value when New
	// runs anchors the seeded history; Advance adds an offset to it.
	Now func() time.Time
	// RateLimit in requests per second per API key, as Stripe counts them
	// (StripeTestRate, StripeLiveRate); 0 = unlimited. Requests above it
	// get Stripe's 429 rate_limit error.
	RateLimit float64
	// Latency is added before every answer, spread uniformly by
	// ±LatencyJitter (never below zero): Stripe answers a list page in
	// roughly 200-500 ms, the sandbox in microseconds.
	Latency, LatencyJitter time.Duration
	// LatencySleep, when set, waits out each answer's latency instead of
	// the wall clock (tests record the delays instead of spending them).
	LatencySleep func(context.Context, time.Duration)
	// Logger receives one line per request (method, path, status); never
	// headers, keys or signatures. Default: discard.
	Logger *slog.Logger

	// CancelOnFinalFailure cancels a subscription whose last smart retry
	// failed (and marks the invoice uncollectible) instead of moving it to
	// unpaid.
	CancelOnFinalFailure bool
	// MaxEvents bounds the stored event log (oldest dropped first);
	// default 200,000.
	MaxEvents int
	// WebhookBackoff is the first delay between delivery retries (doubling,
	// 8 attempts); default 500ms.
	WebhookBackoff time.Duration
	// WebhookClock stamps the t= of Stripe-Signature (default time.Now).
	// It is the delivery's transport time, not the business clock, so that
	// receivers applying a ±300 s tolerance accept events after Advance.
	WebhookClock func() time.Time
	// RateClock measures the request rate (default time.Now).
	RateClock func() time.Time
}

// Stripe's documented request rates per key (requests per second), for
// Options.RateLimit: https://stripe.com/docs/rate-limits.
const (
	StripeTestRate = 25
	StripeLiveRate = 100
)

// Server is a stateful Stripe-compatible API double on loopback.
type Server struct {
	opts Options
	log  *slog.Logger
	ids  idCodec

	mu     sync.Mutex
	offset time.Duration
	rng    *rand.Rand

	products  []product
	prices    []price
	customers []customer
	subs      []subscription
	invoices  []invoice
	charges   []charge
	refunds   []refund
	disputes  []dispute
	txns      []balanceTxn
	files     []file
	itemSeq   uint32
	portalSeq uint32 // billing-portal sessions created (they cannot be read back)

	coupons     []coupon
	promos      []promoCode
	discounts   map[string]*discountState // by customer or subscription id
	discountSeq uint32
	lineSeq     uint32
	// invDeleted counts deleted drafts: invoice lists filter them out
	// only when there are any.
	invDeleted int
	invItems   []invItem
	notes      []creditNote

	events  eventLog
	due     *dueHeap
	dueSeq  uint64
	idem    idempotencyStore
	reqSeq  atomic.Uint32
	limiter *keyLimiters
	hooks   *hookHub

	handler http.Handler
	srv     *http.Server
	ln      net.Listener
	baseURL string
}

// New builds a sandbox and seeds it according to opts.
func New(opts Options) (*Server, error) {
	if opts.Customers < 0 || opts.Customers > 5_000_000 {
		return nil, fmt.Errorf("sandbox: Customers must be within 0..5000000, got %d", opts.Customers)
	}
	if opts.RateLimit < 0 {
		return nil, fmt.Errorf("sandbox: negative RateLimit %v", opts.RateLimit)
	}
	if opts.Latency < 0 || opts.LatencyJitter < 0 {
		return nil, fmt.Errorf("sandbox: negative Latency %v or LatencyJitter %v", opts.Latency, opts.LatencyJitter)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.WebhookClock == nil {
		opts.WebhookClock = time.Now
	}
	if opts.RateClock == nil {
		opts.RateClock = time.Now
	}
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = 200_000
	}
	if opts.WebhookBackoff <= 0 {
		opts.WebhookBackoff = 500 * time.Millisecond
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{
		opts: opts,
		log:  log,
		ids:  newIDCodec(opts.Seed),
		rng:  rand.New(rand.NewPCG(uint64(opts.Seed), 0xADBA7CE)),
		idem: newIdempotencyStore(50_000),
	}
	s.events.max = opts.MaxEvents
	if opts.RateLimit > 0 {
		s.limiter = newKeyLimiters(opts.RateLimit, opts.RateClock)
	}
	s.hooks = newHookHub(s)
	if err := s.seed(); err != nil {
		return nil, fmt.Errorf("sandbox: seeding: %w", err)
	}
	s.seedCoupons()
	s.handler = s.routes()
	return s, nil
}

// Start listens on 127.0.0.1 (never another interface) on a free port and
// serves the API; it returns the base URL, e.g. "http://127.0.0.1:40123".
func (s *Server) Start() (string, error) {
	if s.ln != nil {
		return s.baseURL, errors.New("sandbox: already started")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("sandbox: listen on loopback: %w", err)
	}
	s.ln = ln
	s.baseURL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("sandbox: serve", "err", err)
		}
	}()
	return s.baseURL, nil
}

// Close stops the listener and the webhook delivery goroutines.
func (s *Server) Close() error {
	var err error
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err = s.srv.Shutdown(ctx)
		if err != nil {
			err = fmt.Errorf("sandbox: shutdown: %w", err)
		}
	}
	s.hooks.close()
	return err
}

// APIKey returns a key the sandbox accepts. Any "sk_test_*" or "rk_test_*"
// bearer key is accepted as well.
func (s *Server) APIKey() string { return "sk_test_sandbox" }

// Backends returns stripe-go backends for both the API and the uploads
// service (files) pointed at the sandbox, for use with client.New. Start must
// have been called. stripe-go's network retries are disabled so tests see
// every answer, and its logger is kept at warn level.
func (s *Server) Backends() *stripe.Backends {
	cfg := func() *stripe.BackendConfig {
		return &stripe.BackendConfig{
			URL:               stripe.String(s.baseURL),
			MaxNetworkRetries: stripe.Int64(0),
			LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelWarn},
		}
	}
	return &stripe.Backends{
		API:     stripe.GetBackendWithConfig(stripe.APIBackend, cfg()),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, cfg()),
		Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, cfg()),
	}
}

// Now returns the sandbox clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

func (s *Server) now() time.Time { return s.opts.Now().Add(s.offset) }

func (s *Server) unix() int64 { return s.now().Unix() }
