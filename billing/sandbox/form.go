package sandbox

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// params gives typed access to Stripe's bracketed form encoding
// (metadata[k]=v, items[0][price]=p, expand[0]=x or expand[]=x).
type params struct {
	v url.Values
}

func (p params) str(key string) string { return p.v.Get(key) }

func (p params) strp(key string) (string, bool) {
	vals, ok := p.v[key]
	if !ok || len(vals) == 0 {
		return "", false
	}
	return vals[0], true
}

func (p params) int(key string) (int64, bool, *apiError) {
	s, ok := p.strp(key)
	if !ok {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, true, invalidCode("parameter_invalid_integer", key, "Invalid integer: %s", s)
	}
	return n, true, nil
}

func (p params) boolean(key string) (bool, bool, *apiError) {
	s, ok := p.strp(key)
	if !ok {
		return false, false, nil
	}
	switch s {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, true, invalidRequest(key, "Invalid boolean: %s", s)
}

// sub returns the map under prefix: sub("metadata") of metadata[a]=1 is {a:1}.
// Nested keys keep their remaining brackets: sub("items") -> "0][price".
func (p params) sub(prefix string) map[string]string {
	out := map[string]string{}
	pre := prefix + "["
	for k, vals := range p.v {
		if strings.HasPrefix(k, pre) && strings.HasSuffix(k, "]") && len(vals) > 0 {
			out[k[len(pre):len(k)-1]] = vals[0]
		}
	}
	return out
}

// list returns the values of an array parameter in index order, accepting
// both key[0]=a&key[1]=b and key[]=a&key[]=b.
func (p params) list(key string) []string {
	var out []string
	out = append(out, p.v[key+"[]"]...)
	type iv struct {
		i int
		v string
	}
	var idx []iv
	for k, vals := range p.v {
		if !strings.HasPrefix(k, key+"[") || !strings.HasSuffix(k, "]") || len(vals) == 0 {
			continue
		}
		n, err := strconv.Atoi(k[len(key)+1 : len(k)-1])
		if err != nil {
			continue
		}
		idx = append(idx, iv{n, vals[0]})
	}
	sort.Slice(idx, func(a, b int) bool { return idx[a].i < idx[b].i })
	for _, x := range idx {
		out = append(out, x.v)
	}
	return out
}

// objects returns array-of-hash parameters: items[0][price]=p -> [{price:p}].
func (p params) objects(key string) ([]map[string]string, *apiError) {
	byIdx := map[int]map[string]string{}
	for k, vals := range p.v {
		if !strings.HasPrefix(k, key+"[") || len(vals) == 0 {
			continue
		}
		rest := k[len(key)+1:]
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, invalidRequest(key, "Invalid array")
		}
		n, err := strconv.Atoi(rest[:end])
		if err != nil || n < 0 || n > 1000 {
			return nil, invalidRequest(key, "Invalid array")
		}
		field := rest[end+1:]
		if !strings.HasPrefix(field, "[") || !strings.HasSuffix(field, "]") {
			return nil, invalidRequest(key, "Invalid array")
		}
		m := byIdx[n]
		if m == nil {
			m = map[string]string{}
			byIdx[n] = m
		}
		m[field[1:len(field)-1]] = vals[0]
	}
	keys := make([]int, 0, len(byIdx))
	for k := range byIdx {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	out := make([]map[string]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, byIdx[k])
	}
	return out, nil
}

// metadata applies metadata[k]=v updates to m (empty value deletes; metadata=""
// clears) and returns the result.
func (p params) metadata(m map[string]string) (map[string]string, bool) {
	changed := false
	if v, ok := p.strp("metadata"); ok && v == "" {
		m = nil
		changed = true
	}
	for k, v := range p.sub("metadata") {
		changed = true
		if v == "" {
			delete(m, k)
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[k] = v
	}
	return m, changed
}

func parseIntStr(s, param string) (int64, *apiError) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, invalidCode("parameter_invalid_integer", param, "Invalid integer: %s", s)
	}
	return n, nil
}

// createdRange parses created / created[gt|gte|lt|lte] into [lo, hi].
func (p params) createdRange(key string) (lo, hi int64, err *apiError) {
	lo, hi = -1<<62, 1<<62
	if s, ok := p.strp(key); ok && s != "" {
		n, e := parseIntStr(s, key)
		if e != nil {
			return 0, 0, e
		}
		return n, n, nil
	}
	for op, s := range p.sub(key) {
		n, e := parseIntStr(s, fmt.Sprintf("%s[%s]", key, op))
		if e != nil {
			return 0, 0, e
		}
		switch op {
		case "gt":
			lo = max(lo, n+1)
		case "gte":
			lo = max(lo, n)
		case "lt":
			hi = min(hi, n-1)
		case "lte":
			hi = min(hi, n)
		default:
			return 0, 0, unknownParam(fmt.Sprintf("%s[%s]", key, op))
		}
	}
	return lo, hi, nil
}
