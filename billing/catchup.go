package billing

import (
	"context"
	"encoding/json"
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

// Applier applies one raw event: StoreApplier, or webhookd's server, which
// also counts it in its metrics. Either way the store announces the change
// on its feed.
type Applier interface {
	ApplyEvent(raw []byte, source string) (storage.ApplyResult, error)
}

// StoreApplier applies events straight to the store.
type StoreApplier struct {
	Store *storage.Store
	// Clocks.Wall stamps the delivery receipts (real time); default
	// time.Now.
	Clocks Clocks
}

// ApplyEvent implements Applier.
func (a StoreApplier) ApplyEvent(raw []byte, source string) (storage.ApplyResult, error) {
	now := a.Clocks.WithDefaults().Wall
	return a.Store.ApplyEvent(raw, &storage.Delivery{Source: source, At: now().UnixNano()})
}

// CatchUp applies, oldest first, every event Stripe has after the cache's
// catch-up mark (store.CatchUpMark), and returns how many of them were new
// to the cache: events a webhook already delivered are applied again
// harmlessly (the store dedupes them by id) and are not counted. After each
// page it moves the catch-up mark to the newest event of the page it applied
// (also when it stops at an error), so the next run resumes there. Webhook
// deliveries never move that mark, so an event whose delivery failed is
// fetched here even when a newer one was delivered.
//
// A mark older than Stripe's 30-day retention, a mark Stripe no longer
// knows, or no mark on a cache that holds data returns an error wrapping
// ErrResyncNeeded. An empty cache without a mark has nothing to catch up
// (Backfill sets the mark). While a Backfill of the same Client runs,
// CatchUp waits for it to end.
func (c *Client) CatchUp(ctx context.Context, store *storage.Store, apply Applier) (int, error) {
	c.syncMu.Lock() // never between a backfill's pages
	defer c.syncMu.Unlock()
	mark, err := store.CatchUpMark()
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
		return c.catchUpSince(ctx, store, mark.Created, apply)
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
		added, err := applyOldestFirst(store, apply, page.Data)
		n += added
		if err != nil {
			return n, fmt.Errorf("catch-up: %w", err)
		}
		if !page.HasMore || len(page.Data) == 0 {
			return n, nil
		}
		if before, err = objectID(page.Data[0]); err != nil {
			return n, fmt.Errorf("catch-up: %w", err)
		}
	}
}

// catchUpSince applies the events created at or after since, oldest first,
// moving the catch-up mark after every PageSize of them; it counts like
// CatchUp. It is used when the mark has a time but no id (an account
// without events when the backfill began); those windows are short, so they
// are buffered.
func (c *Client) catchUpSince(ctx context.Context, store *storage.Store, since int64, apply Applier) (int, error) {
	var events []json.RawMessage
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
	for end := len(events); end > 0; end -= PageSize {
		added, err := applyOldestFirst(store, apply, events[max(0, end-PageSize):end])
		n += added
		if err != nil {
			return n, fmt.Errorf("catch-up: %w", err)
		}
	}
	return n, nil
}

// applyOldestFirst applies the events of newestFirst from its end, then
// moves the catch-up mark to the newest one applied, also when it stops at
// an error (everything older was applied before it). It returns how many
// events were new to the cache (not duplicates).
func applyOldestFirst(store *storage.Store, apply Applier, newestFirst []json.RawMessage) (int, error) {
	n := 0
	var last storage.EventMark
	var err error
	for i := len(newestFirst) - 1; i >= 0; i-- {
		// An event a webhook already delivered is skipped without a
		// receipt: re-applying it would only log a "duplicate" delivery
		// per catch-up run and drown the inspector's tail.
		if head, _, perr := storage.ParseEvent(newestFirst[i]); perr == nil && head.EventID != "" {
			if _, gerr := store.Event(head.EventID); gerr == nil {
				last = storage.EventMark{ID: head.EventID, Created: head.Created}
				continue
			}
		}
		var res storage.ApplyResult
		if res, err = apply.ApplyEvent(newestFirst[i], SourceCatchUp); err != nil {
			break
		}
		if res.Verdict != storage.VerdictDuplicate {
			n++
		}
		if res.EventID == "" { // an Applier that does not echo the event
			res, _, _ = storage.ParseEvent(newestFirst[i])
		}
		if res.EventID != "" {
			last = storage.EventMark{ID: res.EventID, Created: res.Created}
		}
	}
	if last.ID != "" {
		if merr := store.SetCatchUpMark(last); merr != nil {
			return n, errors.Join(err, fmt.Errorf("catch-up mark: %w", merr))
		}
	}
	return n, err
}

// markEventStart sets the catch-up mark to the newest event before a
// backfill starts from scratch (fresh) or when the cache has no usable mark:
// events after it are applied by CatchUp, events before it are covered by the
// backfill's fresher copies. A resumed backfill keeps the mark of its first
// run, so the events of the interruption are caught up too. A full resync
// must move the mark even when it looks usable, and even backwards (store.
// ResetCatchUpMark): it may name an event Stripe no longer has, which is why
// the resync was needed. last_event moves forward to it too, as any applied
// event would move it.
func (c *Client) markEventStart(ctx context.Context, store *storage.Store, fresh bool) error {
	mark, err := store.CatchUpMark()
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
	start := storage.EventMark{Created: c.now().Unix()}
	if len(page.Data) > 0 {
		head, _, err := storage.ParseEvent(page.Data[0])
		if err != nil {
			return fmt.Errorf("newest event: %w", err)
		}
		start = storage.EventMark{ID: head.EventID, Created: head.Created}
	}
	if err := store.ResetCatchUpMark(start); err != nil {
		return err
	}
	return store.SetLastEvent(start)
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
