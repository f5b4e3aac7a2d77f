package resources

import (
	"encoding/json"
	"strings"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/storage/stripejson"
)

// The console reads Stripe's JSON through the one typed reading in
// storage/stripejson; the local types wrap it for the methods pages use.
// Unknown or missing fields stay zero.

type price struct{ stripejson.Price }

func (p price) label() string {
	switch {
	case p.Nickname != "":
		return p.Nickname
	case p.LookupKey != "":
		return p.LookupKey
	}
	return p.ID
}

func (p price) interval() string {
	if p.Recurring == nil {
		return "once"
	}
	if p.Recurring.IntervalCount > 1 {
		return "every " + itoa(p.Recurring.IntervalCount) + " " + p.Recurring.Interval + "s"
	}
	return p.Recurring.Interval
}

type (
	customerJSON      struct{ stripejson.Customer }
	discountJSON      = stripejson.Discount
	card              = stripejson.Card
	subscriptionJSON  struct{ stripejson.Subscription }
	invoiceJSON       struct{ stripejson.Invoice }
	paymentIntentJSON = stripejson.PaymentIntent
	chargeJSON        = stripejson.Charge
	refundJSON        = stripejson.Refund
	disputeJSON       struct{ stripejson.Dispute }
	balanceTxnJSON    = stripejson.BalanceTransaction
)

// paymentMethod reads an expanded payment method ({"card":{...}}) or an id.
func paymentMethod(raw json.RawMessage) (id string, c *card) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		_ = json.Unmarshal(raw, &id)
		return safetext.Line(id), nil
	}
	var pm struct {
		ID   string `json:"id"`
		Card *card  `json:"card"`
	}
	if json.Unmarshal(raw, &pm) != nil {
		return "", nil
	}
	safetext.Walk(&pm)
	return pm.ID, pm.Card
}

// status is the subscription's status as lists show it: "active, paused"
// while its payment collection is paused (pause_collection set; Stripe's
// status stays active), so no list reads as billing normally.
func (s subscriptionJSON) status(stripeStatus string) string {
	if s.PauseCollection != nil && stripeStatus != "canceled" {
		return stripeStatus + ", paused"
	}
	return stripeStatus
}

func (s subscriptionJSON) plan() string {
	if len(s.Items.Data) == 0 {
		return "-"
	}
	l := price{s.Items.Data[0].Price}.label()
	if n := len(s.Items.Data); n > 1 {
		l += " +" + itoa(int64(n-1))
	}
	return l
}

// evidenceFields lists the evidence fields that hold something, sorted.
func (d disputeJSON) evidenceFields() []string {
	var m map[string]json.RawMessage
	if json.Unmarshal(d.Evidence, &m) != nil {
		return nil
	}
	var out []string
	for k, v := range m {
		if s := strings.TrimSpace(string(v)); s != "" && s != "null" && s != `""` {
			out = append(out, safetext.Line(k))
		}
	}
	sortStrings(out)
	return out
}

// decode reads raw into v, leaving v zero on malformed input (a row then
// shows dashes instead of failing the page). Every string in v has passed
// safetext.Line: decoded Stripe text is safe to draw.
func decode[T any](raw []byte) T {
	var v T
	_ = json.Unmarshal(raw, &v)
	safetext.Walk(&v)
	return v
}

// safeEnv is e with every display field (ids, name, email, number, status,
// stale reason) passed through safetext.Line; e.Raw is left as cached.
func safeEnv(e storage.Envelope) storage.Envelope {
	safetext.Walk(&e)
	return e
}
