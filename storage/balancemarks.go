package storage

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketBalanceMarks (under the root, made on first use) holds the
// customers whose balance transactions are due for a refresh: customer id
// -> be64(created of the newest event that moved the balance). Stripe
// sends no event for a customer balance transaction (no enabled_events
// value names one), so an applied event that shows a balance moved marks
// the customer, and billing lists the customer's newest transactions and
// clears the mark (BalanceMarks, ClearBalanceMark).
var bucketBalanceMarks = []byte("balancemarks")

// BalanceMark is a customer whose balance transactions are due for a
// refresh, with the created time (unix seconds) of the newest event that
// moved its balance.
type BalanceMark struct {
	Customer string
	Since    int64
}

// balanceMovedEvents are the events whose object, when it moved a
// customer balance (Fields.ShowsBalanceTxn), comes with new balance
// transactions: a finalization applying the balance, a void giving it back
// (unapplied_from_invoice), a credit note crediting it or its void.
var balanceMovedEvents = map[string]bool{
	"invoice.finalized": true, "invoice.voided": true,
	"credit_note.created": true, "credit_note.voided": true,
}

// balanceMoved reports whether an event shows that its customer's balance
// moved: customer.updated with balance among previous_attributes (Stripe
// sends it for every change of the balance: docs api/events/types), or one
// of balanceMovedEvents carrying an object that moved a balance.
func balanceMoved(typ string, f Fields, prev json.RawMessage) bool {
	if typ == "customer.updated" && len(prev) > 0 {
		var p map[string]json.RawMessage
		if json.Unmarshal(prev, &p) == nil {
			_, ok := p["balance"]
			return ok
		}
	}
	return balanceMovedEvents[typ] && f.ShowsBalanceTxn
}

// markIfBalanceMoved marks the customer of an applied event that moved its
// balance (whatever the verdict: the transactions are at Stripe either
// way) and sets res.BalanceMoved.
func markIfBalanceMoved(r *bolt.Bucket, res *ApplyResult, f Fields, prev json.RawMessage) error {
	if f.Customer == "" || !balanceMoved(res.Type, f, prev) {
		return nil
	}
	if err := markBalance(r, f.Customer, res.Created); err != nil {
		return err
	}
	res.BalanceMoved = true
	return nil
}

// markBalance records that customer's balance moved with an event created
// at (unix seconds); a newer mark is kept.
func markBalance(r *bolt.Bucket, customer string, at int64) error {
	b, err := r.CreateBucketIfNotExists(bucketBalanceMarks)
	if err != nil {
		return fmt.Errorf("balance marks: %w", err)
	}
	if v := b.Get([]byte(customer)); len(v) == 8 && int64(binary.BigEndian.Uint64(v)) >= at {
		return nil
	}
	if err := b.Put([]byte(customer), be64(uint64(at))); err != nil {
		return fmt.Errorf("balance marks: %w", err)
	}
	return nil
}

// BalanceMarks lists up to limit customers whose balance transactions are
// due for a refresh, in customer id order.
func (s *Store) BalanceMarks(limit int) ([]BalanceMark, error) {
	var out []BalanceMark
	err := s.view(func(tx *bolt.Tx) error {
		b := root(tx).Bucket(bucketBalanceMarks)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			m := BalanceMark{Customer: string(k)}
			if len(v) == 8 {
				m.Since = int64(binary.BigEndian.Uint64(v))
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read balance marks: %w", err)
	}
	return out, nil
}

// ClearBalanceMark removes m once its customer's transactions are read,
// unless an event moved the balance again since m was read (a newer
// Since), which keeps the customer marked for the next refresh.
func (s *Store) ClearBalanceMark(m BalanceMark) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := root(tx).Bucket(bucketBalanceMarks)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(m.Customer))
		if v == nil || (len(v) == 8 && int64(binary.BigEndian.Uint64(v)) != m.Since) {
			return nil
		}
		return b.Delete([]byte(m.Customer))
	})
	if err != nil {
		return fmt.Errorf("clear balance mark %s: %w", m.Customer, err)
	}
	return nil
}
