package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paydesk/paydesk/storage/stripejson"
	bolt "go.etcd.io/bbolt"
)

// bucketLateLinks (under the root, made on first use) holds the refunds and
// disputes cached before their charge or payment intent: parent id | 0 |
// kind | 0 | id -> nil, one key per parent (charge, payment intent). When a
// parent arrives with its customer, each waiting object gets that customer
// and enters the customer index, so the customer's page lists it.
var bucketLateLinks = []byte("latelinks")

// lateLinkParents are the charge and payment intent a refund or dispute
// points at (either may be empty).
func lateLinkParents(e *Envelope) []string {
	if e.Kind != KindRefund && e.Kind != KindDispute {
		return nil
	}
	var ref struct {
		PaymentIntent stripejson.Ref `json:"payment_intent"`
	}
	_ = json.Unmarshal(e.Raw, &ref)
	var out []string
	for _, p := range []string{e.Charge, string(ref.PaymentIntent)} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func lateLinkKey(parent string, e *Envelope) []byte {
	return []byte(parent + "\x00" + string(e.Kind) + "\x00" + e.ID)
}

// trackLateLink records e as waiting for its parents while it has no
// customer, and forgets it once it has one (or is deleted).
func trackLateLink(r *bolt.Bucket, e *Envelope) error {
	parents := lateLinkParents(e)
	if len(parents) == 0 {
		return nil
	}
	if e.Customer == "" && !e.Deleted {
		b, err := r.CreateBucketIfNotExists(bucketLateLinks)
		if err != nil {
			return fmt.Errorf("late links: %w", err)
		}
		for _, p := range parents {
			if err := b.Put(lateLinkKey(p, e), nil); err != nil {
				return fmt.Errorf("late links: %w", err)
			}
		}
		return nil
	}
	if b := r.Bucket(bucketLateLinks); b != nil {
		for _, p := range parents {
			if err := b.Delete(lateLinkKey(p, e)); err != nil {
				return fmt.Errorf("late links: %w", err)
			}
		}
	}
	return nil
}

// customerOfParent fills e's customer from its charge or payment intent
// when the cache holds one with a customer.
func customerOfParent(r *bolt.Bucket, e *Envelope) {
	for _, p := range lateLinkParents(e) {
		kind := KindCharge
		if strings.HasPrefix(p, "pi_") {
			kind = KindPaymentIntent
		}
		set, err := kindBuckets(r, kind, false)
		if err != nil {
			continue
		}
		if v := set.objects.Get([]byte(p)); v != nil {
			if c, err := decodeEnvelope(v); err == nil && c.Customer != "" {
				e.Customer = c.Customer
				return
			}
		}
	}
}

// resolveLateLinks gives the refunds and disputes waiting for parent (a
// charge or payment intent just written) its customer, rewriting their
// envelopes (and so their customer index entries).
func (s *Store) resolveLateLinks(tx *bolt.Tx, parent *Envelope) error {
	if parent.Kind != KindCharge && parent.Kind != KindPaymentIntent || parent.Customer == "" {
		return nil
	}
	b := root(tx).Bucket(bucketLateLinks)
	if b == nil {
		return nil
	}
	prefix := []byte(parent.ID + "\x00")
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
		if env.Customer != "" {
			continue
		}
		env.Customer = parent.Customer
		old = append([]byte(nil), old...)
		if err := s.writeEnvelope(tx, set, &env, old); err != nil {
			return err
		}
	}
	return nil
}
