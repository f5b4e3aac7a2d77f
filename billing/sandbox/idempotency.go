package sandbox

// savedResponse is what an idempotency key replays.
type savedResponse struct {
	fingerprint string // method, path and encoded parameters
	status      int
	body        []byte
	reqID       string
}

// idempotencyStore keeps the most recent responses by Idempotency-Key,
// evicting the oldest beyond its capacity (Stripe keeps keys for 24 h).
type idempotencyStore struct {
	cap   int
	byKey map[string]savedResponse
	order []string
	head  int
}

func newIdempotencyStore(capacity int) idempotencyStore {
	return idempotencyStore{cap: capacity, byKey: map[string]savedResponse{}}
}

func (st *idempotencyStore) get(key string) (savedResponse, bool) {
	r, ok := st.byKey[key]
	return r, ok
}

func (st *idempotencyStore) put(key string, r savedResponse) {
	if _, ok := st.byKey[key]; ok {
		return
	}
	if len(st.order) < st.cap {
		st.order = append(st.order, key)
	} else {
		delete(st.byKey, st.order[st.head])
		st.order[st.head] = key
		st.head = (st.head + 1) % st.cap
	}
	st.byKey[key] = r
}
