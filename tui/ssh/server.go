package ssh

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	charmssh "github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/paydesk/paydesk/billing"
)

// ErrServerClosed is returned by Serve and ListenAndServe after Shutdown.
var ErrServerClosed = charmssh.ErrServerClosed

// Messages shown to clients.
const (
	msgNeedTerminal  = "paydesk needs a terminal: ssh -t -p %s <host>\r\n"
	msgTooMany       = "paydesk: too many sessions (%d open), try again later\r\n"
	msgKeyGone       = "paydesk: this key is no longer authorized\r\n"
	msgStartFailed   = "paydesk: the console failed to start (details are in the server log)\r\n"
	msgCrashed       = "paydesk: the console stopped on an internal error (details are in the server log)\r\n"
	reasonIdle       = "paydesk: no input for %s, session closed\r\n"
	reasonKeyRemoved = "paydesk: your key was removed from the authorized keys, session closed\r\n"
	reasonShutdown   = "paydesk: the server is shutting down\r\n"
)

// recheckSettle is how long a recheck waits before closing sessions whose
// key vanished, to read the file again: an editor rewriting it in place
// can leave it briefly empty.
const recheckSettle = 250 * time.Millisecond

// shutdownGrace is how long a connection stays open at shutdown after its
// session's exit status was sent.
const shutdownGrace = 500 * time.Millisecond

// Server is the SSH front of paydesk: one tea.Program per session.
type Server struct {
	cfg     Config
	factory Factory
	keys    *keyFile
	hostKey gossh.Signer
	srv     *charmssh.Server
	bucket  *tokenBucket

	rateLimited     atomic.Uint64
	sessionsRefused atomic.Uint64

	mu       sync.Mutex
	sessions map[charmssh.Session]*liveSession
	addr     net.Addr

	stop     chan struct{}
	stopOnce sync.Once
	loopOnce sync.Once
	loopDone chan struct{}
}

// New loads (or creates) the host key, loads the authorized-keys file and
// builds the server. It does not listen yet.
func New(cfg Config, factory Factory) (*Server, error) {
	if factory == nil {
		return nil, errors.New("ssh: nil model factory")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	hostKey, err := loadOrCreateHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, fmt.Errorf("ssh: %w", err)
	}
	keys, err := newKeyFile(cfg.AuthorizedKeysPath, cfg.Logger)
	if err != nil {
		return nil, fmt.Errorf("ssh: %w", err)
	}
	s := &Server{
		cfg:      cfg,
		factory:  factory,
		keys:     keys,
		hostKey:  hostKey,
		sessions: map[charmssh.Session]*liveSession{},
		stop:     make(chan struct{}),
		loopDone: make(chan struct{}),
	}
	if cfg.ConnRate > 0 {
		s.bucket = newTokenBucket(cfg.ConnRate, cfg.ConnBurst)
	}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithVersion("paydesk"),
		func(srv *charmssh.Server) error { srv.AddHostKey(hostKey); return nil },
		// Public keys only: no password or keyboard-interactive handler is
		// ever set, so the SSH layer does not offer those methods.
		wish.WithPublicKeyAuth(s.authPublicKey),
		// The connection's own idle timeout is a backstop (a connection that
		// never opens a session): it runs a grace period longer than the
		// session watcher's, so an idle session always ends through
		// watchIdle, with its reason and exit status 1, instead of racing a
		// bare connection close.
		wish.WithIdleTimeout(connIdleTimeout(cfg.IdleTimeout)),
		wish.WithMaxTimeout(cfg.MaxTimeout),
		wish.WithMiddleware(
			func(charmssh.Handler) charmssh.Handler { return s.finish },
			bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
			s.recoverPanics,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh: build server: %w", err)
	}
	srv.ConnectionFailedCallback = func(c net.Conn, err error) {
		cfg.Logger.Debug("ssh: handshake failed", "remote", c.RemoteAddr().String(), "error", err)
	}
	s.srv = srv
	cfg.Logger.Info("ssh: host key", "path", cfg.HostKeyPath, "fingerprint", s.HostKeyFingerprint())
	return s, nil
}

// HostKeyFingerprint is the SHA256 fingerprint of the host key, for staff
// to check on first connection.
func (s *Server) HostKeyFingerprint() string {
	return gossh.FingerprintSHA256(s.hostKey.PublicKey())
}

// HostKey is the server's public host key.
func (s *Server) HostKey() gossh.PublicKey { return s.hostKey.PublicKey() }

// Addr is the address being served, or Config.Addr before Serve.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr != nil {
		return s.addr.String()
	}
	return s.cfg.Addr
}

// ListenAndServe listens on Config.Addr and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("ssh: listen %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ln)
}

// Serve accepts connections on ln until Shutdown; it returns
// ErrServerClosed then.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.addr = ln.Addr()
	s.mu.Unlock()
	if s.bucket != nil {
		ln = &rateLimitedListener{Listener: ln, bucket: s.bucket, refused: &s.rateLimited, log: s.cfg.Logger}
	}
	s.loopOnce.Do(func() { go s.recheckLoop() })
	s.cfg.Logger.Info("ssh: serving", "addr", ln.Addr().String())
	return s.srv.Serve(ln)
}

// Shutdown stops accepting, ends every session with a notice (each
// connection is closed shortly after its session's exit status), and waits
// for the connections to close until ctx ends; then it closes the rest
// (for example connections that never opened a session).
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() { close(s.stop) })
	for _, l := range s.live() {
		l.end(reasonShutdown)
	}
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	s.loopOnce.Do(func() { close(s.loopDone) })
	<-s.loopDone
	return err
}

// Stats are the server's counters.
type Stats struct {
	Sessions        int    // open now
	RateLimited     uint64 // connections closed by the connection rate limit
	SessionsRefused uint64 // sessions refused: limit, no PTY, key gone, factory error
}

// Stats returns the current counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	n := len(s.sessions)
	s.mu.Unlock()
	return Stats{Sessions: n, RateLimited: s.rateLimited.Load(), SessionsRefused: s.sessionsRefused.Load()}
}

// CurrentOperator re-resolves id from the authorized-keys file as it is now.
func (s *Server) CurrentOperator(id Identity) (billing.Operator, error) {
	cur, err := s.keys.resolve(id.Fingerprint)
	if err != nil {
		return billing.Operator{}, fmt.Errorf("%s: %w: %w", id.Operator().Name, err, billing.ErrForbidden)
	}
	return cur.Operator(), nil
}

// Authorize is the action-time check for the key behind id: its role is read
// from the current authorized-keys file, not from the session's snapshot.
func (s *Server) Authorize(id Identity, a billing.Action) error {
	op, err := s.CurrentOperator(id)
	if err != nil {
		return fmt.Errorf("%s: %w", a, err)
	}
	return op.Authorize(a)
}

func (s *Server) authPublicKey(ctx charmssh.Context, key charmssh.PublicKey) bool {
	_, ok := s.keys.lookup(key)
	if !ok {
		s.cfg.Logger.Info("ssh: key refused", "fingerprint", gossh.FingerprintSHA256(key),
			"user", ctx.User(), "remote", ctx.RemoteAddr().String())
	}
	return ok
}

// refuse ends a session that never reached its program.
func (s *Server) refuse(sess charmssh.Session, format string, args ...any) *tea.Program {
	s.sessionsRefused.Add(1)
	wish.Errorf(sess, format, args...)
	_ = sess.Exit(1)
	s.closeConnIfStopping(sess)
	return nil
}

// program runs the session checks and builds the session's tea.Program;
// nil means the session was refused (message and exit status already sent).
func (s *Server) program(sess charmssh.Session) *tea.Program {
	log := s.cfg.Logger.With("remote", sess.RemoteAddr().String())
	pty, _, hasPTY := sess.Pty()
	if !hasPTY {
		_, port, _ := net.SplitHostPort(sess.LocalAddr().String())
		log.Info("ssh: session refused: no PTY")
		return s.refuse(sess, msgNeedTerminal, port)
	}
	id, ok := s.keys.lookup(sess.PublicKey())
	if !ok {
		log.Info("ssh: session refused: key no longer authorized")
		return s.refuse(sess, msgKeyGone)
	}
	log = log.With("operator", id.Operator().Name, "role", id.Role)

	live := &liveSession{sess: sess, identity: id, started: time.Now(), done: make(chan struct{})}
	s.mu.Lock()
	if n := len(s.sessions); n >= s.cfg.MaxSessions {
		s.mu.Unlock()
		log.Warn("ssh: session refused: max sessions", "max", s.cfg.MaxSessions)
		return s.refuse(sess, msgTooMany, n)
	}
	s.sessions[sess] = live // reserve the slot while the model is built
	s.mu.Unlock()

	live.input = newInputPump(sess)
	renderer := bm.MakeRenderer(newQueryingSession(sess, live.input))
	if s.cfg.Feed != nil {
		live.sub = s.cfg.Feed.Subscribe(s.cfg.BusBuffer)
	}
	model, err := s.factory(Session{
		Identity:   id,
		Width:      pty.Window.Width,
		Height:     pty.Window.Height,
		Term:       pty.Term,
		Renderer:   renderer,
		Notices:    live.sub,
		RemoteAddr: sess.RemoteAddr(),
		srv:        s,
	})
	if err != nil || model == nil {
		s.release(live)
		log.Error("ssh: session refused: model factory failed", "error", err)
		return s.refuse(sess, msgStartFailed)
	}
	program := tea.NewProgram(model,
		tea.WithInput(live.input),
		tea.WithOutput(sess),
		tea.WithAltScreen(),
		tea.WithoutSignalHandler(),
	)
	// Under s.mu with the stop check: Shutdown closes stop before it lists
	// the sessions to end, so a session either sees stop or is listed.
	s.mu.Lock()
	live.model = model // closed by release, however the session ends
	stopping := false
	select {
	case <-s.stop:
		stopping = true
	default:
		live.program = program // visible to Recheck and Shutdown from here on
	}
	s.mu.Unlock()
	if stopping {
		s.release(live)
		return s.refuse(sess, reasonShutdown)
	}
	go s.watchIdle(live)
	log.Info("ssh: session opened", "sessions", s.Stats().Sessions)
	return program
}

// recoverPanics keeps a panic in one session (the factory, a model run
// outside tea's own recovery) from taking the server and every other
// session down: it is logged, the session ends with status 1.
func (s *Server) recoverPanics(next charmssh.Handler) charmssh.Handler {
	return func(sess charmssh.Session) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			s.cfg.Logger.Error("ssh: session panicked", "remote", sess.RemoteAddr().String(),
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			s.mu.Lock()
			live := s.sessions[sess]
			s.mu.Unlock()
			if live != nil {
				s.release(live)
			}
			s.sessionsRefused.Add(1)
			wish.Errorf(sess, msgCrashed)
			_ = sess.Exit(1)
		}()
		next(sess)
	}
}

// finish runs after the session's program exited (or after a refusal).
func (s *Server) finish(sess charmssh.Session) {
	s.mu.Lock()
	live := s.sessions[sess]
	s.mu.Unlock()
	if live == nil {
		return
	}
	s.release(live)
	code := 0
	if reason := live.endReason(); reason != "" {
		wish.Errorf(sess, "%s", reason)
		code = 1
	}
	id := live.currentIdentity()
	s.cfg.Logger.Info("ssh: session closed", "operator", id.Operator().Name,
		"remote", sess.RemoteAddr().String(), "duration", time.Since(live.started).Round(time.Second))
	_ = sess.Exit(code)
	s.closeConnIfStopping(sess)
}

// closeConnIfStopping closes the session's connection when the server is
// shutting down, a moment after the exit status went out, so clients that
// keep connections open (ssh ControlMaster) do not hold Shutdown up.
func (s *Server) closeConnIfStopping(sess charmssh.Session) {
	select {
	case <-s.stop:
	default:
		return
	}
	if conn, ok := sess.Context().Value(charmssh.ContextKeyConn).(gossh.Conn); ok {
		time.AfterFunc(shutdownGrace, func() { _ = conn.Close() })
	}
}

func (s *Server) release(live *liveSession) {
	s.mu.Lock()
	if s.sessions[live.sess] == live {
		delete(s.sessions, live.sess)
		close(live.done)
	}
	model := live.model
	live.model = nil
	s.mu.Unlock()
	if live.sub != nil {
		live.sub.Close()
	}
	if c, ok := model.(interface{ Close() }); ok {
		c.Close()
	}
}

func (s *Server) live() []*liveSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*liveSession, 0, len(s.sessions))
	for _, l := range s.sessions {
		if l.program != nil {
			out = append(out, l)
		}
	}
	return out
}

// connIdleTimeout is the connection-level idle timeout for a session idle
// timeout d (0 = none): d plus a grace of a quarter of d, at least a second.
func connIdleTimeout(d time.Duration) time.Duration {
	if d <= 0 {
		return d
	}
	return d + max(d/4, time.Second)
}

// watchIdle ends the session once the operator typed nothing for
// IdleTimeout. Output (live events) does not count as activity.
func (s *Server) watchIdle(live *liveSession) {
	every := s.cfg.IdleTimeout / 4
	if every > 5*time.Second {
		every = 5 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-live.done:
			return
		case <-live.sess.Context().Done():
			return
		case now := <-t.C:
			if live.input.idleFor(now) >= s.cfg.IdleTimeout {
				live.end(fmt.Sprintf(reasonIdle, s.cfg.IdleTimeout))
				return
			}
		}
	}
}

func (s *Server) recheckLoop() {
	defer close(s.loopDone)
	if s.cfg.RecheckInterval < 0 {
		<-s.stop
		return
	}
	t := time.NewTicker(s.cfg.RecheckInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.Recheck()
		}
	}
}

// Recheck reads the authorized-keys file now and applies it to the open
// sessions: a session whose key is gone (still gone after a short settle
// read) is closed; one whose role changed gets an OperatorChangedMsg. It
// returns how many sessions were closed and how many were told.
func (s *Server) Recheck() (closed, changed int) {
	var gone []*liveSession
	for _, l := range s.live() {
		old := l.currentIdentity()
		cur, err := s.keys.resolve(old.Fingerprint)
		if err != nil {
			gone = append(gone, l)
			continue
		}
		if cur != old {
			l.mu.Lock()
			l.identity = cur
			l.mu.Unlock()
			changed++
			op := cur.Operator()
			s.cfg.Logger.Info("ssh: operator role changed", "operator", op.Name, "from", old.Role, "to", cur.Role)
			go l.program.Send(OperatorChangedMsg{Operator: op})
		}
	}
	if len(gone) == 0 {
		return 0, changed
	}
	select {
	case <-time.After(recheckSettle):
	case <-s.stop:
	}
	for _, l := range gone {
		if _, err := s.keys.resolve(l.currentIdentity().Fingerprint); err == nil {
			continue
		}
		closed++
		s.cfg.Logger.Warn("ssh: closing session of a removed key", "operator", l.currentIdentity().Operator().Name)
		l.end(reasonKeyRemoved)
	}
	return closed, changed
}
