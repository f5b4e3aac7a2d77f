package billing

import (
	"context"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// settle is how long KeepFresh lets a burst of same-second events land
// after the first of them before refetching (invoice.created, finalized
// and paid usually arrive within one second: one refetch serves them all).
const settle = 500 * time.Millisecond

// KeepFresh refetches the objects the cache marked stale (same-second
// conflicts, events in another API version), then the new balance
// transactions of the customers it marked (RefreshBalances), until ctx
// ends: settle after
// the first signal on wake that the last pass did not cover (the process
// sends one when an applied event left something stale; a signal that
// arrived during a pass has already waited part of it), and every `every`
// in case a signal was missed. Each pass fetches the stale objects side by
// side through the worker pool (RefreshStale). Errors go to onErr; an
// unreachable Stripe just waits for the next round.
func (c *Client) KeepFresh(ctx context.Context, store *storage.Store, wake <-chan struct{}, every time.Duration, onErr func(error)) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	// pending holds the arrival of the first signal not yet served.
	pending := make(chan time.Time, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-wake:
				select {
				case pending <- time.Now():
				default: // the first pending signal's time is the one that counts
				}
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case at := <-pending:
			if d := time.Until(at.Add(settle)); d > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(d):
				}
			}
		}
		for _, refresh := range []func(context.Context, *storage.Store, int) (int, error){c.RefreshStale, c.RefreshBalances} {
			for ctx.Err() == nil {
				n, err := refresh(ctx, store, 200)
				if err != nil && onErr != nil && ctx.Err() == nil {
					onErr(err)
				}
				if err != nil || n < 200 {
					break
				}
			}
		}
	}
}

// KeepStoreFresh is KeepFresh woken by the store's own feed, whichever path
// (webhook, catch-up, replay) applied the event: by an event left
// conflicting with its cached copy or in another API version, by one that
// showed a customer's balance moved, and by a reload of the cache. It
// returns when ctx ends.
func (c *Client) KeepStoreFresh(ctx context.Context, store *storage.Store, every time.Duration, onErr func(error)) {
	wake, stop := store.Wake(wantsRefresh)
	defer stop()
	c.KeepFresh(ctx, store, wake, every, onErr)
}

// wantsRefresh reports whether a change of the cache leaves something for
// KeepFresh to read from Stripe.
func wantsRefresh(n storage.Change) bool {
	v := n.Result.Verdict
	return n.Reload || v == storage.VerdictConflict || v == storage.VerdictVersionMismatch || n.Result.BalanceMoved
}
