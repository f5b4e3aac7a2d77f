package billing

import (
	"context"
	"fmt"

	"github.com/paydesk/paydesk/storage"
)

// RefreshBalances reads the new customer balance transactions of up to
// limit customers the cache marked (storage.BalanceMarks: an applied event
// showed their balance moved; Stripe sends no event for a balance
// transaction itself) and returns how many customers it refreshed. For
// each, pages of GET /v1/customers/{id}/balance_transactions (newest
// first) are read and written until a page holds a transaction already
// cached (everything older is cached: by the backfill or an earlier
// refresh) or the list ends; the mark is then cleared, unless a newer
// event marked the customer again meanwhile. Customers are read side by
// side through the worker pool and rate limiter. A customer Stripe no
// longer has is cleared and skipped; an unreachable Stripe or a rejected
// key stops the pass and keeps the marks.
func (c *Client) RefreshBalances(ctx context.Context, store *storage.Store, limit int) (int, error) {
	marks, err := store.BalanceMarks(limit)
	if err != nil {
		return 0, fmt.Errorf("refresh balance transactions: %w", err)
	}
	n, err := sideBySide(ctx, marks, func(ctx context.Context, m storage.BalanceMark) (bool, error) {
		return c.refreshBalance(ctx, store, m)
	})
	if err != nil {
		return n, fmt.Errorf("refresh balance transactions: %w", err)
	}
	return n, nil
}

// refreshBalance reads one marked customer's new balance transactions;
// false (with a nil error) means the customer was skipped.
func (c *Client) refreshBalance(ctx context.Context, store *storage.Store, m storage.BalanceMark) (bool, error) {
	after := ""
	for {
		var page Page
		var at int64
		err := c.pool.do(ctx, func() error {
			at = c.now().Unix()
			var err error
			page, err = c.ListPage(ctx, ListOptions{Kind: storage.KindBalanceTransaction, Customer: m.Customer, After: after})
			return err
		})
		if err != nil {
			if IsOffline(err) || IsAuth(err) || ctx.Err() != nil {
				return false, err
			}
			c.log.Warn("balance transactions not refreshed", "customer", m.Customer, "reason", describe(err))
			if IsNotFound(err) {
				return false, store.ClearBalanceMark(m)
			}
			return false, nil
		}
		reached := false
		for _, raw := range page.Data {
			id, err := objectID(raw)
			if err != nil {
				return false, err
			}
			if env, err := store.Get(storage.KindBalanceTransaction, id); err == nil && !env.Stale {
				reached = true // this one and every older one are cached
				continue
			}
			if err := c.putFetched(store, raw, at, 0); err != nil {
				return false, err
			}
		}
		if reached || !page.HasMore || len(page.Data) == 0 {
			return true, store.ClearBalanceMark(m)
		}
		if after, err = objectID(page.Data[len(page.Data)-1]); err != nil {
			return false, err
		}
	}
}
