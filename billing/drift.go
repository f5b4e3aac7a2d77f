package billing

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

// drift compares the cached copy of kind/id with the fresh object on the
// given JSON paths and words each difference for the confirmation:
// "amount_refunded changed on Stripe: cache shows $0.00, Stripe now $1.00".
// Amounts are shown in the object's currency and timestamps as UTC, the way
// every other line of a confirmation shows them, never as raw minor units
// or Unix seconds.
func (a *Actions) drift(kind storage.Kind, id string, fresh map[string]any, paths []string) []string {
	env, err := a.store.Get(kind, id)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return []string{"not in the local cache yet: showing Stripe's current state"}
		}
		return []string{"cache unreadable: showing Stripe's current state"}
	}
	var cached map[string]any
	if err := json.Unmarshal(env.Raw, &cached); err != nil {
		return []string{"cached copy unreadable: showing Stripe's current state"}
	}
	var out []string
	for _, p := range paths {
		c, f := lookupPath(cached, p), lookupPath(fresh, p)
		if render(c) == render(f) {
			continue
		}
		out = append(out, fmt.Sprintf("%s changed on Stripe: cache shows %s, Stripe now %s",
			p, renderField(p, c, cached), renderField(p, f, fresh)))
	}
	return out
}

// moneyFields are the Stripe fields (last path segment) that hold minor
// units of the object's currency.
var moneyFields = map[string]bool{
	"amount": true, "amount_due": true, "amount_paid": true, "amount_remaining": true,
	"amount_refunded": true, "amount_captured": true, "balance": true, "total": true,
	"subtotal": true, "starting_balance": true, "ending_balance": true,
}

// timeFields are the Stripe fields (last path segment) that hold Unix
// seconds.
var timeFields = map[string]bool{
	"created": true, "current_period_end": true, "current_period_start": true,
	"trial_end": true, "trial_start": true, "due_by": true, "resumes_at": true,
	"due_date": true, "cancel_at": true, "canceled_at": true, "expires_at": true,
}

// renderField shows one drifted value as a person reads it: a money field in
// obj's currency (bare minor units only when the object has none), a time
// field as "2006-01-02 15:04 UTC", anything else as render does.
func renderField(p string, v any, obj map[string]any) string {
	n, isNum := v.(float64)
	field := p[strings.LastIndex(p, ".")+1:]
	switch {
	case isNum && moneyFields[field]:
		return money.Format(int64(n), str(obj, "currency"))
	case isNum && timeFields[field]:
		return time.Unix(int64(n), 0).UTC().Format("2006-01-02 15:04") + " UTC"
	}
	return render(v)
}

// render writes a decoded JSON value plainly: null as "none", numbers
// without exponent, objects as JSON.
func render(v any) string {
	switch t := v.(type) {
	case nil:
		return "none"
	case string:
		return t
	case float64:
		return fmt.Sprintf("%.0f", t)
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}
