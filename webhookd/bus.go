package webhookd

import (
	"sync"
	"sync/atomic"

	"github.com/paydesk/paydesk/storage"
)

// Notice is what the live bus carries: one webhook request (or catch-up
// event) and, when it was applied, what it changed.
type Notice struct {
	Delivery storage.Delivery
	Result   storage.ApplyResult
	// Reload is set on the first notice after this subscriber fell behind
	// and lost notices: redraw from the cache instead of trusting deltas.
	Reload bool
}

// Bus fans applied events out to subscribers (TUI sessions) without ever
// blocking ingestion: a subscriber whose buffer is full loses the notice,
// the loss is counted, and its next notice carries Reload.
type Bus struct {
	mu      sync.RWMutex
	subs    map[*Subscription]struct{}
	dropped atomic.Uint64
}

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{subs: map[*Subscription]struct{}{}} }

// Subscription is one subscriber's queue.
type Subscription struct {
	bus    *Bus
	ch     chan Notice
	behind atomic.Bool
	once   sync.Once
	done   chan struct{}
}

// Subscribe registers a subscriber with a queue of buffer notices.
func (b *Bus) Subscribe(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = 256
	}
	s := &Subscription{bus: b, ch: make(chan Notice, buffer), done: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

// Publish hands n to every subscriber that has room; it never blocks.
func (b *Bus) Publish(n Notice) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs {
		select {
		case s.ch <- n:
		default:
			s.behind.Store(true)
			b.dropped.Add(1)
		}
	}
}

// Dropped counts notices lost to full subscriber queues since start.
func (b *Bus) Dropped() uint64 { return b.dropped.Load() }

// Subscribers counts live subscriptions.
func (b *Bus) Subscribers() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.subs)
}

// Next blocks until a notice arrives; ok is false once the subscription is closed.
func (s *Subscription) Next() (n Notice, ok bool) {
	select {
	case n = <-s.ch:
		if s.behind.Swap(false) {
			n.Reload = true
		}
		return n, true
	case <-s.done:
		return Notice{}, false
	}
}

// Close unsubscribes; a blocked Next returns false.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.bus.mu.Lock()
		delete(s.bus.subs, s)
		s.bus.mu.Unlock()
		close(s.done)
	})
}
