package storage

import (
	"encoding/base64"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Sort orders a list page.
type Sort int

const (
	// SortCreated: newest first.
	SortCreated Sort = iota
	// SortAmount: largest first, every currency mixed (a walk by amount
	// alone, e.g. for every customer with an owed balance).
	SortAmount
	// SortCurrencyAmount: currency by currency in code order, largest first
	// within each (with Asc: the reverse), so amounts in different
	// currencies are never ranked against each other.
	SortCurrencyAmount
	// SortStatusAt: by the time the object entered its status (Fields.
	// StatusAt), walking idx/<kind>/status_at; it needs Status (without
	// one, or for a status whose objects have no status time, it falls back
	// to SortCreated). With Asc, disputes that need a response come soonest
	// evidence deadline first.
	SortStatusAt
)

// BalanceFilter narrows customers to those with a non-zero balance.
type BalanceFilter string

const (
	// BalanceNonZero: every customer whose balance is not zero.
	BalanceNonZero BalanceFilter = "nonzero"
	// BalanceCredit: balance < 0, credit applied to the next invoice.
	BalanceCredit BalanceFilter = "credit"
	// BalanceOwed: balance > 0, owed and added to the next invoice.
	BalanceOwed BalanceFilter = "owed"
)

// Query asks for one page of one kind. Filters pick the index walked:
// Customer, then Balance, then Status, then Search; the other filters are checked on the
// rows of that walk, which stops after MaxVisit keys so a page never costs
// a scan of the bucket.
type Query struct {
	Kind     Kind
	Status   string
	Customer string
	// Search matches, by prefix and case-insensitively, any search term of
	// the object (see Store.SearchTerms): id, email, name (any word),
	// invoice number, phone, card last4, description and metadata values,
	// and the name, email and phone of the object's customer. Search
	// results come in term order.
	Search string
	// Balance walks idx/customer/balance (customers only), in balance
	// order: largest first, or with Asc the largest credit first. Sort is
	// ignored when it is set.
	Balance BalanceFilter
	Sort    Sort
	// Asc reverses the order (oldest or smallest first).
	Asc   bool
	Limit int
	// After continues after a page's Next token; Before goes back from a
	// page's Prev token. At most one of them is set.
	After  string
	Before string
	// MaxVisit bounds index keys read for a page; default 200 x Limit.
	MaxVisit int
}

// Page is one page of a list.
type Page struct {
	Items []Envelope
	// Next and Prev are tokens for the neighbouring pages ("" at either end).
	Next string
	Prev string
	// Visited counts index keys read: the cost of the page.
	Visited int
	// Truncated is set when MaxVisit stopped the walk before Limit matches.
	Truncated bool
}

const defaultLimit = 50

// List returns one page of q.
func (s *Store) List(q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = defaultLimit
	}
	if q.MaxVisit <= 0 {
		q.MaxVisit = 200 * q.Limit
	}
	switch q.Balance {
	case "", BalanceNonZero, BalanceCredit, BalanceOwed:
	default:
		return Page{}, fmt.Errorf("list %s: unknown balance filter %q", q.Kind, q.Balance)
	}
	if q.After != "" && q.Before != "" {
		return Page{}, fmt.Errorf("list %s: both After and Before set", q.Kind)
	}
	var page Page
	err := s.view(func(tx *bolt.Tx) error {
		set, err := kindOf(tx, q.Kind)
		if err != nil {
			return err
		}
		page, err = listIn(set, q)
		return err
	})
	if err != nil {
		return Page{}, fmt.Errorf("list %s: %w", q.Kind, err)
	}
	return page, nil
}

// walkPlan is the index a query walks and how to read ids from its keys.
type walkPlan struct {
	bucket  *bolt.Bucket
	prefix  []byte
	desc    bool
	idOf    func(k []byte) string
	filters []func(*Envelope) bool
}

func plan(set *kindBucketSet, q Query) walkPlan {
	search := strings.ToLower(strings.TrimSpace(q.Search))
	p := walkPlan{desc: !q.Asc}
	switch {
	case q.Customer != "":
		p.bucket, p.prefix = set.customer, groupPrefix(q.Customer)
		n := len(p.prefix)
		p.idOf = func(k []byte) string { return idFromGroupKey(k, n) }
	case q.Balance != "":
		p.bucket, p.idOf = set.balance, idFromBalanceKey
		switch q.Balance {
		case BalanceCredit:
			p.prefix = []byte{balanceCredit}
		case BalanceOwed:
			p.prefix = []byte{balanceOwed}
		}
	case q.Status != "" && q.Sort == SortStatusAt && hasKeyWithPrefix(set.statusAt, groupPrefix(q.Status)):
		p.bucket, p.prefix = set.statusAt, groupPrefix(q.Status)
		n := len(p.prefix)
		p.idOf = func(k []byte) string { return idFromGroupKey(k, n) }
	case q.Status != "":
		p.bucket, p.prefix = set.status, groupPrefix(q.Status)
		n := len(p.prefix)
		p.idOf = func(k []byte) string { return idFromGroupKey(k, n) }
	case search != "":
		p.bucket, p.prefix, p.desc = set.search, []byte(search), q.Asc
		p.idOf = idFromSearchKey
	case q.Sort == SortAmount:
		p.bucket, p.idOf = set.amount, idFromCreatedKey
	case q.Sort == SortCurrencyAmount:
		p.bucket, p.idOf, p.desc = set.currencyAmount, idFromCurrencyAmountKey, q.Asc
	default:
		p.bucket, p.idOf = set.created, idFromCreatedKey
	}
	if (q.Customer != "" || q.Balance != "") && q.Status != "" {
		p.filters = append(p.filters, func(e *Envelope) bool { return e.Status == q.Status })
	}
	if q.Customer != "" && q.Balance != "" {
		p.filters = append(p.filters, func(e *Envelope) bool { return matchesBalance(e, q.Balance) })
	}
	if search != "" && (q.Customer != "" || q.Status != "" || q.Balance != "") {
		p.filters = append(p.filters, func(e *Envelope) bool { return matchesSearch(set, e, search) })
	}
	return p
}

func hasKeyWithPrefix(b *bolt.Bucket, prefix []byte) bool {
	k, _ := b.Cursor().Seek(prefix)
	return k != nil && hasPrefix(k, prefix)
}

func matchesBalance(e *Envelope, f BalanceFilter) bool {
	if e.Kind != KindCustomer {
		return false
	}
	switch f {
	case BalanceCredit:
		return e.Amount < 0
	case BalanceOwed:
		return e.Amount > 0
	}
	return e.Amount != 0
}

func matchesSearch(set *kindBucketSet, e *Envelope, search string) bool {
	for _, t := range storedTerms(set, e) {
		if strings.HasPrefix(t, search) {
			return true
		}
	}
	return false
}

func listIn(set *kindBucketSet, q Query) (Page, error) {
	p := plan(set, q)
	backward := p.desc
	token := q.After
	if q.Before != "" {
		backward, token = !backward, q.Before
	}
	c := p.bucket.Cursor()
	step := c.Next
	if backward {
		step = c.Prev
	}
	k, err := position(c, p.prefix, token, backward)
	if err != nil {
		return Page{}, err
	}
	var page Page
	var keys [][]byte
	var lastKey []byte
	seen := map[string]struct{}{}
	for ; k != nil && hasPrefix(k, p.prefix); k, _ = step() {
		if len(page.Items) == q.Limit {
			break
		}
		if page.Visited == q.MaxVisit {
			page.Truncated = true
			break
		}
		page.Visited++
		lastKey = append(lastKey[:0], k...)
		id := p.idOf(k)
		if _, dup := seen[id]; dup {
			continue
		}
		v := set.objects.Get([]byte(id))
		if v == nil {
			continue // index entry of an object being rewritten: skip, never fail a page
		}
		env, err := decodeEnvelope(v)
		if err != nil {
			return Page{}, fmt.Errorf("object %s: %w", id, err)
		}
		if !passes(&env, p.filters) {
			continue
		}
		seen[id] = struct{}{}
		page.Items = append(page.Items, env)
		keys = append(keys, append([]byte(nil), k...))
	}
	more := k != nil && hasPrefix(k, p.prefix)
	if page.Truncated && q.Before == "" {
		// Let the caller continue the walk past the keys it already paid for.
		page.Next = encodeToken(lastKey)
	}
	if len(keys) == 0 {
		return page, nil
	}
	first, last := keys[0], keys[len(keys)-1]
	if q.Before != "" {
		reverse(page.Items)
		first, last = last, first
		page.Next = encodeToken(last)
		if more {
			page.Prev = encodeToken(first)
		}
		return page, nil
	}
	if more && page.Next == "" {
		page.Next = encodeToken(last)
	}
	if q.After != "" {
		page.Prev = encodeToken(first)
	}
	return page, nil
}

// position puts c on the first key of the walk: just past token, or at the
// start of prefix in the walk's direction.
func position(c *bolt.Cursor, prefix []byte, token string, backward bool) ([]byte, error) {
	if token == "" {
		if backward {
			k, _ := seekLastWithPrefix(c, prefix)
			return k, nil
		}
		k, _ := c.Seek(prefix)
		return k, nil
	}
	key, err := decodeToken(token)
	if err != nil {
		return nil, err
	}
	k, _ := c.Seek(key)
	if backward {
		if k == nil { // every key sorts before the token
			k, _ = c.Last()
			return k, nil
		}
		k, _ = c.Prev()
		return k, nil
	}
	if k != nil && string(k) == string(key) {
		k, _ = c.Next()
	}
	return k, nil
}

func passes(e *Envelope, filters []func(*Envelope) bool) bool {
	for _, f := range filters {
		if !f(e) {
			return false
		}
	}
	return true
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func encodeToken(k []byte) string { return base64.RawURLEncoding.EncodeToString(k) }

func decodeToken(t string) ([]byte, error) {
	k, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return nil, fmt.Errorf("bad page token: %w", err)
	}
	return k, nil
}
