package billing

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
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
type limitedTransport struct {
	base       http.RoundTripper
	limiter    *limiter
	maxRetries int
	sleep      func(context.Context, time.Duration) error
	jitter     func() float64 // in [0,1)

	sent      atomic.Int64 // requests handed to base (every attempt)
	throttled atomic.Int64 // 429 answers seen
}

func newLimitedTransport(base http.RoundTripper, l *limiter) *limitedTransport {
	if base == nil {
		base = http.DefaultTransport
	}
	return &limitedTransport{base: base, limiter: l, maxRetries: maxRateLimitRetries, sleep: sleepCtx, jitter: rand.Float64}
}

// RoundTrip implements http.RoundTripper.
func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		if err := t.limiter.wait(ctx); err != nil {
			closeBody(req)
			return nil, err
		}
		r := req
		if attempt > 0 {
			var err error
			if r, err = rewind(req); err != nil {
				return nil, err
			}
		}
		t.sent.Add(1)
		resp, err := t.base.RoundTrip(r)
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
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if err := t.sleep(ctx, d); err != nil {
			return nil, err
		}
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
