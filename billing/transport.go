package billing

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Backoff bounds for 429 retries.
const (
	maxRateLimitRetries = 5
	backoffBase         = 500 * time.Millisecond
	backoffCap          = 16 * time.Second
	retryAfterCap       = 60 * time.Second
)

// limitedTransport paces every request through the limiter and retries
// 429 answers with backoff, because stripe-go v76 retries 429 only for
// lock_timeout. Network errors are passed through untouched: stripe-go
// retries them, and IsOffline recognises them.
//
// The backoff is shared: a 429 pauses every request of the client, not
// only the one that got it (Stripe's limit is per account, so the others
// would be refused too). Each paused request resumes after the pause plus
// its own jitter and then queues for the limiter again, so they do not
// return as a herd.
type limitedTransport struct {
	base       http.RoundTripper
	limiter    *limiter
	maxRetries int
	sleep      func(context.Context, time.Duration) error
	jitter     func() float64 // in [0,1)
	now        func() time.Time

	mu         sync.Mutex
	pauseUntil time.Time     // no request leaves before this (shared 429 backoff)
	answerEWMA time.Duration // how long Stripe takes to answer, smoothed

	sent      atomic.Int64 // requests handed to base (every attempt)
	throttled atomic.Int64 // 429 answers seen
	paused    atomic.Int64 // requests held back by another request's 429
	inFlight  atomic.Int64 // requests sent and not answered yet
}

func newLimitedTransport(base http.RoundTripper, l *limiter) *limitedTransport {
	if base == nil {
		base = http.DefaultTransport
	}
	return &limitedTransport{base: base, limiter: l, maxRetries: maxRateLimitRetries, sleep: sleepCtx, jitter: rand.Float64, now: time.Now}
}

// pauseJitter spreads requests resuming after a shared pause.
const pauseJitter = 250 * time.Millisecond

// pause holds every request back until at least now+d.
func (t *limitedTransport) pause(d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if until := t.now().Add(d); until.After(t.pauseUntil) {
		t.pauseUntil = until
	}
}

// observe folds one answer's time into the smoothed answer time.
func (t *limitedTransport) observe(d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.answerEWMA == 0 {
		t.answerEWMA = d
		return
	}
	t.answerEWMA += (d - t.answerEWMA) / 8
}

// wantInFlight is how many requests must be on their way to keep the rate
// limit busy at the smoothed answer time (Little's law), 1 at least.
func (t *limitedTransport) wantInFlight() int {
	t.mu.Lock()
	ans := t.answerEWMA
	t.mu.Unlock()
	n := t.limiter.rate*ans.Seconds()*1.25 + 1
	if n > 1e6 {
		return 1e6
	}
	return max(1, int(n))
}

// pausedFor is how long a request about to leave must still wait for a
// pause set by another request's 429 (0: none), jitter included.
func (t *limitedTransport) pausedFor() time.Duration {
	t.mu.Lock()
	d := t.pauseUntil.Sub(t.now())
	t.mu.Unlock()
	if d <= 0 {
		return 0
	}
	return d + time.Duration(t.jitter()*float64(pauseJitter))
}

// RoundTrip implements http.RoundTripper.
func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	backedOff := false // this request just waited out its own 429
	for attempt := 0; ; attempt++ {
		if err := t.limiter.wait(ctx); err != nil {
			closeBody(req)
			return nil, err
		}
		if d := t.pausedFor(); d > 0 && !backedOff {
			// Another request hit the limit: wait it out, then queue again.
			t.paused.Add(1)
			if err := t.sleep(ctx, d); err != nil {
				closeBody(req)
				return nil, err
			}
			attempt--
			backedOff = true
			continue
		}
		backedOff = false
		r := req
		if attempt > 0 {
			var err error
			if r, err = rewind(req); err != nil {
				return nil, err
			}
		}
		t.sent.Add(1)
		t.inFlight.Add(1)
		sentAt := time.Now()
		resp, err := t.base.RoundTrip(r)
		t.inFlight.Add(-1)
		if err == nil {
			t.observe(time.Since(sentAt))
		}
		if err != nil || resp.StatusCode != http.StatusTooManyRequests {
			return resp, err
		}
		t.throttled.Add(1)
		if resp.Header.Get("Stripe-Should-Retry") == "false" || !replayable(req) {
			return resp, nil
		}
		if attempt >= t.maxRetries {
			// We already retried: keep stripe-go from multiplying the retries.
			resp.Header.Set("Stripe-Should-Retry", "false")
			return resp, nil
		}
		d := t.backoff(attempt, resp.Header)
		t.pause(d)
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if err := t.sleep(ctx, d); err != nil {
			return nil, err
		}
		backedOff = true
	}
}

// backoff is the wait before retry attempt+1: exponential with jitter in
// [d/2, d), never shorter than the server's Retry-After.
func (t *limitedTransport) backoff(attempt int, h http.Header) time.Duration {
	d := backoffBase << attempt
	if d > backoffCap || d <= 0 {
		d = backoffCap
	}
	d = d/2 + time.Duration(t.jitter()*float64(d/2))
	if ra := retryAfter(h); ra > d {
		d = ra
	}
	return d
}

// retryAfter parses Retry-After (seconds or an HTTP date), capped.
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	var d time.Duration
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		d = time.Duration(s * float64(time.Second))
	} else if at, err := http.ParseTime(v); err == nil {
		d = time.Until(at)
	}
	if d < 0 {
		return 0
	}
	return min(d, retryAfterCap)
}

func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewind clones req with a fresh body for another attempt.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	return r, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
