package billing

import (
	"context"
	"time"

	"golang.org/x/time/rate"
)

// limiter paces every request of a Client: a token bucket
// (golang.org/x/time/rate) holding at most one token, so requests leave at
// most every 1/rate seconds and no one-second window holds more than rate+1
// of them, however many goroutines send. Each waiter reserves its slot
// before sleeping, so concurrent callers queue in order instead of waking
// together. now and sleep are the clock (tests pass a fake one).
type limiter struct {
	lim   *rate.Limiter
	rate  float64 // requests per second
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func newLimiter(r float64, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	return &limiter{lim: rate.NewLimiter(rate.Limit(r), 1), rate: r, now: now, sleep: sleep}
}

// wait blocks until the caller may send one request, or ctx ends (its
// reserved slot is then given back to the queue).
func (l *limiter) wait(ctx context.Context) error {
	now := l.now()
	res := l.lim.ReserveN(now, 1)
	d := res.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := l.sleep(ctx, d); err != nil {
		res.CancelAt(l.now())
		return err
	}
	return nil
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
