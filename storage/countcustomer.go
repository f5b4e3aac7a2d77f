package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// CountOfCustomer counts the cached objects of kind that belong to
// customer, the rows a Query{Kind: kind, Customer: customer} walks. It
// reads index keys only and stops at limit (limit <= 0: no bound); atLimit
// reports that it stopped there, so the true count may be higher.
func (s *Store) CountOfCustomer(kind Kind, customer string, limit int) (n int, atLimit bool, err error) {
	if customer == "" {
		return 0, false, fmt.Errorf("count %s of customer: empty customer id", kind)
	}
	err = s.view(func(tx *bolt.Tx) error {
		set, err := kindOf(tx, kind)
		if err != nil {
			return err
		}
		prefix := groupPrefix(customer)
		c := set.customer.Cursor()
		for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
			if limit > 0 && n == limit {
				atLimit = true
				return nil
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("count %s of %s: %w", kind, customer, err)
	}
	return n, atLimit, nil
}
