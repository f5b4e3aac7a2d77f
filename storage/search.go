package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// AmountMatch is one exact amount to look for: minor units of Currency
// (a lowercase ISO code, as Stripe spells it).
type AmountMatch struct {
	Currency string
	Amount   int64
}

// SearchTerms returns, for each kind in kinds (in that order), up to perKind
// live objects one of whose search terms starts with prefix
// (case-insensitive), in term order, each object once. Terms are listed at
// objectTerms; a pasted id prefix ("cus_ab") matches its id. Each kind costs
// one index seek plus the keys read, never a scan.
func (s *Store) SearchTerms(kinds []Kind, prefix string, perKind int) ([]Envelope, error) {
	prefix = normTerm(prefix)
	if prefix == "" || perKind <= 0 {
		return nil, nil
	}
	var out []Envelope
	err := s.view(func(tx *bolt.Tx) error {
		for _, k := range kinds {
			set, err := kindOf(tx, k)
			if err != nil {
				return err
			}
			seen := map[string]struct{}{}
			n := 0
			c := set.search.Cursor()
			// Keys read per kind are bounded: a common prefix ("a") must
			// not walk a million terms to fill a page of ten.
			visits := 0
			for key, _ := c.Seek([]byte(prefix)); key != nil && bytes.HasPrefix(key, []byte(prefix)) && n < perKind && visits < 50*perKind; key, _ = c.Next() {
				visits++
				id := idFromSearchKey(key)
				if _, dup := seen[id]; dup {
					continue
				}
				seen[id] = struct{}{}
				env, ok, err := getEnvelope(set, id)
				if err != nil {
					return err
				}
				if !ok || env.Deleted {
					continue
				}
				out = append(out, env)
				n++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", prefix, err)
	}
	return out, nil
}

// FindAmounts returns, for each kind in kinds (in that order), up to
// perKind live objects whose amount (minor units: a charge's or payment
// intent's amount, an invoice's amount_due, a refund's or dispute's amount,
// a price's unit_amount, a subscription's total) equals one of amounts in
// its currency, created in [from, to) (unix seconds; 0 leaves a side open),
// newest first within each amount. It reads idx/<kind>/amount_cur only.
func (s *Store) FindAmounts(kinds []Kind, amounts []AmountMatch, from, to int64, perKind int) ([]Envelope, error) {
	if perKind <= 0 || len(amounts) == 0 {
		return nil, nil
	}
	var out []Envelope
	err := s.view(func(tx *bolt.Tx) error {
		for _, k := range kinds {
			set, err := kindOf(tx, k)
			if err != nil {
				return err
			}
			n := 0
			for _, a := range amounts {
				if n == perKind {
					break
				}
				got, err := amountWalk(set, a, from, to, perKind-n)
				if err != nil {
					return err
				}
				out = append(out, got...)
				n += len(got)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find amounts: %w", err)
	}
	return out, nil
}

// amountWalk reads up to limit objects of one currency and amount, newest
// first, created in [from, to).
func amountWalk(set *kindBucketSet, a AmountMatch, from, to int64, limit int) ([]Envelope, error) {
	cur := strings.ToLower(a.Currency)
	prefix := amountCurKey(cur, a.Amount, 0, "")
	prefix = prefix[:len(prefix)-8] // currency | 0x00 | amount
	c := set.amountCur.Cursor()
	var k []byte
	if to != 0 {
		upper := append(append([]byte(nil), prefix...), timeKey(to)...)
		if k, _ = c.Seek(upper); k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
	} else {
		k, _ = seekLastWithPrefix(c, prefix)
	}
	var out []Envelope
	for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Prev() {
		if len(k) < len(prefix)+8 {
			continue
		}
		created := int64(binary.BigEndian.Uint64(k[len(prefix):len(prefix)+8]) ^ (1 << 63))
		if from != 0 && created < from {
			break
		}
		env, ok, err := getEnvelope(set, string(k[len(prefix)+8:]))
		if err != nil {
			return nil, err
		}
		if ok && !env.Deleted {
			out = append(out, env)
		}
	}
	return out, nil
}

// Currencies lists, sorted, the currencies of every object the amount
// index holds (one seek per currency per kind, not a scan).
func (s *Store) Currencies() ([]string, error) {
	seen := map[string]struct{}{}
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		for _, k := range Kinds {
			set, err := kindOf(tx, k)
			if err != nil {
				return err
			}
			c := set.amountCur.Cursor()
			for key, _ := c.First(); key != nil; {
				i := bytes.IndexByte(key, sep)
				if i < 0 {
					break
				}
				cur := string(key[:i])
				if _, ok := seen[cur]; !ok {
					seen[cur] = struct{}{}
					out = append(out, cur)
				}
				key, _ = c.Seek(append([]byte(cur), sep+1))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("currencies: %w", err)
	}
	slices.Sort(out)
	return out, nil
}

func getEnvelope(set *kindBucketSet, id string) (Envelope, bool, error) {
	v := set.objects.Get([]byte(id))
	if v == nil {
		return Envelope{}, false, nil
	}
	env, err := decodeEnvelope(v)
	if err != nil {
		return Envelope{}, false, fmt.Errorf("object %s: %w", id, err)
	}
	return env, true, nil
}
