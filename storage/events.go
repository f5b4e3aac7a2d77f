package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/paydesk/paydesk/storage/stripejson"
	bolt "go.etcd.io/bbolt"
)

// APIVersion is the Stripe API version whose object shapes the cache holds.
const APIVersion = "2023-10-16"

// Verdict says what applying an event did.
type Verdict string

const (
	// VerdictApplied: the object was written.
	VerdictApplied Verdict = "applied"
	// VerdictDuplicate: the event id was seen before; nothing changed.
	VerdictDuplicate Verdict = "duplicate"
	// VerdictOlder: the cache holds a newer copy; the event is kept, the object is not.
	VerdictOlder Verdict = "older"
	// VerdictConflict: same second as the cached copy; written and marked stale.
	VerdictConflict Verdict = "conflict"
	// VerdictVersionMismatch: another API version; kept, object marked stale.
	VerdictVersionMismatch Verdict = "version_mismatch"
	// VerdictRecorded: the event's object is not a cached kind; only the event is kept.
	VerdictRecorded Verdict = "recorded"
	// VerdictRejected: never applied (bad signature, malformed...); set by webhookd.
	VerdictRejected Verdict = "rejected"
)

// Verdicts lists every verdict, for filters and their validation.
var Verdicts = []Verdict{
	VerdictApplied, VerdictDuplicate, VerdictOlder, VerdictConflict,
	VerdictVersionMismatch, VerdictRecorded, VerdictRejected,
}

// ErrMalformedEvent is returned (wrapped) for a payload that is not a Stripe event.
var ErrMalformedEvent = errors.New("malformed event")

// ApplyResult describes one applied event.
type ApplyResult struct {
	EventID    string  `json:"event_id"`
	Type       string  `json:"type"`
	Created    int64   `json:"created"`
	APIVersion string  `json:"api_version"`
	Kind       Kind    `json:"kind,omitempty"`
	ObjectID   string  `json:"object_id,omitempty"`
	Customer   string  `json:"customer,omitempty"`
	Verdict    Verdict `json:"verdict"`
	Reason     string  `json:"reason,omitempty"`
	// Account is the connected account (acct_…) a Connect event came from;
	// empty for the platform's own events.
	Account string `json:"account,omitempty"`
	// Thin marks a thin event (object "v2.core.event"): it names a related
	// object instead of carrying one.
	Thin bool `json:"thin,omitempty"`
	// BalanceMoved is set when the event shows that Customer's balance
	// moved (see balanceMoved): the customer's balance transactions are
	// then due for a refresh (Store.BalanceMarks).
	BalanceMoved bool `json:"balance_moved,omitempty"`
}

// Changed reports whether the event changed a cached object.
func (r ApplyResult) Changed() bool {
	return r.Verdict == VerdictApplied || r.Verdict == VerdictConflict || r.Verdict == VerdictVersionMismatch
}

type rawEvent struct {
	ID         string `json:"id"`
	Object     string `json:"object"`
	Type       string `json:"type"`
	Created    int64  `json:"created"`
	APIVersion string `json:"api_version"`
	Account    string `json:"account"`
	Data       struct {
		Object   json.RawMessage `json:"object"`
		Previous json.RawMessage `json:"previous_attributes"`
	} `json:"data"`
}

// ParseEvent checks that raw is a Stripe event and returns its header and
// data.object. A thin event (object "v2.core.event", see parseThinEvent)
// returns its header with Thin set and no object.
func ParseEvent(raw []byte) (ApplyResult, json.RawMessage, error) {
	head, obj, _, err := parseEvent(raw)
	return head, obj, err
}

// parseEvent is ParseEvent that also returns data.previous_attributes (nil:
// none).
func parseEvent(raw []byte) (ApplyResult, json.RawMessage, json.RawMessage, error) {
	if isThinEvent(raw) {
		head, err := parseThinEvent(raw)
		return head, nil, nil, err
	}
	var ev rawEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		return ApplyResult{}, nil, nil, fmt.Errorf("%w: %v", ErrMalformedEvent, err)
	}
	if ev.ID == "" || ev.Object != "event" || ev.Type == "" || ev.Created <= 0 {
		return ApplyResult{}, nil, nil, fmt.Errorf("%w: missing id, type or created", ErrMalformedEvent)
	}
	if len(ev.Data.Object) == 0 || ev.Data.Object[0] != '{' {
		return ApplyResult{}, nil, nil, fmt.Errorf("%w: data.object is not an object", ErrMalformedEvent)
	}
	return ApplyResult{EventID: ev.ID, Type: ev.Type, Created: ev.Created, APIVersion: ev.APIVersion, Account: ev.Account},
		ev.Data.Object, ev.Data.Previous, nil
}

// ApplyEvent records a Stripe event and updates the object it carries, in
// one transaction, with the delivery receipt d (nil for Events-API catch-up)
// appended to the delivery log in the same transaction; after the commit d
// holds the receipt exactly as logged (Seq, verdict, ids). Safe to call again
// with the same event: the second call is a duplicate and changes nothing.
// A new event moves LastEvent (any source) but never CatchUpMark. After the
// commit the event is announced on the feed (OpEvent, with the receipt); a
// malformed event whose receipt is logged is announced as OpDelivery.
func (s *Store) ApplyEvent(raw []byte, d *Delivery) (ApplyResult, error) {
	head, obj, prev, err := parseEvent(raw)
	if err != nil {
		if d != nil {
			d.Verdict, d.Reason = VerdictRejected, err.Error()
			if _, aerr := s.AppendDelivery(*d); aerr != nil {
				return head, errors.Join(err, aerr)
			}
		}
		return head, err
	}
	res, err := s.writeApplied(d, func(tx *bolt.Tx) (ApplyResult, error) {
		res := head // Batch may run this function twice.
		err := s.applyInTx(tx, raw, obj, prev, &res)
		return res, err
	})
	if err != nil {
		return res, fmt.Errorf("apply event %s: %w", head.EventID, err)
	}
	s.announceEvent(res, d)
	return res, nil
}

// writeApplied runs apply in one write transaction and appends the receipt d
// (nil: none), filled from apply's result, to the delivery log in that same
// transaction; after the commit *d is the receipt as logged, with its Seq.
// apply may run twice (Batch), so it must start from a fresh result.
func (s *Store) writeApplied(d *Delivery, apply func(tx *bolt.Tx) (ApplyResult, error)) (ApplyResult, error) {
	var res ApplyResult
	var logged Delivery
	err := s.write(func(tx *bolt.Tx) error {
		var err error
		if res, err = apply(tx); err != nil {
			return err
		}
		if d != nil {
			logged = *d
			logged.fill(res)
			seq, err := appendDelivery(root(tx), logged, s.opts.MaxDeliveries)
			if err != nil {
				return err
			}
			logged.Seq = seq
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if d != nil {
		*d = logged
	}
	return res, nil
}

// announceEvent publishes an applied event with its receipt (d nil: none).
func (s *Store) announceEvent(res ApplyResult, d *Delivery) {
	c := Change{Op: OpEvent, Result: res}
	if d != nil {
		c.Delivery = *d
	}
	s.feed.publish(c)
}

func (s *Store) applyInTx(tx *bolt.Tx, raw, obj, prev []byte, res *ApplyResult) error {
	r := root(tx)
	events := r.Bucket(bucketEvents)
	if events.Get([]byte(res.EventID)) != nil {
		res.Verdict = VerdictDuplicate
		// Name the object in the receipt too, so the inspector's object
		// filter and events --follow show what a retried delivery was about.
		if f, err := ExtractFields(obj); err == nil {
			res.Kind, res.ObjectID, res.Customer = f.Kind, f.ID, f.Customer
		}
		if res.Account != "" {
			res.Customer = ""
		}
		return nil
	}
	if err := events.Put([]byte(res.EventID), raw); err != nil {
		return fmt.Errorf("store event: %w", err)
	}
	f, ferr := ExtractFields(obj)
	if ferr == nil {
		res.Kind, res.ObjectID, res.Customer = f.Kind, f.ID, f.Customer
	}
	switch {
	case res.Thin:
		res.Verdict, res.Reason = VerdictRecorded, thinReason
	case res.Account != "":
		// A connected account's object: its ids live in that account, so
		// applying it would mix it into the platform's customers and
		// money actions on it would fail at Stripe.
		res.Verdict, res.Reason, res.Customer = VerdictRecorded, connectReason(res.Account), ""
	case ferr != nil || !f.Kind.Cached():
		res.Verdict = VerdictRecorded
		var fe *FieldError
		switch {
		case errors.As(ferr, &fe):
			// The receipt keeps the id and names the field.
			res.Kind, res.ObjectID = fe.Kind, fe.ID
			res.Reason = "field " + fe.Field + " undecodable: " + fe.Err.Error()
		case errors.Is(ferr, errNoID):
			res.Reason = "object has no id" // invoice.upcoming and the like
		case ferr != nil:
			res.Reason = ferr.Error()
		}
		if ferr != nil {
			var ref struct {
				Customer stripejson.Ref `json:"customer"`
			}
			if json.Unmarshal(obj, &ref) == nil {
				res.Customer = string(ref.Customer)
			}
		}
	default:
		if err := s.applyObject(tx, f, obj, res); err != nil {
			return err
		}
		if err := markIfBalanceMoved(r, res, f, prev); err != nil {
			return err
		}
	}
	if err := s.logEvent(r, res); err != nil {
		return err
	}
	meta := r.Bucket(bucketMeta)
	// The catch-up mark is not moved here (billing moves it after each
	// Events-API page); a cache written before it existed pins it now.
	if err := pinCatchUpMark(meta); err != nil {
		return err
	}
	return advanceLastEvent(meta, EventMark{ID: res.EventID, Created: res.Created})
}

func (s *Store) applyObject(tx *bolt.Tx, f Fields, obj []byte, res *ApplyResult) error {
	set, err := kindOf(tx, f.Kind)
	if err != nil {
		return err
	}
	if res.Type == string(f.Kind)+".deleted" {
		f.Deleted = true
	}
	env := &Envelope{Fields: f, Raw: obj, EventCreated: res.Created, CachedAt: s.now()}
	old := set.objects.Get([]byte(f.ID))
	var oldAt int64
	if old != nil {
		oldAt, _ = envelopeEventCreated(old)
	}
	switch {
	case res.APIVersion != "" && res.APIVersion != APIVersion:
		res.Verdict = VerdictVersionMismatch
		res.Reason = fmt.Sprintf("api_version %s, cache holds %s: refetch pending", res.APIVersion, APIVersion)
		if old != nil {
			prev, err := decodeEnvelope(old)
			if err != nil {
				return fmt.Errorf("old copy of %s: %w", f.ID, err)
			}
			env = &prev
			env.EventCreated = max(oldAt, res.Created)
		}
		env.Stale, env.StaleReason = true, res.Reason
	case old != nil && oldAt > res.Created:
		res.Verdict = VerdictOlder
		res.Reason = "cache holds a newer copy"
		return nil
	case old != nil && oldAt == res.Created:
		res.Verdict = VerdictConflict
		res.Reason = "same second as the cached copy: refetch pending"
		env.Stale, env.StaleReason = true, res.Reason
	default:
		res.Verdict = VerdictApplied
	}
	if err := keepLastKnown(env, old); err != nil {
		return err
	}
	if err := s.writeEnvelope(tx, set, env, old); err != nil {
		return err
	}
	res.Customer = env.Customer
	return nil
}

// EventSummary is the eventlog row of one stored event.
type EventSummary struct {
	Seq      uint64  `json:"seq"`
	ID       string  `json:"id"`
	Type     string  `json:"type"`
	Created  int64   `json:"created"`
	Kind     Kind    `json:"kind,omitempty"`
	ObjectID string  `json:"object_id,omitempty"`
	Customer string  `json:"customer,omitempty"`
	Verdict  Verdict `json:"verdict"`
}

func (s *Store) logEvent(r *bolt.Bucket, res *ApplyResult) error {
	log := r.Bucket(bucketEventLog)
	seq, err := log.NextSequence()
	if err != nil {
		return fmt.Errorf("event log: %w", err)
	}
	sum := EventSummary{Seq: seq, ID: res.EventID, Type: res.Type, Created: res.Created,
		Kind: res.Kind, ObjectID: res.ObjectID, Customer: res.Customer, Verdict: res.Verdict}
	if err := putJSON(log, be64(seq), sum); err != nil {
		return err
	}
	evIdx := r.Bucket(bucketIdx).Bucket(idxEventsKind)
	if err := eventIndexes(evIdx, sum, true); err != nil {
		return err
	}
	meta := r.Bucket(bucketMeta)
	if err := addCount(meta, "events", 1); err != nil {
		return err
	}
	return trimLog(log, meta, "events", s.opts.MaxEvents, func(_, v []byte) error {
		var old EventSummary
		if err := json.Unmarshal(v, &old); err != nil {
			return nil // an unreadable row only loses its index entries
		}
		if err := r.Bucket(bucketEvents).Delete([]byte(old.ID)); err != nil {
			return err
		}
		return eventIndexes(evIdx, old, false)
	})
}

func eventIndexes(evIdx *bolt.Bucket, sum EventSummary, put bool) error {
	keys := map[*bolt.Bucket][]byte{}
	if sum.Customer != "" {
		keys[evIdx.Bucket(idxEventsCustomer)] = groupKey(sum.Customer, sum.Created, sum.ID)
	}
	if sum.ObjectID != "" {
		keys[evIdx.Bucket(idxEventsObject)] = groupKey(sum.ObjectID, sum.Created, sum.ID)
	}
	for b, k := range keys {
		var err error
		if put {
			err = b.Put(k, be64(sum.Seq))
		} else {
			err = b.Delete(k)
		}
		if err != nil {
			return fmt.Errorf("event index: %w", err)
		}
	}
	return nil
}

// trimLog deletes the oldest rows of a seq-keyed log while it holds more
// than limit rows, calling onDelete for each before it goes.
func trimLog(log, meta *bolt.Bucket, counter Kind, limit int, onDelete func(k, v []byte) error) error {
	n := readCount(meta, counter)
	if n <= int64(limit) {
		return nil
	}
	c := log.Cursor()
	removed := int64(0)
	for k, v := c.First(); k != nil && n-removed > int64(limit); k, v = c.First() {
		if onDelete != nil {
			if err := onDelete(k, v); err != nil {
				return fmt.Errorf("trim %s: %w", counter, err)
			}
		}
		if err := c.Delete(); err != nil {
			return fmt.Errorf("trim %s: %w", counter, err)
		}
		removed++
	}
	return addCount(meta, counter, -removed)
}

// Event returns a stored event's raw payload.
func (s *Store) Event(id string) (json.RawMessage, error) {
	var out json.RawMessage
	err := s.view(func(tx *bolt.Tx) error {
		v := root(tx).Bucket(bucketEvents).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("event %s: %w", id, ErrNotFound)
		}
		out = append(json.RawMessage(nil), v...)
		return nil
	})
	return out, err
}

// EventsFor lists up to limit events, newest first, that touched the object
// id or, for a customer id, any object of that customer. Events of one
// second are ordered as they were logged (seq), not by event id.
func (s *Store) EventsFor(id string, limit int) ([]EventSummary, error) {
	var out []EventSummary
	err := s.view(func(tx *bolt.Tx) error {
		r := root(tx)
		evIdx := r.Bucket(bucketIdx).Bucket(idxEventsKind)
		b := evIdx.Bucket(idxEventsObject)
		if strings.HasPrefix(id, "cus_") {
			b = evIdx.Bucket(idxEventsCustomer)
		}
		log := r.Bucket(bucketEventLog)
		prefix := groupPrefix(id)
		c := b.Cursor()
		// Past the limit, the rest of the last second is still read: its
		// events sort by id in the index, and the newest by seq may be among them.
		for k, v := seekLastWithPrefix(c, prefix); k != nil; k, v = c.Prev() {
			if !hasPrefix(k, prefix) {
				break
			}
			var sum EventSummary
			if err := getJSON(log, v, &sum); err != nil {
				return err
			}
			if sum.ID == "" {
				continue
			}
			if len(out) >= limit && (len(out) == 0 || sum.Created != out[len(out)-1].Created) {
				break
			}
			out = append(out, sum)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return logOrderLess(out[j], out[i]) })
	return out[:min(len(out), limit)], err
}

// RecentEvents lists up to limit events applied before seq (0: the newest), newest first.
func (s *Store) RecentEvents(beforeSeq uint64, limit int) ([]EventSummary, error) {
	var out []EventSummary
	err := s.view(func(tx *bolt.Tx) error {
		c := root(tx).Bucket(bucketEventLog).Cursor()
		for k, v := seekBefore(c, beforeSeq); k != nil && len(out) < limit; k, v = c.Prev() {
			var sum EventSummary
			if err := json.Unmarshal(v, &sum); err != nil {
				return fmt.Errorf("event log: %w", err)
			}
			out = append(out, sum)
		}
		return nil
	})
	return out, err
}
