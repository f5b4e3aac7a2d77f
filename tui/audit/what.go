package audit

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/paydesk/paydesk/tui/common"
)

// callOf is the call an intent sent (zero when there is no intent or its
// params do not decode).
func callOf(in *storage.Intent) billing.Call {
	var c billing.Call
	if in != nil {
		_ = json.Unmarshal(in.Params, &c)
	}
	return c
}

// actionTitle is a record's action as an operator reads it, with the form
// it took ("Cancellation now", "Discount remove", "Credit note void"); a
// record written before its variant was kept gets it from its intent's
// call.
func actionTitle(action, variant string, in *storage.Intent) string {
	if variant == "" && in != nil {
		variant = billing.Variant(billing.Action(action), callOf(in))
	}
	t := common.ActionTitle(action)
	switch billing.Action(action) {
	case billing.ActionPause: // "Pause or resume of collection pause" says it twice
		if variant != "" {
			return "Collection " + variant
		}
	}
	if variant != "" {
		t += " " + variant
	}
	return t
}

// whatWasDone words what a money action's call changed, from its intent
// (its call and the values it replaced): a customer edit's fields before
// → after, a trial's new end (UTC), a credit note's split, the discount
// applied. "" when the call says nothing more than the action's title,
// amount and target.
func whatWasDone(store *storage.Store, action string, in *storage.Intent) string {
	if in == nil {
		return ""
	}
	c := callOf(in)
	cur := in.Currency
	amt := func(name string) (string, bool) {
		v := c.Get(name)
		if v == "" {
			return "", false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return v, true
		}
		return money.Format(n, cur), true
	}
	switch billing.Action(action) {
	case billing.ActionCustomerEdit:
		return customerChanges(c)
	case billing.ActionTrialEnd, billing.ActionTrialExtend:
		stamp := func(v string) string {
			if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
				return time.Unix(sec, 0).UTC().Format("2006-01-02 15:04:05") + " UTC"
			}
			return v
		}
		was := ""
		if b := before(c, "trial_end"); b != "" {
			was = " (was " + stamp(b) + ")"
		}
		switch v := c.Get("trial_end"); v {
		case "":
			return ""
		case "now":
			return "trial ended now" + was
		default:
			return "trial ends " + stamp(v) + was
		}
	case billing.ActionPlanChange:
		plan := func(price, qty string) string {
			if qty == "" {
				qty = "?"
			}
			return qty + " × " + priceName(store, price)
		}
		after := plan(c.Get("items[0][price]"), c.Get("items[0][quantity]"))
		if b := before(c, "items[0][price]"); b != "" {
			return "plan " + plan(b, before(c, "items[0][quantity]")) + " → " + after
		}
		return "plan → " + after
	case billing.ActionCreditNote:
		var parts []string
		for _, p := range []struct{ name, words string }{
			{"refund_amount", "refund"}, {"credit_amount", "balance credit"}, {"out_of_band_amount", "out of band"}} {
			if v, ok := amt(p.name); ok {
				parts = append(parts, p.words+" "+v)
			}
		}
		if len(parts) == 0 {
			return "lowers the amount due"
		}
		return strings.Join(parts, " · ")
	case billing.ActionDiscount:
		switch {
		case c.Method == "DELETE":
			return "discount removed"
		case c.Get("promotion_code") != "":
			return "promotion code " + c.Get("promotion_code")
		case c.Get("coupon") != "":
			return "coupon " + c.Get("coupon")
		}
	}
	return ""
}

// before is the value a call replaced for form name (empty: not kept).
func before(c billing.Call, name string) string {
	for _, b := range c.Before {
		if b.Name == name {
			return b.Value
		}
	}
	return ""
}

// customerChanges words a customer edit's changed fields: before → after
// when the call kept the values it replaced, "→ after" otherwise.
func customerChanges(c billing.Call) string {
	formName := func(field string) string {
		switch {
		case field == "note":
			return "metadata[" + billing.NoteMetadataKey + "]"
		case strings.HasPrefix(field, "address."):
			return "address[" + strings.TrimPrefix(field, "address.") + "]"
		}
		return field
	}
	var out []string
	if len(c.Before) > 0 {
		for _, b := range c.Before {
			out = append(out, strings.ToLower(billing.CustomerFieldLabel(b.Name))+" "+dash(b.Value)+" → "+dash(c.Get(formName(b.Name))))
		}
		return strings.Join(out, "; ")
	}
	for _, f := range billing.CustomerFields {
		for _, p := range c.Form {
			if p.Name == formName(f) {
				out = append(out, strings.ToLower(billing.CustomerFieldLabel(f))+" → "+dash(p.Value))
			}
		}
	}
	return strings.Join(out, "; ")
}

// wrap breaks text into lines of at most width cells, at spaces.
func wrap(text string, width int) []string {
	return strings.Split(ansi.Wrap(text, max(20, width), " "), "\n")
}

// priceName words a price as a plan reads: its product's name (else its
// nickname) and unit amount per interval, "Pro $29.00/month", from the
// cache; the bare id when the price is not cached.
func priceName(store *storage.Store, id string) string {
	if id == "" || store == nil {
		return dash(id)
	}
	env, err := store.Get(storage.KindPrice, id)
	if err != nil {
		return id
	}
	var pr stripejson.Price // the one typed reading of Stripe's JSON
	if json.Unmarshal(env.Raw, &pr) != nil {
		return id
	}
	name := pr.Nickname
	prod := string(pr.Product)
	if p, err := store.Get(storage.KindProduct, prod); err == nil && p.Name != "" {
		name = p.Name
	}
	if name == "" {
		return id
	}
	if pr.UnitAmount != nil {
		name += " " + money.Format(*pr.UnitAmount, pr.Currency)
		if r := pr.Recurring; r != nil {
			if r.IntervalCount > 1 {
				name += fmt.Sprintf("/%d %ss", r.IntervalCount, r.Interval)
			} else {
				name += "/" + r.Interval
			}
		}
	}
	return name
}
