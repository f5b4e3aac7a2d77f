package webhookd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
)

// Sources of a delivery receipt.
const (
	SourceWebhook = storage.SourceWebhook
	SourceCatchUp = storage.SourceCatchUp
	SourceReplay  = storage.SourceReplay
)

// Server is the webhook receiver. It also applies catch-up events handed to
// it by billing (ApplyEvent), so both paths share storage; the store
// announces what they commit on its feed.
type Server struct {
	cfg     Config
	store   *storage.Store
	metrics *metrics
	http    *http.Server
}

// New validates cfg and builds a Server over store. It refuses to build
// without a usable signing secret.
func New(cfg Config, store *storage.Store) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if store == nil {
		return nil, errors.New("webhookd: nil store")
	}
	s := &Server{cfg: cfg, store: store, metrics: newMetrics()}
	s.http = &http.Server{
		Addr:              cfg.Addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: min(cfg.ReadTimeout, 5*time.Second),
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          nil,
	}
	return s, nil
}

// Config is the effective configuration (defaults filled) with Secrets
// removed, so it is safe to print.
func (s *Server) Config() Config {
	c := s.cfg
	c.Secrets = nil
	return c
}

// Handler routes Path to the webhook receiver, /healthz and /metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(s.cfg.Path, s.handleWebhook)
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/metrics", s.handleMetrics)
	return mux
}

// ListenAndServe listens on Config.Addr and serves until ctx ends, then
// shuts down gracefully (in-flight requests finish, bounded by 10 s).
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("webhookd listen %s: %w", s.cfg.Addr, err)
	}
	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		stopped <- s.Shutdown(sctx)
	}()
	s.cfg.Logger.Info("webhookd listening", "addr", ln.Addr().String(), "path", s.cfg.Path, "secrets", len(s.cfg.Secrets))
	if err := s.Serve(ln); err != nil {
		return err
	}
	return <-stopped
}

// Serve accepts connections on ln until Shutdown; it returns nil after a
// clean Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("webhookd serve: %w", err)
	}
	return nil
}

// Shutdown stops accepting, waits for in-flight requests to finish (their
// commits included) until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.http.Shutdown(ctx); err != nil {
		return fmt.Errorf("webhookd shutdown: %w", err)
	}
	return nil
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Deliveries answer 500 while the cache cannot be written; so does
	// this, until a write commits again (Stripe's retry, or catch-up).
	if since, err := s.store.WriteFailure(); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "unhealthy: cache writes fail since %s: %s\n", since.UTC().Format(time.RFC3339), safetext.Line(err.Error()))
		return
	}
	if _, err := s.store.Schema(); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "cache unavailable: %s\n", safetext.Line(err.Error()))
		return
	}
	fmt.Fprintln(w, "ok")
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.metrics.write(w, s.cfg.Now(), s.store.Feed().Dropped(), s.store.Feed().Subscribers()); err != nil {
		s.cfg.Logger.Debug("metrics write", "err", err)
	}
}
