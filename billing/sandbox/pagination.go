package sandbox

import (
	"sort"
)

// listSpec describes one list endpoint over a collection stored oldest
// first (index order == created order), answered newest first like Stripe.
type listSpec struct {
	url     string
	kind    kind   // for cursor ids
	what    string // "customer", for error messages
	n       int
	base    int // sequence number of index 0 (events drop their oldest)
	created func(i int) int64
	match   func(i int) bool // nil: every object
	// chain, when set, yields the candidate indexes newest first (e.g. one
	// customer's invoices) instead of scanning the whole collection.
	chain  func(yield func(int) bool)
	render func(i int) map[string]any
}

const (
	defaultLimit = 10
	maxLimit     = 100
)

func (c *call) limit() (int, *apiError) {
	n, ok, e := c.p.int("limit")
	if e != nil {
		return 0, e
	}
	if !ok {
		return defaultLimit, nil
	}
	if n < 1 {
		return 0, invalidRequest("limit", "This value must be greater than or equal to 1.")
	}
	if n > maxLimit {
		return 0, invalidRequest("limit", "This value must be less than or equal to 100.")
	}
	return int(n), nil
}

// list answers a list request for spec.
func (c *call) list(spec listSpec) (any, *apiError) {
	limit, e := c.limit()
	if e != nil {
		return nil, e
	}
	lo, hi, e := c.p.createdRange("created")
	if e != nil {
		return nil, e
	}
	after, hasAfter := c.p.strp("starting_after")
	before, hasBefore := c.p.strp("ending_before")
	if hasAfter && hasBefore && after != "" && before != "" {
		return nil, invalidRequest("starting_after", "You may only specify one of these parameters: ending_before, starting_after.")
	}
	cursor := -1
	if hasAfter && after != "" {
		if cursor, e = spec.cursor(c.s, "starting_after", after); e != nil {
			return nil, e
		}
	} else if hasBefore && before != "" {
		if cursor, e = spec.cursor(c.s, "ending_before", before); e != nil {
			return nil, e
		}
	} else {
		hasAfter, hasBefore = false, false
	}

	ok := func(i int) bool {
		if t := spec.created(i); t < lo || t > hi {
			return false
		}
		return spec.match == nil || spec.match(i)
	}
	var picked []int
	hasMore := false
	if spec.chain != nil {
		var all []int // newest first
		spec.chain(func(i int) bool {
			if ok(i) {
				all = append(all, i)
			}
			return true
		})
		picked, hasMore = pageOf(all, cursor, hasAfter, hasBefore, limit)
	} else {
		// created is monotone in the index: restrict to [a, b) by binary search.
		a := sort.Search(spec.n, func(i int) bool { return spec.created(i) >= lo })
		b := sort.Search(spec.n, func(i int) bool { return spec.created(i) > hi })
		// take picks i when it matches; false once the page is full.
		take := func(i int) bool {
			if spec.match != nil && !spec.match(i) {
				return true
			}
			if len(picked) == limit {
				hasMore = true
				return false
			}
			picked = append(picked, i)
			return true
		}
		if hasBefore {
			for i := max(a, cursor+1); i < b && take(i); i++ {
			}
			for l, r := 0, len(picked)-1; l < r; l, r = l+1, r-1 {
				picked[l], picked[r] = picked[r], picked[l]
			}
		} else {
			top := b - 1
			if hasAfter {
				top = min(top, cursor-1)
			}
			for i := top; i >= a && take(i); i-- {
			}
		}
	}
	data := make([]any, 0, len(picked))
	for _, i := range picked {
		data = append(data, spec.render(i))
	}
	return listEnvelope(spec.url, data, hasMore), nil
}

// pageOf pages a newest-first slice of indexes around cursor.
func pageOf(all []int, cursor int, after, before bool, limit int) ([]int, bool) {
	switch {
	case after:
		k := sort.Search(len(all), func(j int) bool { return all[j] < cursor })
		all = all[k:]
	case before:
		k := sort.Search(len(all), func(j int) bool { return all[j] <= cursor })
		all = all[:k]
		if len(all) > limit {
			return all[len(all)-limit:], true
		}
		return all, false
	}
	if len(all) > limit {
		return all[:limit], true
	}
	return all, false
}

func (spec listSpec) cursor(s *Server, param, id string) (int, *apiError) {
	seq, ok := s.ids.parse(spec.kind, id)
	if !ok || int(seq) < spec.base || int(seq)-spec.base >= spec.n {
		return 0, missingParam(spec.what, param, id)
	}
	return int(seq) - spec.base, nil
}

func listEnvelope(url string, data []any, hasMore bool) map[string]any {
	if data == nil {
		data = []any{}
	}
	return map[string]any{"object": "list", "data": data, "has_more": hasMore, "url": url}
}

// linked walks a per-owner list (newest first) through prev links.
func linked(head int32, prev func(i int32) int32) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for i := head; i >= 0; i = prev(i) {
			if !yield(int(i)) {
				return
			}
		}
	}
}
