package ssh

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	charmssh "github.com/charmbracelet/ssh"
)

// rendererQueryTimeout bounds how long bm.MakeRenderer may wait for the
// client terminal to answer its background-colour query.
const rendererQueryTimeout = time.Second

var errQueryTimeout = errors.New("terminal did not answer in time")

// inputPump is the one reader of a session's input. The renderer's
// terminal query and then the tea.Program read from it, so a query that
// times out (a client that never answers) neither blocks the session until
// the next keystroke nor swallows that keystroke, as a read straight from
// the session would.
type inputPump struct {
	chunks chan []byte
	done   <-chan struct{}

	mu      sync.Mutex
	pending []byte
	err     error // set once the session's input ended

	last atomic.Int64 // unix nanoseconds of the last input byte, for idle
}

func newInputPump(sess charmssh.Session) *inputPump {
	p := &inputPump{chunks: make(chan []byte), done: sess.Context().Done()}
	p.last.Store(time.Now().UnixNano())
	go p.run(sess)
	return p
}

func (p *inputPump) run(r io.Reader) {
	buf := make([]byte, 1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			p.last.Store(time.Now().UnixNano())
			chunk := append([]byte(nil), buf[:n]...)
			select {
			case p.chunks <- chunk:
			case <-p.done:
				return
			}
		}
		if err != nil {
			p.mu.Lock()
			p.err = err
			p.mu.Unlock()
			close(p.chunks)
			return
		}
	}
}

// read returns input, or errQueryTimeout once expired (if set) is closed
// and no input is waiting.
func (p *inputPump) read(b []byte, expired <-chan struct{}) (int, error) {
	p.mu.Lock()
	if len(p.pending) > 0 {
		n := copy(b, p.pending)
		p.pending = p.pending[n:]
		p.mu.Unlock()
		return n, nil
	}
	p.mu.Unlock()
	select {
	case chunk, ok := <-p.chunks:
		if !ok {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.err != nil {
				return 0, p.err
			}
			return 0, io.EOF
		}
		n := copy(b, chunk)
		if n < len(chunk) {
			p.mu.Lock()
			p.pending = append(p.pending, chunk[n:]...)
			p.mu.Unlock()
		}
		return n, nil
	case <-p.done:
		return 0, io.EOF
	case <-expired:
		return 0, errQueryTimeout
	}
}

// Read is the program's input.
func (p *inputPump) Read(b []byte) (int, error) { return p.read(b, nil) }

func (p *inputPump) idleFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, p.last.Load()))
}

// queryingSession is the session as bm.MakeRenderer sees it: reads come
// from the pump and give up after rendererQueryTimeout.
type queryingSession struct {
	charmssh.Session
	pump    *inputPump
	expired chan struct{}
}

func newQueryingSession(sess charmssh.Session, pump *inputPump) *queryingSession {
	q := &queryingSession{Session: sess, pump: pump, expired: make(chan struct{})}
	time.AfterFunc(rendererQueryTimeout, func() { close(q.expired) })
	return q
}

func (q *queryingSession) Read(b []byte) (int, error) { return q.pump.read(b, q.expired) }
