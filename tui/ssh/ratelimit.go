package ssh

import (
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// tokenBucket allows rate events per second with bursts of burst.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newTokenBucket(rate float64, burst int) *tokenBucket {
	return &tokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), now: time.Now}
}

func (b *tokenBucket) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.last.IsZero() {
		b.tokens += now.Sub(b.last).Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// rateLimitedListener closes connections accepted beyond the bucket, after
// a one-line notice (SSH clients skip lines before the version banner).
type rateLimitedListener struct {
	net.Listener
	bucket  *tokenBucket
	refused *atomic.Uint64
	log     *slog.Logger
}

const rateLimitNotice = "paydesk: too many new connections, try again in a few seconds\r\n"

func (l *rateLimitedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.bucket.allow() {
			return c, nil
		}
		l.refused.Add(1)
		l.log.Warn("ssh: connection refused by rate limit", "remote", c.RemoteAddr().String())
		_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, _ = c.Write([]byte(rateLimitNotice))
		_ = c.Close()
	}
}
