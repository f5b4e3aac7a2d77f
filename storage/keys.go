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

	idxCreated  = []byte("created")
	idxAmount   = []byte("amount")
	idxStatus   = []byte("status")
	idxCustomer = []byte("customer")
	idxSearch   = []byte("search")
	idxBalance  = []byte("balance")
	idxStatusAt = []byte("status_at")

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

// balanceKey is class | be64(balance ^ signbit) | id, for customers whose
// balance is not zero.
func balanceKey(balance int64, id string) []byte {
	class := byte(balanceOwed)
	if balance < 0 {
		class = balanceCredit
	}
	k := make([]byte, 0, 1+8+len(id))
	k = append(k, class)
	k = append(k, be64(uint64(balance)^(1<<63))...)
	return append(k, id...)
}

func idFromBalanceKey(k []byte) string { return string(k[9:]) }

func staleKey(kind Kind, id string) []byte {
	return append(append([]byte(kind), sep), id...)
}

// idFromKey returns the id stored after the last separator or fixed header.
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
