package sandbox

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strings"
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

// keyLimiters enforces the request rate per API key, as Stripe does: each
// key has its own bucket, so one key's burst never throttles another.
type keyLimiters struct {
	rate float64
	now  func() time.Time

	mu   sync.Mutex
	keys map[string]*limiter
}

func newKeyLimiters(rate float64, now func() time.Time) *keyLimiters {
	return &keyLimiters{rate: rate, now: now, keys: map[string]*limiter{}}
}

// allow takes one request of key from its bucket; false means 429.
func (k *keyLimiters) allow(key string) bool {
	k.mu.Lock()
	l := k.keys[key]
	if l == nil {
		l = newLimiter(k.rate, k.now)
		k.keys[key] = l
	}
	k.mu.Unlock()
	return l.allow()
}

// requestKey is the API key a request authenticates with ("" when none).
func requestKey(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if after, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(after)
	}
	if u, _, ok := r.BasicAuth(); ok {
		return u
	}
	return ""
}

// latency is the delay added before every answer: fixed ± jitter,
// uniformly spread, never below zero.
type latency struct {
	fixed, jitter time.Duration
	sleep         func(context.Context, time.Duration) // nil: the wall clock
}

func (l latency) wait(ctx context.Context) {
	d := l.fixed
	if l.jitter > 0 {
		d += time.Duration(rand.Int64N(int64(2*l.jitter)+1)) - l.jitter
	}
	if d <= 0 {
		return
	}
	if l.sleep != nil {
		l.sleep(ctx, d)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
