package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// kindBucketSet is the object bucket of a kind and its indexes.
type kindBucketSet struct {
	objects  *bolt.Bucket
	created  *bolt.Bucket
	amount   *bolt.Bucket
	status   *bolt.Bucket
	customer *bolt.Bucket
	search   *bolt.Bucket
	// balance holds only customers with a non-zero balance (schema v2).
	balance *bolt.Bucket
	// statusAt holds objects whose status time is known (schema v3).
	statusAt *bolt.Bucket
	// currencyAmount orders by currency, then amount (schema v4).
	currencyAmount *bolt.Bucket
	// terms lists each object's search terms; amountCur is the amount
	// index per currency (schema v5).
	terms     *bolt.Bucket
	amountCur *bolt.Bucket
}

// kindBuckets finds (or with create, makes) the buckets of kind k.
func kindBuckets(root *bolt.Bucket, k Kind, create bool) (*kindBucketSet, error) {
	get := func(parent *bolt.Bucket, name []byte) (*bolt.Bucket, error) {
		if parent == nil {
			return nil, fmt.Errorf("bucket %s/%s missing", k, name)
		}
		if create && parent.Writable() {
			b, err := parent.CreateBucketIfNotExists(name)
			if err != nil {
				return nil, fmt.Errorf("create bucket %s/%s: %w", k, name, err)
			}
			return b, nil
		}
		b := parent.Bucket(name)
		if b == nil {
			return nil, fmt.Errorf("bucket %s/%s missing", k, name)
		}
		return b, nil
	}
	var set kindBucketSet
	var err error
	if set.objects, err = get(root.Bucket(bucketObjects), []byte(k)); err != nil {
		return nil, err
	}
	idx, err := get(root.Bucket(bucketIdx), []byte(k))
	if err != nil {
		return nil, err
	}
	for _, e := range []struct {
		dst  **bolt.Bucket
		name []byte
	}{{&set.created, idxCreated}, {&set.amount, idxAmount}, {&set.status, idxStatus}, {&set.customer, idxCustomer}, {&set.search, idxSearch}, {&set.balance, idxBalance}, {&set.statusAt, idxStatusAt}, {&set.currencyAmount, idxCurrencyAmount}, {&set.terms, idxTerms}, {&set.amountCur, idxAmountCur}} {
		if *e.dst, err = get(idx, e.name); err != nil {
			return nil, err
		}
	}
	return &set, nil
}

func root(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket(bucketRoot) }

func kindOf(tx *bolt.Tx, k Kind) (*kindBucketSet, error) {
	if !k.Cached() {
		return nil, fmt.Errorf("kind %q is not cached", k)
	}
	return kindBuckets(root(tx), k, false)
}
