package billing

import (
	"context"
	"fmt"

	"github.com/paydesk/paydesk/storage"
)

// reconcileBatch bounds the ids collected per read transaction.
const reconcileBatch = 500

// reconcile runs after a backfill walked kind's whole list, from a start at
// unix time since (the kind's cursor StartedAt): a live cached object that
// neither that walk nor any later event wrote (its stamp is below since) was
// not listed by Stripe. Each is retrieved (GET /v1/<kind>/:id): a deleted
// stub (customers) marks it deleted with its last known details, a 404
// resource_missing (deleted products, prices, draft invoices...) marks it
// deleted too, and any other answer (objects a list leaves out but Stripe
// still has) is written as fetched. Balance transactions are not
// reconciled: Stripe never deletes them. It returns how many it marked
// deleted.
func (c *Client) reconcile(ctx context.Context, store *storage.Store, kind storage.Kind, since int64) (int, error) {
	if kind == storage.KindBalanceTransaction || since <= 0 {
		return 0, nil
	}
	var unseen []storage.Envelope
	err := store.Walk(storage.Range{Kind: kind, By: storage.ByCreated, ReleaseOver: residentBudget}, func(e storage.Envelope) error {
		if e.EventCreated < since {
			e.Raw = nil // only the id and stamps are needed
			unseen = append(unseen, e)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reconcile %s: %w", kind, err)
	}
	deleted := 0
	for _, e := range unseen {
		at := c.now().Unix()
		raw, err := c.Retrieve(ctx, kind, e.ID)
		switch {
		case IsNotFound(err):
			ok, err := store.MarkDeleted(kind, e.ID, max(at, e.EventCreated))
			if err != nil {
				return deleted, fmt.Errorf("reconcile %s: %w", kind, err)
			}
			if ok {
				deleted++
			}
		case err != nil:
			return deleted, fmt.Errorf("reconcile %s %s: %w", kind, e.ID, err)
		default:
			if err := c.putFetched(store, raw, at, e.EventCreated); err != nil {
				return deleted, fmt.Errorf("reconcile %s: %w", kind, err)
			}
			if after, err := store.Get(kind, e.ID); err == nil && after.Deleted {
				deleted++
			}
		}
	}
	if deleted > 0 {
		c.log.Info("backfill reconciled objects Stripe no longer lists", "kind", kind, "unseen", len(unseen), "deleted", deleted)
	}
	return deleted, nil
}
