package billing

import (
	"context"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// KeepFresh refetches the objects the cache marked stale (same-second
// conflicts, events in another API version) until ctx ends: shortly after
// each signal on wake (the process sends one when an applied event left
// something stale), and every `every` in case a signal was missed. Errors
// go to onErr; an unreachable Stripe just waits for the next round.
func (c *Client) KeepFresh(ctx context.Context, store *storage.Store, wake <-chan struct{}, every time.Duration, onErr func(error)) {
	const settle = 500 * time.Millisecond // let a burst of same-second events land first
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-wake:
			select {
			case <-ctx.Done():
				return
			case <-time.After(settle):
			}
			drain(wake)
		}
		for ctx.Err() == nil {
			n, err := c.RefreshStale(ctx, store, 200)
			if err != nil && onErr != nil && ctx.Err() == nil {
				onErr(err)
			}
			if err != nil || n < 200 {
				break
			}
		}
	}
}

// drain empties a signal channel without blocking.
func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}
