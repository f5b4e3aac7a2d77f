package billing

import (
	"context"
	"math"
	"sync"
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
	want  atomic.Int64 // slots held or waited for (waits of doSpare not counted)
	// waiting counts the callers blocked in acquire; freed is closed (and
	// replaced) whenever a slot is released or a waiter stops waiting, to
	// wake the callers of doSpare.
	waiting atomic.Int64
	mu      sync.Mutex
	freed   chan struct{}
}

func newPool(n int) *pool {
	return &pool{slots: make(chan struct{}, n), freed: make(chan struct{})}
}

// acquire blocks until a slot is free or ctx ends.
func (p *pool) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.want.Add(1)
	select {
	case p.slots <- struct{}{}:
		return nil
	default:
	}
	p.waiting.Add(1)
	defer p.stoppedWaiting()
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
	p.wake()
}

func (p *pool) stoppedWaiting() {
	p.waiting.Add(-1)
	p.wake()
}

// wake wakes the callers of doSpare waiting for a change.
func (p *pool) wake() {
	p.mu.Lock()
	close(p.freed)
	p.freed = make(chan struct{})
	p.mu.Unlock()
}

// changed is closed at the next release or end of a wait.
func (p *pool) changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.freed
}

// acquireSpare blocks until a slot is free that no acquire is waiting
// for while fewer than busy() slots are held, or ctx ends.
func (p *pool) acquireSpare(ctx context.Context, busy func() int) error {
	for {
		ch := p.changed()
		if err := ctx.Err(); err != nil {
			return err
		}
		if p.waiting.Load() == 0 && int(p.want.Load()) < busy() {
			select {
			case p.slots <- struct{}{}:
				p.want.Add(1)
				return nil
			default:
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
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

// doSpare runs fn holding a slot that nobody calling do was waiting for,
// once fewer than busy() slots are held (busy: how many requests in flight
// keep the rate limit busy). Requests that bring few rows (a customer's
// balance transactions, one or two a request) so take the rate limit only
// when the walks of whole pages leave it spare, which is when the cache's
// writer, not Stripe, is what those walks wait for, and are then done
// without slowing the walk. Wakes are sent on every release (and end of a
// wait), so busy() is looked at again after each.
func (p *pool) doSpare(ctx context.Context, busy func() int, fn func() error) error {
	if err := p.acquireSpare(ctx, busy); err != nil {
		return err
	}
	defer p.release()
	return fn()
}
