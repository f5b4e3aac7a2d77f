// Package stripejson holds the small pieces paydesk needs to read Stripe's
// raw JSON (as the cache stores it) without stripe-go's types. It imports
// nothing of ours, so billing and tui packages can both use it.
package stripejson

import "encoding/json"

// Ref is a Stripe reference field ("customer", "charge", ...): Stripe sends
// an id string, or an expanded object when the request asked for it. Either
// way Ref holds the id; null or absent leaves it empty.
type Ref string

// UnmarshalJSON accepts an id string, an expanded object or null.
func (r *Ref) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || string(b) == "null" {
		*r = ""
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*r = Ref(s)
		return nil
	}
	var o struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*r = Ref(o.ID)
	return nil
}
