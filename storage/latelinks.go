package storage

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketLateLinks (under the root, made on first use) holds the refunds and
// disputes cached before their charge: charge id | 0 | kind | 0 | id -> nil.
// When the charge arrives with its customer, each waiting object gets that
// customer and enters the customer index, so the customer's page lists it.
var bucketLateLinks = []byte("latelinks")

// waitsForCharge reports whether e is a refund or dispute whose customer
// is only known through a charge the cache does not hold yet.
func waitsForCharge(e *Envelope) bool {
	return (e.Kind == KindRefund || e.Kind == KindDispute) && e.Customer == "" && e.Charge != "" && !e.Deleted
}

func lateLinkKey(e *Envelope) []byte {
	return []byte(e.Charge + "\x00" + string(e.Kind) + "\x00" + e.ID)
}

// trackLateLink records (or forgets) e as waiting for its charge.
func trackLateLink(r *bolt.Bucket, e *Envelope) error {
	if e.Kind != KindRefund && e.Kind != KindDispute || e.Charge == "" {
		return nil
	}
	if waitsForCharge(e) {
		b, err := r.CreateBucketIfNotExists(bucketLateLinks)
		if err != nil {
			return fmt.Errorf("late links: %w", err)
		}
		return b.Put(lateLinkKey(e), nil)
	}
	if b := r.Bucket(bucketLateLinks); b != nil {
		return b.Delete(lateLinkKey(e))
	}
	return nil
}

// resolveLateLinks gives the refunds and disputes waiting for charge ch its
// customer, rewriting their envelopes (and so their customer index entries).
func (s *Store) resolveLateLinks(tx *bolt.Tx, ch *Envelope) error {
	if ch.Kind != KindCharge || ch.Customer == "" {
		return nil
	}
	b := root(tx).Bucket(bucketLateLinks)
	if b == nil {
		return nil
	}
	prefix := []byte(ch.ID + "\x00")
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("late links: %w", err)
		}
		parts := bytes.SplitN(k, []byte{0}, 3)
		if len(parts) != 3 {
			continue
		}
		set, err := kindOf(tx, Kind(parts[1]))
		if err != nil {
			continue
		}
		old := set.objects.Get(parts[2])
		if old == nil {
			continue
		}
		env, err := decodeEnvelope(old)
		if err != nil {
			return fmt.Errorf("late link %s: %w", parts[2], err)
		}
		if env.Customer != "" || env.Charge != ch.ID {
			continue
		}
		env.Customer = ch.Customer
		old = append([]byte(nil), old...)
		if err := s.writeEnvelope(tx, set, &env, old); err != nil {
			return err
		}
	}
	return nil
}
