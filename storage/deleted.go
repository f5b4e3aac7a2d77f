package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// isDeletedStub reports whether raw is Stripe's answer for a deleted object:
// {"id", "object", "deleted": true} and nothing else worth keeping (what
// GET /v1/customers/:id returns once the customer is deleted, and what
// DELETE answers for every kind).
func isDeletedStub(raw []byte) bool {
	var o struct {
		Deleted bool `json:"deleted"`
	}
	return json.Unmarshal(raw, &o) == nil && o.Deleted
}

// keepLastKnown makes env, a deleted object about to replace the copy old
// (nil: none), keep the last details the cache knew: a deleted stub over a
// cached copy keeps that copy's raw JSON and fields, marked deleted, so
// pages and labels still name the customer (or product, price, invoice)
// Stripe deleted. A ".deleted" event already carries the last state and is
// kept as sent.
func keepLastKnown(env *Envelope, old []byte) error {
	if !env.Deleted {
		return nil
	}
	if env.Kind == KindCustomer {
		env.Status = "deleted"
	}
	if old == nil || !isDeletedStub(env.Raw) {
		return nil
	}
	prev, err := decodeEnvelope(old)
	if err != nil {
		return fmt.Errorf("deleted %s %s: old copy: %w", env.Kind, env.ID, err)
	}
	if isDeletedStub(prev.Raw) {
		return nil // nothing better was ever cached
	}
	env.Fields, env.Raw = prev.Fields, prev.Raw
	env.Deleted = true
	if env.Kind == KindCustomer {
		env.Status = "deleted"
	}
	return nil
}

// MarkDeleted records that Stripe no longer has kind/id (a refetch answered
// 404 resource_missing, or a deleted stub), as of at (unix seconds): the
// cached copy keeps its last details, leaves the lists and indexes and is
// shown as deleted. It is skipped when an event newer than at wrote the copy;
// an id not in the cache is left alone. It reports whether it wrote.
func (s *Store) MarkDeleted(kind Kind, id string, at int64) (bool, error) {
	wrote := false
	var customer string
	err := s.update(func(tx *bolt.Tx) error {
		set, err := kindOf(tx, kind)
		if err != nil {
			return err
		}
		old := set.objects.Get([]byte(id))
		if old == nil {
			return nil
		}
		prev, err := decodeEnvelope(old)
		if err != nil {
			return fmt.Errorf("mark deleted %s %s: %w", kind, id, err)
		}
		if prev.Deleted || prev.EventCreated > at {
			return nil
		}
		env := prev
		env.Deleted, env.Stale, env.StaleReason = true, false, ""
		env.EventCreated, env.CachedAt = at, s.now()
		if kind == KindCustomer {
			env.Status = "deleted"
		}
		wrote, customer = true, env.Customer
		return s.writeEnvelope(tx, set, &env, old)
	})
	if err != nil {
		return false, fmt.Errorf("mark deleted %s %s: %w", kind, id, err)
	}
	if wrote {
		s.feed.publish(Change{Op: OpObject, Result: ApplyResult{Kind: kind, ObjectID: id, Customer: customer, Verdict: VerdictApplied}})
	}
	return wrote, nil
}
