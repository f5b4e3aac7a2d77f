package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ErrNotFound is returned (wrapped) when an id is not in the cache.
var ErrNotFound = errors.New("not in cache")

// Get returns the cached copy of kind/id.
func (s *Store) Get(kind Kind, id string) (Envelope, error) {
	var env Envelope
	err := s.view(func(tx *bolt.Tx) error {
		set, err := kindOf(tx, kind)
		if err != nil {
			return err
		}
		v := set.objects.Get([]byte(id))
		if v == nil {
			return fmt.Errorf("get %s %s: %w", kind, id, ErrNotFound)
		}
		env, err = decodeEnvelope(v)
		return err
	})
	return env, err
}

// Find looks an id up by its prefix-derived kind, then in every kind.
func (s *Store) Find(id string) (Envelope, error) {
	if k, ok := KindOfID(id); ok {
		if env, err := s.Get(k, id); err == nil {
			return env, nil
		}
	}
	for _, k := range Kinds {
		if env, err := s.Get(k, id); err == nil {
			return env, nil
		}
	}
	return Envelope{}, fmt.Errorf("find %s: %w", id, ErrNotFound)
}

// Count is the number of live (not deleted) objects of kind.
func (s *Store) Count(kind Kind) (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		n = int(readCount(root(tx).Bucket(bucketMeta), kind))
		return nil
	})
	return n, err
}

// PutObject writes a freshly fetched object (a backfill page row or a
// refetch of a stale one) as of fetchedAt (unix seconds). It is skipped when
// the cache already holds a copy written by a later event. A written object
// is announced (OpObject).
func (s *Store) PutObject(raw []byte, fetchedAt int64) error {
	var written bool
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		written, err = s.putFetched(tx, raw, fetchedAt)
		return err
	})
	if err != nil || !written {
		return err
	}
	if f, ferr := ExtractFields(raw); ferr == nil {
		s.feed.publish(Change{Op: OpObject, Result: ApplyResult{Kind: f.Kind, ObjectID: f.ID, Customer: f.Customer, Verdict: VerdictApplied}})
	}
	return nil
}

// putFetched upserts a fetched object; it reports whether it was written.
func (s *Store) putFetched(tx *bolt.Tx, raw []byte, fetchedAt int64) (bool, error) {
	f, err := ExtractFields(raw)
	if err != nil {
		return false, err
	}
	return s.putFetchedFields(tx, f, raw, fetchedAt)
}

// putFetchedFields is putFetched with raw's fields already extracted
// (outside the transaction, by the caller's goroutine).
func (s *Store) putFetchedFields(tx *bolt.Tx, f Fields, raw []byte, fetchedAt int64) (bool, error) {
	set, err := kindOf(tx, f.Kind)
	if err != nil {
		return false, err
	}
	old := set.objects.Get([]byte(f.ID))
	if old != nil {
		if at, ok := envelopeEventCreated(old); ok && at > fetchedAt {
			return false, nil
		}
	}
	env := &Envelope{Fields: f, Raw: raw, EventCreated: fetchedAt, CachedAt: s.now()}
	if err := keepLastKnown(env, old); err != nil {
		return false, err
	}
	return true, s.writeEnvelope(tx, set, env, old)
}

// writeEnvelope stores env over old (nil when new), moving its index entries.
func (s *Store) writeEnvelope(tx *bolt.Tx, set *kindBucketSet, env *Envelope, old []byte) error {
	r := root(tx)
	s.resolveCustomer(r, env)
	wasLive := false
	var prev Envelope
	if old != nil {
		var err error
		prev, err = decodeEnvelope(old)
		if err != nil {
			return fmt.Errorf("write %s %s: old copy: %w", env.Kind, env.ID, err)
		}
		wasLive = !prev.Deleted
		if wasLive {
			if err := deleteIndexes(set, &prev); err != nil {
				return err
			}
		}
	}
	if err := set.objects.Put([]byte(env.ID), encodeEnvelope(env)); err != nil {
		return fmt.Errorf("write %s %s: %w", env.Kind, env.ID, err)
	}
	if !env.Deleted {
		if err := putIndexes(set, env); err != nil {
			return err
		}
		if err := putTerms(set, env.ID, termsFor(r, env)); err != nil {
			return fmt.Errorf("index %s %s: %w", env.Kind, env.ID, err)
		}
	}
	if env.Kind == KindCustomer && customerTermsChanged(&prev, env, old != nil) {
		if err := reindexChildren(r, env.ID); err != nil {
			return fmt.Errorf("reindex objects of %s: %w", env.ID, err)
		}
	}
	if err := markStale(r, env); err != nil {
		return err
	}
	if err := trackLateLink(r, env); err != nil {
		return err
	}
	if err := trackBalanceHint(r, env); err != nil {
		return err
	}
	if err := s.resolveLateLinks(tx, env); err != nil {
		return err
	}
	switch {
	case !wasLive && !env.Deleted:
		return addCount(r.Bucket(bucketMeta), env.Kind, 1)
	case wasLive && env.Deleted:
		return addCount(r.Bucket(bucketMeta), env.Kind, -1)
	}
	return nil
}

// resolveCustomer fills the customer of refunds and disputes from their
// charge (or payment intent), so a customer's page finds them through the
// customer index.
func (s *Store) resolveCustomer(r *bolt.Bucket, env *Envelope) {
	if env.Customer != "" {
		return
	}
	customerOfParent(r, env)
}

func eachIndexKey(set *kindBucketSet, e *Envelope, fn func(*bolt.Bucket, []byte) error) error {
	if err := fn(set.created, createdKey(e.Created, e.ID)); err != nil {
		return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
	}
	if err := fn(set.amount, amountKey(e.Amount, e.ID)); err != nil {
		return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
	}
	if err := fn(set.currencyAmount, currencyAmountKey(e.Currency, e.Amount, e.ID)); err != nil {
		return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
	}
	if e.Status != "" {
		if err := fn(set.status, groupKey(e.Status, e.Created, e.ID)); err != nil {
			return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
		}
	}
	if e.Status != "" && e.StatusAt != 0 {
		if err := fn(set.statusAt, groupKey(e.Status, e.StatusAt, e.ID)); err != nil {
			return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
		}
	}
	if e.Customer != "" {
		if err := fn(set.customer, groupKey(e.Customer, e.Created, e.ID)); err != nil {
			return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
		}
	}
	if e.Kind == KindCustomer && e.Amount != 0 {
		if err := fn(set.balance, balanceKey(e.Currency, e.Amount, e.ID)); err != nil {
			return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
		}
	}
	if amountSearchable(e) {
		if err := fn(set.amountCur, amountCurKey(e.Currency, e.Amount, e.Created, e.ID)); err != nil {
			return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
		}
	}
	return nil
}

// amountSearchable reports whether e is found by its amount: every kind that
// carries a payment-like amount in a currency (not customers' balances).
func amountSearchable(e *Envelope) bool {
	return e.Currency != "" && e.Kind != KindCustomer && e.Kind != KindProduct
}

// putIndexes writes e's index entries except the search terms (putTerms).
func putIndexes(set *kindBucketSet, e *Envelope) error {
	return eachIndexKey(set, e, func(b *bolt.Bucket, k []byte) error { return b.Put(k, nil) })
}

// deleteIndexes removes every index entry of e, search terms included.
func deleteIndexes(set *kindBucketSet, e *Envelope) error {
	for _, t := range storedTerms(set, e) {
		if err := set.search.Delete(searchKey(t, e.ID)); err != nil {
			return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
		}
	}
	if err := set.terms.Delete([]byte(e.ID)); err != nil {
		return fmt.Errorf("index %s %s: %w", e.Kind, e.ID, err)
	}
	return eachIndexKey(set, e, func(b *bolt.Bucket, k []byte) error { return b.Delete(k) })
}

// customerTermsChanged reports whether a customer's write changes what its
// children inherit (name, email, phone, or the customer appearing or going).
func customerTermsChanged(prev, env *Envelope, hadOld bool) bool {
	if !hadOld || prev.Deleted != env.Deleted {
		return true
	}
	if prev.Name != env.Name || prev.Email != env.Email {
		return true
	}
	var a, b termSource
	_ = json.Unmarshal(prev.Raw, &a)
	_ = json.Unmarshal(env.Raw, &b)
	return a.Phone != b.Phone
}

func markStale(r *bolt.Bucket, e *Envelope) error {
	st := r.Bucket(bucketStale)
	k := staleKey(e.Kind, e.ID)
	if e.Stale {
		return st.Put(k, []byte(e.StaleReason))
	}
	return st.Delete(k)
}

// StaleRef names an object the cache wants refetched.
type StaleRef struct {
	Kind   Kind
	ID     string
	Reason string
}

// Stale lists up to limit objects marked stale.
func (s *Store) Stale(limit int) ([]StaleRef, error) {
	return s.StaleAfter(StaleRef{}, limit)
}

// StaleAfter lists up to limit objects marked stale that come after ref
// (in kind, then id order; the zero ref starts at the beginning), so a
// caller can page past objects it could not refresh.
func (s *Store) StaleAfter(ref StaleRef, limit int) ([]StaleRef, error) {
	var out []StaleRef
	err := s.view(func(tx *bolt.Tx) error {
		c := root(tx).Bucket(bucketStale).Cursor()
		k, v := c.First()
		if ref.Kind != "" {
			after := []byte(string(ref.Kind) + "\x00" + ref.ID)
			k, v = c.Seek(after)
			if k != nil && string(k) == string(after) {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(out) < limit; k, v = c.Next() {
			kind, id, _ := strings.Cut(string(k), "\x00")
			out = append(out, StaleRef{Kind: Kind(kind), ID: id, Reason: string(v)})
		}
		return nil
	})
	return out, err
}

func readCount(meta *bolt.Bucket, k Kind) int64 {
	v := meta.Get([]byte(metaCount + string(k)))
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

func addCount(meta *bolt.Bucket, k Kind, d int64) error {
	n := readCount(meta, k) + d
	if n < 0 {
		n = 0
	}
	return meta.Put([]byte(metaCount+string(k)), be64(uint64(n)))
}

// RawOf returns only the raw JSON of kind/id, for `paydesk get --json`.
func (s *Store) RawOf(kind Kind, id string) (json.RawMessage, error) {
	env, err := s.Get(kind, id)
	if err != nil {
		return nil, err
	}
	return env.Raw, nil
}
