package storage

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migration moves the file from version-1 to version; migrations[i] produces
// version i+1. Append only: a released migration never changes.
type migration func(root *bolt.Bucket) error

var migrations = []migration{
	createBucketsV1,
	addBalanceIndexV2,
	addStatusAtIndexV3,
	addCurrencyAmountIndexV4,
	addTermsAndAmountCurrencyV5,
	addKindBucketsV6,
}

// SchemaVersion is the version a file has after Open.
var SchemaVersion = uint64(len(migrations))

func createBucketsV1(root *bolt.Bucket) error {
	for _, name := range [][]byte{bucketMeta, bucketObjects, bucketIdx, bucketStale, bucketEvents,
		bucketEventLog, bucketDeliveries, bucketIntents, bucketIntentLog, bucketAudit} {
		if _, err := root.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	idx := root.Bucket(bucketIdx)
	for _, k := range Kinds {
		if _, err := kindBuckets(root, k, true); err != nil {
			return err
		}
	}
	ev, err := idx.CreateBucketIfNotExists(idxEventsKind)
	if err != nil {
		return fmt.Errorf("create event indexes: %w", err)
	}
	for _, name := range [][]byte{idxEventsCustomer, idxEventsObject} {
		if _, err := ev.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create event index %s: %w", name, err)
		}
	}
	return nil
}

// addBalanceIndexV2 creates idx/<kind>/balance and fills it from the cached
// customers whose balance is not zero, so the Credit screen pages through
// them without scanning every customer. (On a new file createBucketsV1
// already made the buckets through kindBuckets; the fill then finds nothing.)
func addBalanceIndexV2(root *bolt.Bucket) error {
	for _, k := range Kinds {
		if _, err := kindBuckets(root, k, true); err != nil {
			return err
		}
	}
	set, err := kindBuckets(root, KindCustomer, false)
	if err != nil {
		return err
	}
	return set.objects.ForEach(func(_, v []byte) error {
		env, err := decodeEnvelope(v)
		if err != nil {
			return nil // an unreadable copy is rewritten by its next event or refetch
		}
		if env.Deleted || env.Amount == 0 {
			return nil
		}
		if err := set.balance.Put(balanceKey(env.Currency, env.Amount, env.ID), nil); err != nil {
			return fmt.Errorf("balance index %s: %w", env.ID, err)
		}
		return nil
	})
}

// addStatusAtIndexV3 creates idx/<kind>/status_at (status | be64(status
// time) | id) so that dunning finds the invoices paid and the subscriptions
// canceled within a window without walking every paid invoice. Invoices and
// subscriptions are the kinds with a status time; their copies are rewritten
// in envelope version 2 (which carries StatusAt, re-extracted from the raw
// JSON) and indexed. Other kinds only get the empty bucket.
func addStatusAtIndexV3(root *bolt.Bucket) error {
	for _, k := range Kinds {
		if _, err := kindBuckets(root, k, true); err != nil {
			return err
		}
	}
	for _, k := range []Kind{KindInvoice, KindSubscription} {
		set, err := kindBuckets(root, k, false)
		if err != nil {
			return err
		}
		var rewrite []Envelope
		err = set.objects.ForEach(func(_, v []byte) error {
			env, err := decodeEnvelope(v)
			if err != nil {
				return nil // an unreadable copy is rewritten by its next event or refetch
			}
			f, err := ExtractFields(env.Raw)
			if err != nil || f.StatusAt == env.StatusAt {
				return nil
			}
			env.StatusAt = f.StatusAt
			rewrite = append(rewrite, env)
			return nil
		})
		if err != nil {
			return err
		}
		for i := range rewrite {
			env := &rewrite[i]
			if err := set.objects.Put([]byte(env.ID), encodeEnvelope(env)); err != nil {
				return fmt.Errorf("status_at %s: %w", env.ID, err)
			}
			if env.Deleted || env.Status == "" || env.StatusAt == 0 {
				continue
			}
			if err := set.statusAt.Put(groupKey(env.Status, env.StatusAt, env.ID), nil); err != nil {
				return fmt.Errorf("status_at index %s: %w", env.ID, err)
			}
		}
	}
	return nil
}

// addTermsAndAmountCurrencyV5 rebuilds idx/<kind>/search with the wider
// terms of objectTerms (phone, last4, description and metadata values, the
// customer's name and email on its objects), records each object's terms in
// idx/<kind>/terms and fills idx/<kind>/amount_cur (amount per currency),
// so the global search finds "$12.50" or "4242" from the indexes.
// Customers go first: their children's terms read them. Disputes that need
// a response are rewritten with their evidence deadline as StatusAt and
// indexed in idx/dispute/status_at (soonest deadline first). The
// payment_methods bucket is created for the customer page.
func addTermsAndAmountCurrencyV5(root *bolt.Bucket) error {
	if _, err := root.CreateBucketIfNotExists(bucketPaymentMethods); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketPaymentMethods, err)
	}
	for _, k := range Kinds {
		idx := root.Bucket(bucketIdx).Bucket([]byte(k))
		if idx != nil && idx.Bucket(idxSearch) != nil {
			if err := idx.DeleteBucket(idxSearch); err != nil {
				return fmt.Errorf("rebuild search index %s: %w", k, err)
			}
		}
		if _, err := kindBuckets(root, k, true); err != nil {
			return err
		}
	}
	order := append([]Kind{KindCustomer}, Kinds...)
	done := map[Kind]bool{}
	for _, k := range order {
		if done[k] {
			continue
		}
		done[k] = true
		set, err := kindBuckets(root, k, false)
		if err != nil {
			return err
		}
		var rewrite []Envelope
		err = set.objects.ForEach(func(_, v []byte) error {
			env, err := decodeEnvelope(v)
			if err != nil || env.Deleted {
				return nil // an unreadable copy is rewritten by its next event or refetch
			}
			if k == KindDispute {
				if f, err := ExtractFields(env.Raw); err == nil && f.StatusAt != env.StatusAt {
					env.StatusAt = f.StatusAt
					rewrite = append(rewrite, env)
				}
			}
			if err := putTerms(set, env.ID, termsFor(root, &env)); err != nil {
				return fmt.Errorf("search terms %s: %w", env.ID, err)
			}
			if amountSearchable(&env) {
				if err := set.amountCur.Put(amountCurKey(env.Currency, env.Amount, env.Created, env.ID), nil); err != nil {
					return fmt.Errorf("amount index %s: %w", env.ID, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range rewrite {
			env := &rewrite[i]
			if err := set.objects.Put([]byte(env.ID), encodeEnvelope(env)); err != nil {
				return fmt.Errorf("dispute deadline %s: %w", env.ID, err)
			}
			if env.Status != "" && env.StatusAt != 0 {
				if err := set.statusAt.Put(groupKey(env.Status, env.StatusAt, env.ID), nil); err != nil {
					return fmt.Errorf("dispute deadline index %s: %w", env.ID, err)
				}
			}
		}
	}
	return nil
}

func (s *Store) migrate() error {
	return s.update(func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(bucketRoot)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		var have uint64
		if meta := root.Bucket(bucketMeta); meta != nil {
			if v := meta.Get(metaSchema); len(v) == 8 {
				have = binary.BigEndian.Uint64(v)
			}
		}
		if have > SchemaVersion {
			return fmt.Errorf("migrate: cache schema v%d is newer than this paydesk (v%d); upgrade paydesk or use another PAYDESK_DB", have, SchemaVersion)
		}
		for v := have; v < SchemaVersion; v++ {
			if err := migrations[v](root); err != nil {
				return fmt.Errorf("migrate to schema v%d: %w", v+1, err)
			}
		}
		return root.Bucket(bucketMeta).Put(metaSchema, be64(SchemaVersion))
	})
}

// Schema reports the file's schema version.
func (s *Store) Schema() (uint64, error) {
	var v uint64
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRoot).Bucket(bucketMeta).Get(metaSchema)
		if len(b) != 8 {
			return fmt.Errorf("schema: missing version")
		}
		v = binary.BigEndian.Uint64(b)
		return nil
	})
	return v, err
}

// addCurrencyAmountIndexV4 creates idx/<kind>/currency_amount (currency |
// amount | id) for every kind and fills it from the live objects, and
// rewrites idx/customer/balance with the currency after the class, so that
// amount sorts and the Credit screen rank amounts within a currency.
func addCurrencyAmountIndexV4(root *bolt.Bucket) error {
	for _, k := range Kinds {
		set, err := kindBuckets(root, k, true)
		if err != nil {
			return err
		}
		if k == KindCustomer {
			idx := root.Bucket(bucketIdx).Bucket([]byte(k))
			if err := idx.DeleteBucket(idxBalance); err != nil {
				return fmt.Errorf("balance index: %w", err)
			}
			if set.balance, err = idx.CreateBucket(idxBalance); err != nil {
				return fmt.Errorf("balance index: %w", err)
			}
		}
		err = set.objects.ForEach(func(_, v []byte) error {
			env, err := decodeEnvelope(v)
			if err != nil || env.Deleted {
				return nil // an unreadable copy is rewritten by its next event or refetch
			}
			if err := set.currencyAmount.Put(currencyAmountKey(env.Currency, env.Amount, env.ID), nil); err != nil {
				return fmt.Errorf("currency amount index %s: %w", env.ID, err)
			}
			if k == KindCustomer && env.Amount != 0 {
				if err := set.balance.Put(balanceKey(env.Currency, env.Amount, env.ID), nil); err != nil {
					return fmt.Errorf("balance index %s: %w", env.ID, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// addKindBucketsV6 creates the buckets of kinds added to Kinds since the
// file was made (credit notes, coupons, promotion codes), so reads of them
// find an empty kind rather than a missing bucket and the next sync
// backfills them. Idempotent: existing buckets are kept.
func addKindBucketsV6(root *bolt.Bucket) error {
	for _, k := range Kinds {
		if _, err := kindBuckets(root, k, true); err != nil {
			return err
		}
	}
	return nil
}
