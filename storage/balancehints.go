package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketBalanceHints (under the root, made on first use) holds the
// customers whose cached invoices or credit notes show customer balance
// transactions (Fields.ShowsBalanceTxn): customer id -> nil. Stripe lists
// balance transactions only per customer and sends no event for them, and a
// customer whose credit was applied to an invoice is back at a zero balance,
// so neither the balance index nor any event names such a customer; these
// keys do. A key is never removed: Stripe keeps a customer's balance
// transactions (they are immutable), so the customer keeps them too.
var bucketBalanceHints = []byte("balancehints")

// trackBalanceHint records the customer of an object that shows customer
// balance transactions.
func trackBalanceHint(r *bolt.Bucket, e *Envelope) error {
	if !e.ShowsBalanceTxn || e.Customer == "" || e.Deleted {
		return nil
	}
	b, err := r.CreateBucketIfNotExists(bucketBalanceHints)
	if err != nil {
		return fmt.Errorf("balance hints: %w", err)
	}
	if b.Get([]byte(e.Customer)) != nil {
		return nil
	}
	if err := b.Put([]byte(e.Customer), nil); err != nil {
		return fmt.Errorf("balance hints: %w", err)
	}
	return nil
}

// BalanceHintCustomers returns the ids of the customers, in id order, that
// a cached invoice (a customer balance applied at finalization) or credit
// note (credited to the customer balance) shows to have customer balance
// transactions at Stripe. A cache written before these were recorded gets
// them as its invoices and credit notes are next written (every backfill
// writes them all).
func (s *Store) BalanceHintCustomers() ([]string, error) {
	var ids []string
	err := s.view(func(tx *bolt.Tx) error {
		b := root(tx).Bucket(bucketBalanceHints)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			ids = append(ids, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read balance hints: %w", err)
	}
	return ids, nil
}
