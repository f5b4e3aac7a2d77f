package billing

import (
	"context"
	"math"
	"sync/atomic"
)

// Bounds of the default worker pool (Config.Concurrency 0).
const (
	minConcurrency = 4
	maxConcurrency = 64
)

// defaultConcurrency is enough requests in flight to keep rate requests per
// second busy at up to 500 ms per answer (Stripe answers a list page in
// roughly 200-500 ms).
func defaultConcurrency(rate float64) int {
	n := math.Ceil(rate / 2)
	if n > maxConcurrency {
		return maxConcurrency
	}
	return max(int(n), minConcurrency)
}

// pool is the one worker pool of a Client: every backfill page, refetch
// and per-customer read holds a slot while its request is on its way, so
// together they never have more than cap(slots) requests in flight. The
// limiter still decides when each request leaves.
type pool struct {
	slots chan struct{}
	want  atomic.Int64 // slots held or waited for
}

func newPool(n int) *pool { return &pool{slots: make(chan struct{}, n)} }

// acquire blocks until a slot is free or ctx ends.
func (p *pool) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.want.Add(1)
	select {
	case p.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		p.want.Add(-1)
		return ctx.Err()
	}
}

func (p *pool) release() {
	<-p.slots
	p.want.Add(-1)
}

// idle reports whether a slot is free with nobody waiting for it.
func (p *pool) idle() bool { return p.want.Load() < int64(cap(p.slots)) }

// size is the most requests in flight at once.
func (p *pool) size() int { return cap(p.slots) }

// do runs fn holding a slot.
func (p *pool) do(ctx context.Context, fn func() error) error {
	if err := p.acquire(ctx); err != nil {
		return err
	}
	defer p.release()
	return fn()
}
