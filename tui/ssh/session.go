package ssh

import (
	"net"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	charmssh "github.com/charmbracelet/ssh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// Factory builds the model one SSH session runs. It is called once per
// session, after authentication and the session checks; an error ends the
// session with exit status 1 (the error is logged, not shown). A model
// with a Close() method is closed once when its session ends, however it
// ends (quit, disconnect, idle, removed key, shutdown): tui.Model releases
// its change-feed subscription there.
type Factory func(sess Session) (tea.Model, error)

// Session is what the factory gets to build one session's console.
type Session struct {
	// Identity is the key behind the session as the authorized-keys file
	// described it when the session opened.
	Identity Identity
	// Width and Height are the terminal's size at start; changes arrive as
	// tea.WindowSizeMsg.
	Width, Height int
	// Term is the client's $TERM.
	Term string
	// Renderer is this session's lipgloss renderer (bm.MakeRenderer): build
	// every style of the session from it, never from the default renderer.
	Renderer *lipgloss.Renderer
	// Notices is this session's own queue on Config.Feed (nil without a
	// feed). The server closes it when the session ends.
	Notices *storage.Subscription
	// RemoteAddr is the client's address.
	RemoteAddr net.Addr

	srv *Server
}

// Operator is the session's operator as it opened (see Identity.Operator).
// Use CurrentOperator or Authorize at action time.
func (s Session) Operator() billing.Operator { return s.Identity.Operator() }

// CurrentOperator re-reads the authorized-keys file and returns the operator
// with the role the key has now. It fails, wrapping ErrKeyNotAuthorized and
// billing.ErrForbidden, when the key was removed.
func (s Session) CurrentOperator() (billing.Operator, error) {
	if s.srv == nil {
		return billing.Operator{}, billing.ErrForbidden
	}
	return s.srv.CurrentOperator(s.Identity)
}

// Authorize is the action-time check: nil when the key still holds a role
// that allows a, according to the authorized-keys file as it is now.
func (s Session) Authorize(a billing.Action) error {
	if s.srv == nil {
		return billing.ErrForbidden
	}
	return s.srv.Authorize(s.Identity, a)
}

// OperatorChangedMsg is sent to a session's program when a recheck of the
// authorized-keys file finds its key's role changed; the console's root
// model takes the new operator (the action-time check stands either way).
type OperatorChangedMsg = common.OperatorChangedMsg

// liveSession is the server's record of one running session.
type liveSession struct {
	sess    charmssh.Session
	program *tea.Program
	model   tea.Model // closed by release when it has Close()
	sub     *storage.Subscription
	started time.Time
	input   *inputPump

	mu       sync.Mutex
	identity Identity
	reason   string // why the server ended it, shown after the program exits
	missing  bool   // key absent at the last recheck
	done     chan struct{}
}

func (l *liveSession) currentIdentity() Identity {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.identity
}

// end asks the program to quit and remembers why, for the message shown
// once the alt screen is gone. A program that does not quit in time is
// killed.
func (l *liveSession) end(reason string) {
	l.mu.Lock()
	if l.reason == "" {
		l.reason = reason
	}
	l.mu.Unlock()
	go l.program.Quit()
	time.AfterFunc(2*time.Second, l.program.Kill)
}

func (l *liveSession) endReason() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reason
}
