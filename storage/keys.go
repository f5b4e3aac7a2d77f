package storage

import "encoding/binary"

// Bucket names. Nested buckets are reached through the helpers in buckets.go.
var (
	bucketRoot       = []byte("v1")
	bucketMeta       = []byte("meta")
	bucketObjects    = []byte("objects")
	bucketIdx        = []byte("idx")
	bucketStale      = []byte("stale")
	bucketEvents     = []byte("events")
	bucketEventLog   = []byte("eventlog")
	bucketDeliveries = []byte("deliveries")
	bucketIntents    = []byte("intents")
	bucketIntentLog  = []byte("intentlog")
	bucketAudit      = []byte("audit")
	// bucketPaymentMethods holds each customer's payment methods (schema v5).
	bucketPaymentMethods = []byte("payment_methods")

	idxCreated  = []byte("created")
	idxAmount   = []byte("amount")
	idxStatus   = []byte("status")
	idxCustomer = []byte("customer")
	idxSearch   = []byte("search")
	idxBalance  = []byte("balance")
	idxStatusAt = []byte("status_at")
	// idxCurrencyAmount orders by currency, then amount (schema v4).
	idxCurrencyAmount = []byte("currency_amount")
	// idxTerms lists each object's search terms; idxAmountCur is the amount
	// index per currency for search (schema v5).
	idxTerms     = []byte("terms")
	idxAmountCur = []byte("amount_cur")

	idxEventsKind     = []byte("events")
	idxEventsCustomer = []byte("customer")
	idxEventsObject   = []byte("object")

	metaSchema    = []byte("schema")
	metaAccount   = []byte("account")
	metaLastEvent = []byte("last_event")
	metaCatchUp   = []byte("catchup_mark")
	metaCursor    = "cursor/"
	metaRange     = "range/"
	metaCount     = "count/"
)

const sep = 0x00

func be64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// timeKey orders unix seconds; negative times (never seen from Stripe) sort first.
func timeKey(t int64) []byte { return be64(uint64(t) ^ (1 << 63)) }

func createdKey(created int64, id string) []byte {
	return append(timeKey(created), id...)
}

func amountKey(amount int64, id string) []byte {
	return append(be64(uint64(amount)^(1<<63)), id...)
}

// groupKey is group | 0x00 | be64(created) | id, for status and customer indexes.
func groupKey(group string, created int64, id string) []byte {
	k := make([]byte, 0, len(group)+1+8+len(id))
	k = append(k, group...)
	k = append(k, sep)
	k = append(k, timeKey(created)...)
	return append(k, id...)
}

func groupPrefix(group string) []byte {
	return append([]byte(group), sep)
}

// amountCurKey is currency | 0x00 | be64(amount ^ signbit) | be64(created) | id:
// one currency's objects in amount order, each amount's in created order.
func amountCurKey(currency string, amount, created int64, id string) []byte {
	k := make([]byte, 0, len(currency)+1+16+len(id))
	k = append(k, currency...)
	k = append(k, sep)
	k = append(k, be64(uint64(amount)^(1<<63))...)
	k = append(k, timeKey(created)...)
	return append(k, id...)
}

func searchKey(term, id string) []byte {
	k := make([]byte, 0, len(term)+1+len(id))
	k = append(k, term...)
	k = append(k, sep)
	return append(k, id...)
}

// Balance classes: the first byte of a balance index key. 'c' < 'o', so a
// walk over the whole index still runs in amount order.
const (
	balanceCredit = 'c' // balance < 0: credit the customer can spend
	balanceOwed   = 'o' // balance > 0: owed, added to the next invoice
)

// balanceKey is class | currency | 0x00 | be64(balance ^ signbit) | id,
// for customers whose balance is not zero: within a class, balances of one
// currency sort together (¥15,000 is not "more" than $120.00).
func balanceKey(currency string, balance int64, id string) []byte {
	class := byte(balanceOwed)
	if balance < 0 {
		class = balanceCredit
	}
	cur := currencyGroup(currency)
	k := make([]byte, 0, 1+len(cur)+1+8+len(id))
	k = append(k, class)
	k = append(k, cur...)
	k = append(k, sep)
	k = append(k, be64(uint64(balance)^(1<<63))...)
	return append(k, id...)
}

func idFromBalanceKey(k []byte) string { return idAfterGroup(k, 1) }

// currencyGroup is the currency part of an amount key: the lowercase code,
// or "~" (after every code) for objects without a currency (a customer
// never billed), so they come last.
func currencyGroup(currency string) string {
	if currency == "" {
		return "~"
	}
	return currency
}

// currencyAmountKey is currency | 0x00 | be64(^(amount ^ signbit)) | id:
// an ascending walk goes currency by currency in code order, largest
// amount first within each, as the Dunning worklist does.
func currencyAmountKey(currency string, amount int64, id string) []byte {
	cur := currencyGroup(currency)
	k := make([]byte, 0, len(cur)+1+8+len(id))
	k = append(k, cur...)
	k = append(k, sep)
	k = append(k, be64(^(uint64(amount) ^ (1 << 63)))...)
	return append(k, id...)
}

func idFromCurrencyAmountKey(k []byte) string { return idAfterGroup(k, 0) }

// idAfterGroup reads the id of a key laid out as from bytes, a group that
// ends at the next 0x00, 8 bytes of order, then the id.
func idAfterGroup(k []byte, from int) string {
	for i := from; i < len(k); i++ {
		if k[i] == sep {
			if i+9 > len(k) {
				return ""
			}
			return string(k[i+9:])
		}
	}
	return ""
}

func staleKey(kind Kind, id string) []byte {
	return append(append([]byte(kind), sep), id...)
}

// idFromCreatedKey returns the id after a created-index key's 8-byte time
// header (createdKey); idFromGroupKey the one after a group key's prefix and
// time header; idFromSearchKey the one after the last separator.
func idFromCreatedKey(k []byte) string { return string(k[8:]) }

func idFromGroupKey(k []byte, prefixLen int) string { return string(k[prefixLen+8:]) }

func idFromSearchKey(k []byte) string {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == sep {
			return string(k[i+1:])
		}
	}
	return ""
}
