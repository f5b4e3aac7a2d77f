package storage

import (
	"sync"
	"sync/atomic"
)

// Delivery sources: who handed an event to ApplyEvent or ReplayEvent.
const (
	SourceWebhook = "webhook"  // a signed request to the webhook receiver
	SourceCatchUp = "catch-up" // the Events API (GET /v1/events), read by billing
	SourceReplay  = "replay"   // an operator replaying a stored event
)

// Op says what kind of committed write a Change announces.
type Op string

const (
	// OpEvent: ApplyEvent or ReplayEvent committed; Result says what it did
	// and Delivery is the receipt logged with it (zero when none was).
	OpEvent Op = "event"
	// OpDelivery: AppendDelivery logged a request that applied nothing (a
	// rejected webhook); Result carries its ids and the rejection.
	OpDelivery Op = "delivery"
	// OpPage: PutPage wrote one backfill page of Result.Kind; Result.ObjectID
	// is empty because any object of the kind may have changed.
	OpPage Op = "page"
	// OpObject: PutObject wrote one fetched object (a refetch): Result.Kind,
	// ObjectID and Customer name it.
	OpObject Op = "object"
	// OpIntent: CreateIntent or UpdateIntent stored the intent named Intent.
	OpIntent Op = "intent"
	// OpAudit: AppendAudit added a record to the audit log.
	OpAudit Op = "audit"
)

// Change is one committed write, as the Store's feed announces it after the
// transaction commits. A write that fails announces nothing.
type Change struct {
	Op       Op
	Delivery Delivery
	Result   ApplyResult
	// Intent is the idempotency key of the intent an OpIntent stored.
	Intent string
	// Reload is set on the first change after this subscriber fell behind
	// and lost changes: redraw from the cache instead of trusting deltas.
	Reload bool
}

// Feed fans committed changes out to subscribers (console sessions, the
// stale-object refresher, events --follow) without ever blocking a writer:
// a subscriber whose buffer is full loses the change, the loss is counted,
// and its next change carries Reload. The model is a table model with
// listeners: writers never know who listens.
type Feed struct {
	mu      sync.RWMutex
	subs    map[*Subscription]struct{}
	dropped atomic.Uint64
}

func newFeed() *Feed { return &Feed{subs: map[*Subscription]struct{}{}} }

// Subscription is one subscriber's queue.
type Subscription struct {
	feed   *Feed
	ch     chan Change
	behind atomic.Bool
	once   sync.Once
	done   chan struct{}
}

// Subscribe registers a subscriber with a queue of buffer changes (256 when
// buffer <= 0). Close it when done.
func (f *Feed) Subscribe(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = 256
	}
	s := &Subscription{feed: f, ch: make(chan Change, buffer), done: make(chan struct{})}
	f.mu.Lock()
	f.subs[s] = struct{}{}
	f.mu.Unlock()
	return s
}

// publish hands c to every subscriber that has room; it never blocks.
func (f *Feed) publish(c Change) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	for s := range f.subs {
		select {
		case s.ch <- c:
		default:
			s.behind.Store(true)
			f.dropped.Add(1)
		}
	}
}

// Dropped counts changes lost to full subscriber queues since Open.
func (f *Feed) Dropped() uint64 { return f.dropped.Load() }

// Subscribers counts live subscriptions.
func (f *Feed) Subscribers() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return len(f.subs)
}

// Next blocks until a change arrives; ok is false once the subscription is closed.
func (s *Subscription) Next() (c Change, ok bool) {
	select {
	case c = <-s.ch:
		if s.behind.Swap(false) {
			c.Reload = true
		}
		return c, true
	case <-s.done:
		return Change{}, false
	}
}

// Close unsubscribes; a blocked Next returns false.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.feed.mu.Lock()
		delete(s.feed.subs, s)
		s.feed.mu.Unlock()
		close(s.done)
	})
}

// Feed is the store's change feed: every committed write to objects,
// events, the delivery log, intents and the audit log is announced on it.
func (s *Store) Feed() *Feed { return s.feed }

// Subscribe is s.Feed().Subscribe(buffer).
func (s *Store) Subscribe(buffer int) *Subscription { return s.feed.Subscribe(buffer) }

// Wake turns the store's feed into a doorbell for a reader that re-reads
// the cache itself: the returned channel (capacity 1) gets a value after
// any committed change for which want is true, or that follows lost
// changes (Reload); rings that arrive while one is pending merge into it.
// Call stop when done; the channel is never closed.
func (s *Store) Wake(want func(Change) bool) (ring <-chan struct{}, stop func()) {
	ch := make(chan struct{}, 1)
	sub := s.Subscribe(256)
	go func() {
		for {
			c, ok := sub.Next()
			if !ok {
				return
			}
			if !c.Reload && !want(c) {
				continue
			}
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}()
	return ch, sub.Close
}
