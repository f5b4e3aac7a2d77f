package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/paydesk/paydesk/storage"
)

// Refetch reads kind/id from Stripe and writes it to the cache (the TUI's
// `r` key), through the client's worker pool like every read. Balance
// transactions are looked up through their cached customer.
func (c *Client) Refetch(ctx context.Context, store *storage.Store, kind storage.Kind, id string) error {
	var cachedAt int64
	customer := ""
	if env, err := store.Get(kind, id); err == nil {
		cachedAt, customer = env.EventCreated, env.Customer
	} else if !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("refetch %s: %w", id, err)
	}
	var raw json.RawMessage
	var at int64
	err := c.pool.do(ctx, func() error {
		at = c.now().Unix()
		var err error
		raw, err = c.fetchOne(ctx, kind, customer, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("refetch: %w", err)
	}
	return c.putFetched(store, raw, at, cachedAt)
}

// RefreshStale refetches up to limit objects the cache marked stale and
// returns how many it rewrote. The objects of each batch are fetched side
// by side through the client's worker pool and rate limiter (GET
// /v1/<kind>/<id>), so a burst of same-second conflicts is refreshed in
// about one answer's time per pool's worth. Objects Stripe no longer has
// are skipped and the walk goes on past them, so they never block the
// others; an unreachable Stripe or a rejected key stops the pass.
func (c *Client) RefreshStale(ctx context.Context, store *storage.Store, limit int) (int, error) {
	const page = 200
	n := 0
	var after storage.StaleRef
	for n < limit {
		refs, err := store.StaleAfter(after, page)
		if err != nil {
			return n, fmt.Errorf("refresh stale: %w", err)
		}
		// A batch never holds more than what is still wanted, so skipped
		// objects are made up by the next batch and limit is never passed.
		rest := refs
		for len(rest) > 0 && n < limit {
			batch := rest[:min(len(rest), limit-n)]
			rest = rest[len(batch):]
			done, err := c.refreshBatch(ctx, store, batch)
			n += done
			if err != nil {
				return n, fmt.Errorf("refresh stale: %w", err)
			}
		}
		if len(refs) < page || n == limit {
			return n, nil
		}
		after = refs[len(refs)-1]
	}
	return n, nil
}

// refreshBatch refreshes refs side by side and returns how many it
// rewrote and the first error that stops the pass.
func (c *Client) refreshBatch(ctx context.Context, store *storage.Store, refs []storage.StaleRef) (int, error) {
	return sideBySide(ctx, refs, func(ctx context.Context, ref storage.StaleRef) (ok bool, err error) {
		err = c.pool.do(ctx, func() error {
			ok, err = c.refreshOne(ctx, store, ref)
			return err
		})
		return ok, err
	})
}

// sideBySide runs fn for every item in its own goroutine and returns how
// many returned true and the first error; that error cancels the ctx the
// others run with. fn bounds its own concurrency (the worker pool).
func sideBySide[T any](ctx context.Context, items []T, fn func(context.Context, T) (bool, error)) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		n        int
		firstErr error
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := fn(ctx, it)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				return
			}
			if ok {
				n++
			}
		}()
	}
	wg.Wait()
	return n, firstErr
}

// refreshOne rewrites one stale object; false (with a nil error) means it
// was skipped: gone from the cache or from Stripe.
func (c *Client) refreshOne(ctx context.Context, store *storage.Store, ref storage.StaleRef) (bool, error) {
	env, err := store.Get(ref.Kind, ref.ID)
	if err != nil {
		c.log.Warn("stale object not refreshed", "reason", describe(err))
		return false, nil
	}
	at := c.now().Unix()
	raw, err := c.fetchOne(ctx, ref.Kind, env.Customer, ref.ID)
	if err != nil {
		if IsOffline(err) || IsAuth(err) || ctx.Err() != nil {
			return false, err
		}
		c.log.Warn("stale object not refreshed", "reason", describe(err))
		return false, nil
	}
	if err := c.putFetched(store, raw, at, env.EventCreated); err != nil {
		return false, err
	}
	return true, nil
}

func (c *Client) fetchOne(ctx context.Context, kind storage.Kind, customer, id string) (json.RawMessage, error) {
	if kind == storage.KindBalanceTransaction {
		return c.RetrieveBalanceTransaction(ctx, customer, id)
	}
	return c.Retrieve(ctx, kind, id)
}

// putFetched writes an object retrieved by a request sent at unix time
// sentAt (the time the request left, as for backfill pages: an event while
// it was on its way must not look older than the copy). The copy was read
// after the cached one was written, so its stamp is never below the cached
// stamp even when the local clock lags Stripe's.
func (c *Client) putFetched(store *storage.Store, raw json.RawMessage, sentAt, cachedAt int64) error {
	at := max(sentAt, cachedAt)
	if err := store.PutObject(raw, at); err != nil {
		return fmt.Errorf("write fetched object: %w", err)
	}
	return nil
}

// Ping checks that Stripe answers and accepts the key with the cheapest
// call paydesk needs anyway (one event). Offline: errors.Is(err, ErrOffline).
func (c *Client) Ping(ctx context.Context) error {
	if _, err := c.ListPage(ctx, ListOptions{Kind: KindEvent, Limit: 1}); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}
