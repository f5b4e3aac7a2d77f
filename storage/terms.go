package storage

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Search terms: every lowercased string a "/" filter or the global search
// matches by prefix. They are written to idx/<kind>/search and, so that a
// rewrite removes exactly what was added, listed per object in
// idx/<kind>/terms (schema v4).
const (
	// maxTermLen caps one term in bytes (cut on a rune boundary).
	maxTermLen = 64
	// maxTerms caps the terms of one object (hostile metadata cannot blow
	// up the index).
	maxTerms = 48
	// maxWords is how many words of a description or metadata value are
	// indexed on their own.
	maxWords = 8
)

// termSource holds the fields of a raw Stripe object the search index reads
// beyond Fields: phones, last4, descriptions, metadata values and the
// billing details of guest payments.
type termSource struct {
	Phone          string            `json:"phone"`
	CustomerPhone  string            `json:"customer_phone"`
	Description    string            `json:"description"`
	StatementDesc  string            `json:"statement_descriptor"`
	ReceiptNumber  string            `json:"receipt_number"`
	LookupKey      string            `json:"lookup_key"`
	Metadata       map[string]string `json:"metadata"`
	BillingDetails *struct {
		Email string `json:"email"`
		Name  string `json:"name"`
		Phone string `json:"phone"`
	} `json:"billing_details"`
	PaymentMethodDetails *struct {
		Card *struct {
			Last4 string `json:"last4"`
		} `json:"card"`
		CardPresent *struct {
			Last4 string `json:"last4"`
		} `json:"card_present"`
	} `json:"payment_method_details"`
	Card *struct {
		Last4 string `json:"last4"`
	} `json:"card"`
}

// customerTerms is what a child object inherits from its cached customer:
// so "/chen" in Subscriptions finds Chen Suzuki's subscriptions.
type customerTerms struct{ Name, Email, Phone string }

// objectTerms lists the search terms of e: its id, email, name (and each of
// its words), number, phone digits (and their suffixes, so a number typed
// without its country code matches), card last4, description and metadata
// values (whole and by word), the billing details of a charge and, for
// objects of a customer, that customer's name, email and phone.
func objectTerms(e *Envelope, cust *customerTerms) []string {
	var src termSource
	if e.src != nil {
		src = *e.src
	} else {
		_ = json.Unmarshal(e.Raw, &src) // a field of another shape only loses its terms
	}
	t := termList{}
	t.add(e.ID)
	t.addEmail(e.Email)
	t.addName(e.Name)
	t.add(e.Number)
	t.add(src.ReceiptNumber)
	t.add(src.LookupKey)
	t.addPhone(src.Phone)
	t.addPhone(src.CustomerPhone)
	if b := src.BillingDetails; b != nil {
		t.addEmail(b.Email)
		t.addName(b.Name)
		t.addPhone(b.Phone)
	}
	if p := src.PaymentMethodDetails; p != nil {
		if p.Card != nil {
			t.add(p.Card.Last4)
		}
		if p.CardPresent != nil {
			t.add(p.CardPresent.Last4)
		}
	}
	if src.Card != nil {
		t.add(src.Card.Last4)
	}
	if cust != nil {
		t.addEmail(cust.Email)
		t.addName(cust.Name)
		t.addPhone(cust.Phone)
	}
	t.addText(src.Description)
	t.addText(src.StatementDesc)
	for _, k := range sortedKeys(src.Metadata) {
		t.addText(src.Metadata[k])
	}
	return t.out
}

type termList struct {
	out  []string
	seen map[string]struct{}
}

func (t *termList) add(s string) {
	s = normTerm(s)
	if s == "" || len(t.out) >= maxTerms {
		return
	}
	if t.seen == nil {
		t.seen = map[string]struct{}{}
	}
	if _, ok := t.seen[s]; ok {
		return
	}
	t.seen[s] = struct{}{}
	t.out = append(t.out, s)
}

func (t *termList) addEmail(s string) { t.add(s) }

// addName adds a name and each later word ("smith" in "Jane Smith").
func (t *termList) addName(s string) {
	t.add(s)
	w := strings.Fields(s)
	for i := 1; i < len(w) && i < maxWords; i++ {
		t.add(w[i])
	}
}

// addText adds a free text (description, metadata value) whole and by word
// (words of 3 or more characters).
func (t *termList) addText(s string) {
	t.add(s)
	n := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' || r == '\n' }) {
		if n == maxWords {
			break
		}
		if utf8.RuneCountInString(w) >= 3 {
			t.add(w)
			n++
		}
	}
}

// addPhone adds a phone's digits and their suffixes of 7 digits or more.
func (t *termList) addPhone(s string) {
	d := PhoneDigits(s)
	if len(d) < 4 {
		return
	}
	t.add(d)
	for i := 1; len(d)-i >= 7; i++ {
		t.add(d[i:])
	}
}

// PhoneDigits keeps only the ASCII digits of a phone number
// ("+1 (555) 010-0100" -> "15550100100").
func PhoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normTerm lowercases, trims and caps a term, and drops the separator byte.
func normTerm(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "\x00", " ")))
	if len(s) > maxTermLen {
		cut := maxTermLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

// encodeTerms joins terms for idx/<kind>/terms (terms never hold 0x00).
func encodeTerms(terms []string) []byte {
	return []byte(strings.Join(terms, "\x00"))
}

func decodeTerms(v []byte) []string {
	if len(v) == 0 {
		return nil
	}
	parts := bytes.Split(v, []byte{sep})
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = string(p)
	}
	return out
}

// customerTermsOf reads the name, email and phone of a cached customer for
// its children's terms (nil when the customer is not cached).
func customerTermsOf(r *bolt.Bucket, customer string) *customerTerms {
	if customer == "" {
		return nil
	}
	set, err := kindBuckets(r, KindCustomer, false)
	if err != nil {
		return nil
	}
	v := set.objects.Get([]byte(customer))
	if v == nil {
		return nil
	}
	c, err := decodeEnvelope(v)
	if err != nil || c.Deleted {
		return nil
	}
	var src termSource
	_ = json.Unmarshal(c.Raw, &src)
	return &customerTerms{Name: c.Name, Email: c.Email, Phone: src.Phone}
}

// termsFor computes the terms of e as it is about to be written; a
// customer also gets the last4 of its cached payment methods.
func termsFor(r *bolt.Bucket, e *Envelope) []string {
	if e.Kind != KindCustomer {
		return objectTerms(e, customerTermsOf(r, e.Customer))
	}
	terms := objectTerms(e, nil)
	for _, l4 := range paymentMethodLast4(r, e.ID) {
		if len(terms) < maxTerms && !slices.Contains(terms, l4) {
			terms = append(terms, l4)
		}
	}
	return terms
}

// paymentMethodLast4 lists the card last4 of a customer's cached payment
// methods.
func paymentMethodLast4(r *bolt.Bucket, customer string) []string {
	b := r.Bucket(bucketPaymentMethods)
	if b == nil {
		return nil
	}
	v := b.Get([]byte(customer))
	if v == nil {
		return nil
	}
	var pms struct {
		Data []struct {
			Card *struct {
				Last4 string `json:"last4"`
			} `json:"card"`
		} `json:"data"`
	}
	if json.Unmarshal(v, &pms) != nil {
		return nil
	}
	var out []string
	for _, pm := range pms.Data {
		if pm.Card != nil {
			if l := normTerm(pm.Card.Last4); l != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// storedTerms are the terms indexed for id, or for copies indexed before
// schema v4 (no terms entry) the terms that version derived.
func storedTerms(set *kindBucketSet, e *Envelope) []string {
	if v := set.terms.Get([]byte(e.ID)); v != nil {
		return decodeTerms(v)
	}
	return e.searchTerms()
}

// reindexChildren rewrites the search terms of every cached object of
// customer (subscriptions, invoices, charges...) after the customer's name,
// email or phone changed, walking each kind's customer index.
func reindexChildren(r *bolt.Bucket, customer string) error {
	var cust *customerTerms
	loaded := false
	prefix := groupPrefix(customer)
	idx := r.Bucket(bucketIdx)
	for _, k := range Kinds {
		if k == KindCustomer {
			continue
		}
		// Most customers written have no cached objects yet (backfill
		// writes customers first): one seek per kind tells.
		if kb := idx.Bucket([]byte(k)); kb != nil {
			if cb := kb.Bucket(idxCustomer); cb != nil && !hasKeyWithPrefix(cb, prefix) {
				continue
			}
		}
		if !loaded {
			cust, loaded = customerTermsOf(r, customer), true
		}
		set, err := kindBuckets(r, k, false)
		if err != nil {
			return err
		}
		var ids []string
		c := set.customer.Cursor()
		for key, _ := c.Seek(prefix); key != nil && bytes.HasPrefix(key, prefix); key, _ = c.Next() {
			ids = append(ids, idFromGroupKey(key, len(prefix)))
		}
		for _, id := range ids {
			v := set.objects.Get([]byte(id))
			if v == nil {
				continue
			}
			env, err := decodeEnvelope(v)
			if err != nil || env.Deleted {
				continue
			}
			if err := replaceTerms(set, &env, objectTerms(&env, cust)); err != nil {
				return err
			}
		}
	}
	return nil
}

// replaceTerms swaps the indexed terms of e for terms.
func replaceTerms(set *kindBucketSet, e *Envelope, terms []string) error {
	for _, t := range storedTerms(set, e) {
		if err := set.search.Delete(searchKey(t, e.ID)); err != nil {
			return err
		}
	}
	return putTerms(set, e.ID, terms)
}

func putTerms(set *kindBucketSet, id string, terms []string) error {
	for _, t := range terms {
		if err := set.search.Put(searchKey(t, id), nil); err != nil {
			return err
		}
	}
	return set.terms.Put([]byte(id), encodeTerms(terms))
}
