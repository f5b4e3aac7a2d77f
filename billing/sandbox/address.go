package sandbox

// addressParts are the fields of a Stripe address hash, in the order the
// sandbox stores them.
var addressParts = [...]string{"line1", "line2", "city", "state", "postal_code", "country"}

// renderAddress is a stored address as Stripe renders it (nil: none;
// unset parts are null).
func renderAddress(a *[len(addressParts)]string) any {
	if a == nil {
		return nil
	}
	out := map[string]any{}
	for i, k := range addressParts {
		out[k] = nil
		if a[i] != "" {
			out[k] = a[i]
		}
	}
	return out
}

// address applies address="" (clears) or address[part]=v updates to cur,
// as POST /v1/customers/{id} does: parts not given keep their value.
// Unknown parts are refused like Stripe (parameter_unknown).
func (p params) address(cur *[len(addressParts)]string) (*[len(addressParts)]string, bool, *apiError) {
	if v, ok := p.strp("address"); ok && v == "" {
		return nil, cur != nil, nil
	}
	given := p.sub("address")
	if len(given) == 0 {
		return cur, false, nil
	}
	next := [len(addressParts)]string{}
	if cur != nil {
		next = *cur
	}
	for k, v := range given {
		found := false
		for i, part := range addressParts {
			if part == k {
				next[i], found = v, true
			}
		}
		if !found {
			return nil, false, unknownParam("address[" + k + "]")
		}
	}
	if next[5] != "" && (len(next[5]) != 2 || next[5][0] < 'A' || next[5][0] > 'Z' || next[5][1] < 'A' || next[5][1] > 'Z') {
		return nil, false, invalidRequest("address[country]", "Country '%s' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'. A full list of country codes is available at https://support.stripe.com/questions/which-country-code-should-i-use", next[5])
	}
	return &next, cur == nil || next != *cur, nil
}

// plausibleEmail is Stripe's check of a customer's email: one @ with text
// on both sides, a dot in the domain, no spaces.
func plausibleEmail(v string) bool {
	at := -1
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ' ', '\t':
			return false
		case '@':
			if at >= 0 {
				return false
			}
			at = i
		}
	}
	if at <= 0 || at == len(v)-1 {
		return false
	}
	dom := v[at+1:]
	for i := 1; i < len(dom)-1; i++ {
		if dom[i] == '.' {
			return true
		}
	}
	return false
}
