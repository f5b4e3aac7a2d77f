package billing

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestPoolSpareWaitsForWalks: a request that brings few rows (doSpare)
// does not take a slot while a walk's request waits for one, nor while as
// many requests are on their way as keep the rate limit busy; it runs as
// soon as neither holds.
func TestPoolSpareWaitsForWalks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p := newPool(2)
	var busy atomic.Int64 // requests in flight that keep the rate limit busy
	busy.Store(2)
	busyFn := func() int { return int(busy.Load()) }

	// Two walk requests hold both slots; a third waits for one.
	holds := []chan struct{}{make(chan struct{}), make(chan struct{})}
	for _, h := range holds {
		if err := p.acquire(ctx); err != nil {
			t.Fatal(err)
		}
		go func() { <-h; p.release() }()
	}
	walkGot := make(chan struct{})
	walkDone := make(chan struct{})
	go func() {
		if err := p.acquire(ctx); err != nil {
			t.Error(err)
		}
		close(walkGot)
		<-walkDone
		p.release()
	}()
	for p.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	spareRan := make(chan struct{})
	go func() {
		if err := p.doSpare(ctx, busyFn, func() error { close(spareRan); return nil }); err != nil {
			t.Error(err)
		}
	}()

	// A slot frees: the waiting walk request takes it, not the spare one.
	close(holds[0])
	<-walkGot
	select {
	case <-spareRan:
		t.Fatal("spare request took a slot while a walk request waited, or while the rate limit was busy")
	case <-time.After(50 * time.Millisecond):
	}
	// Another frees, nobody waits, but one request in flight still keeps
	// the limit busy at busy = 1.
	busy.Store(1)
	close(holds[1])
	select {
	case <-spareRan:
		t.Fatal("spare request ran while the rate limit was busy")
	case <-time.After(50 * time.Millisecond):
	}
	// The walk's request ends: the spare request runs.
	close(walkDone)
	select {
	case <-spareRan:
	case <-ctx.Done():
		t.Fatal("spare request never ran once the pool was idle")
	}
}
