package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// ErrResyncNeeded is returned (wrapped) by CatchUp when the Events API can
// no longer fill the gap since the cache's last event: run
// store.ResetCursors and Backfill.
var ErrResyncNeeded = errors.New("full resync needed")

// EventRetention is how long Stripe keeps events for the Events API.
const EventRetention = 30 * 24 * time.Hour

// SourceCatchUp marks deliveries applied from the Events API.
const SourceCatchUp = "catch-up"

// maxTimeWindowEvents bounds the events buffered when the mark has no id.
const maxTimeWindowEvents = 100_000

// Applier applies one raw event (webhookd's server also publishes it on the
// live bus).
type Applier interface {
	ApplyEvent(raw []byte, source string) (storage.ApplyResult, error)
}

// StoreApplier applies events straight to the store.
type StoreApplier struct {
	Store *storage.Store
	// Now stamps the delivery receipts; default time.Now.
	Now func() time.Time
}

// ApplyEvent implements Applier.
func (a StoreApplier) ApplyEvent(raw []byte, source string) (storage.ApplyResult, error) {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	return a.Store.ApplyEvent(raw, &storage.Delivery{Source: source, At: now().UnixNano()})
}

// CatchUp applies, oldest first, every event Stripe has after the cache's
// last event mark, and returns how many it applied. A mark older than
// Stripe's 30-day retention, a mark Stripe no longer knows, or no mark on a
// cache that holds data returns an error wrapping ErrResyncNeeded. An empty
// cache without a mark has nothing to catch up (Backfill sets the mark).
func (c *Client) CatchUp(ctx context.Context, store *storage.Store, apply Applier) (int, error) {
	mark, err := store.LastEvent()
	if err != nil {
		return 0, fmt.Errorf("catch-up: %w", err)
	}
	if mark.Created == 0 {
		has, err := cacheHasData(store)
		if err != nil {
			return 0, fmt.Errorf("catch-up: %w", err)
		}
		if has {
			return 0, fmt.Errorf("catch-up: the cache has no event mark: %w", ErrResyncNeeded)
		}
		return 0, nil
	}
	if age := c.now().Sub(time.Unix(mark.Created, 0)); age > EventRetention {
		return 0, fmt.Errorf("catch-up: last event is %s old, beyond Stripe's 30-day event retention: %w", age.Round(time.Hour), ErrResyncNeeded)
	}
	if mark.ID == "" {
		return c.catchUpSince(ctx, mark.Created, apply)
	}
	n := 0
	before := mark.ID
	for {
		// ending_before pages towards newer events; each page is still
		// listed newest first, so it is applied from its end.
		page, err := c.ListPage(ctx, ListOptions{Kind: KindEvent, Before: before})
		if err != nil {
			if IsNotFound(err) {
				return n, fmt.Errorf("catch-up: Stripe no longer has event %s: %w", mark.ID, ErrResyncNeeded)
			}
			return n, fmt.Errorf("catch-up: %w", err)
		}
		for i := len(page.Data) - 1; i >= 0; i-- {
			if _, err := apply.ApplyEvent(page.Data[i], SourceCatchUp); err != nil {
				return n, fmt.Errorf("catch-up: %w", err)
			}
			n++
		}
		if !page.HasMore || len(page.Data) == 0 {
			return n, nil
		}
		if before, err = objectID(page.Data[0]); err != nil {
			return n, fmt.Errorf("catch-up: %w", err)
		}
	}
}

// catchUpSince applies the events created at or after since, oldest first.
// It is used when the mark has a time but no id (an account without events
// when the backfill began); those windows are short, so they are buffered.
func (c *Client) catchUpSince(ctx context.Context, since int64, apply Applier) (int, error) {
	var events [][]byte
	for raw, err := range c.ListAll(ctx, ListOptions{Kind: KindEvent, CreatedGTE: since}) {
		if err != nil {
			return 0, fmt.Errorf("catch-up: %w", err)
		}
		if len(events) == maxTimeWindowEvents {
			return 0, fmt.Errorf("catch-up: more than %d events since the mark: %w", maxTimeWindowEvents, ErrResyncNeeded)
		}
		events = append(events, raw)
	}
	n := 0
	for i := len(events) - 1; i >= 0; i-- {
		if _, err := apply.ApplyEvent(events[i], SourceCatchUp); err != nil {
			return n, fmt.Errorf("catch-up: %w", err)
		}
		n++
	}
	return n, nil
}

// markEventStart sets the catch-up mark to the newest event before a
// backfill starts from scratch (fresh) or when the cache has no usable mark:
// events after it are applied by CatchUp, events before it are covered by the
// backfill's fresher copies. A resumed backfill keeps the mark of its first
// run, so the events of the interruption are caught up too. A full resync
// must move the mark even when it looks usable: it may name an event Stripe
// no longer has, which is why the resync was needed.
func (c *Client) markEventStart(ctx context.Context, store *storage.Store, fresh bool) error {
	mark, err := store.LastEvent()
	if err != nil {
		return err
	}
	if !fresh && mark.Created != 0 && c.now().Sub(time.Unix(mark.Created, 0)) <= EventRetention {
		return nil
	}
	page, err := c.ListPage(ctx, ListOptions{Kind: KindEvent, Limit: 1})
	if err != nil {
		return fmt.Errorf("newest event: %w", err)
	}
	if len(page.Data) == 0 {
		return store.SetLastEvent(storage.EventMark{Created: c.now().Unix()})
	}
	head, _, err := storage.ParseEvent(page.Data[0])
	if err != nil {
		return fmt.Errorf("newest event: %w", err)
	}
	return store.SetLastEvent(storage.EventMark{ID: head.EventID, Created: head.Created})
}

func cacheHasData(store *storage.Store) (bool, error) {
	for _, k := range storage.Kinds {
		n, err := store.Count(k)
		if err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}
