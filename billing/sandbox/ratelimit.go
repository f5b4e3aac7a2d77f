package sandbox

import (
	"sync"
	"time"
)

// limiter is a token bucket: rate tokens per second, burst of max(1, rate).
type limiter struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newLimiter(rate float64, now func() time.Time) *limiter {
	b := rate
	if b < 1 {
		b = 1
	}
	return &limiter{rate: rate, burst: b, tokens: b, last: now(), now: now}
}

func (l *limiter) allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	l.tokens += t.Sub(l.last).Seconds() * l.rate
	l.last = t
	if l.tokens > l.burst {
		l.tokens = l.burst
	}
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}
