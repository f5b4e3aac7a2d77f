package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// PaymentMethods are a customer's payment methods as last read from Stripe
// (GET /v1/customers/{id}/payment_methods), kept so the customer page shows
// them offline.
type PaymentMethods struct {
	Customer string `json:"customer"`
	// FetchedAt is when they were read (unix seconds).
	FetchedAt int64 `json:"fetched_at"`
	// Data are the payment_method objects as Stripe sent them.
	Data []json.RawMessage `json:"data"`
}

// PutPaymentMethods replaces the cached payment methods of customer and
// indexes their card last4 as search terms of the cached customer.
func (s *Store) PutPaymentMethods(customer string, data []json.RawMessage, fetchedAt int64) error {
	if customer == "" {
		return fmt.Errorf("put payment methods: no customer")
	}
	if data == nil {
		data = []json.RawMessage{}
	}
	v, err := json.Marshal(PaymentMethods{Customer: customer, FetchedAt: fetchedAt, Data: data})
	if err != nil {
		return fmt.Errorf("put payment methods of %s: %w", customer, err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		r := root(tx)
		if err := r.Bucket(bucketPaymentMethods).Put([]byte(customer), v); err != nil {
			return err
		}
		// The customer is found by its cards' last4 (global search).
		set, err := kindBuckets(r, KindCustomer, false)
		if err != nil {
			return err
		}
		env, ok, err := getEnvelope(set, customer)
		if err != nil || !ok || env.Deleted {
			return err
		}
		return replaceTerms(set, &env, termsFor(r, &env))
	})
	if err != nil {
		return fmt.Errorf("put payment methods of %s: %w", customer, err)
	}
	return nil
}

// PaymentMethods returns the cached payment methods of customer; an error
// wrapping ErrNotFound when they were never read.
func (s *Store) PaymentMethods(customer string) (PaymentMethods, error) {
	var out PaymentMethods
	err := s.view(func(tx *bolt.Tx) error {
		v := root(tx).Bucket(bucketPaymentMethods).Get([]byte(customer))
		if v == nil {
			return fmt.Errorf("payment methods of %s: %w", customer, ErrNotFound)
		}
		if err := json.Unmarshal(v, &out); err != nil {
			return fmt.Errorf("payment methods of %s: %w", customer, err)
		}
		return nil
	})
	return out, err
}
