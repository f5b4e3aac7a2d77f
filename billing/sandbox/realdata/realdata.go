// Package realdata is the corpus of real Stripe shapes the tests deliver
// through the webhook path: the objects stripe-mock v0.185.0 embeds as its
// OpenAPI fixtures (one per resource, API version 2024-04-10, newer than
// the 2023-10-16 the cache is pinned to), wrapped in the events Stripe sends
// for them, plus small cases written by hand in testdata for what the
// fixtures do not show (deleted customers, invoice discounts and tax,
// metered and tiered prices, thin and Connect events, late links, guest
// payments, customer discounts, test clocks, legacy cards, currencies).
//
// It is imported by tests only.
package realdata

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/stripe/stripe-mock/embedded"
)

//go:embed testdata/*.json
var cases embed.FS

// APIVersion is the version the wrapping events claim: the cache's pinned
// 2023-10-16, so the objects are applied (not only marked for refetch).
// The fixtures themselves come from stripe-mock's 2024-04-10 spec; the
// fields paydesk reads have the same shape in both versions.
const APIVersion = "2023-10-16"

// SpecVersion is the API version of stripe-mock's embedded spec and fixtures.
const SpecVersion = "2024-04-10"

// Delivery is one input of the corpus, in order.
type Delivery struct {
	// Name says where it came from ("fixture customer", "case deleted-customer #2").
	Name string
	// Kind is the Stripe object type carried (for counting the corpus).
	Kind string
	// Body is a Stripe event (classic or thin) for the webhook endpoint, or
	// with Refetch a bare object as a GET would answer it.
	Body    []byte
	Refetch bool
}

// fixtureEvents maps stripe-mock's resource names to the event type Stripe
// sends when such an object is created: one per kind paydesk caches (an
// empty event: Stripe sends none, and the object is delivered as a
// refetch answer).
var fixtureEvents = []struct{ resource, event string }{
	{"product", "product.created"},
	{"price", "price.created"},
	{"customer", "customer.created"},
	{"subscription", "customer.subscription.created"},
	{"invoice", "invoice.created"},
	{"payment_intent", "payment_intent.created"},
	{"charge", "charge.succeeded"},
	{"refund", "refund.created"},
	{"dispute", "charge.dispute.created"},
	// Stripe sends no event for a customer balance transaction: paydesk
	// reads them by listing the customer's (delivered as a refetch answer).
	{"customer_balance_transaction", ""},
	{"coupon", "coupon.created"},
	{"promotion_code", "promotion_code.created"},
	{"credit_note", "credit_note.created"},
}

// deletedFixtures are stripe-mock's deleted stubs, answered by a GET of a
// deleted object; they are delivered as refetches.
var deletedFixtures = []string{"deleted_customer", "deleted_product", "deleted_price", "deleted_invoice"}

// Fixtures returns stripe-mock's embedded fixture objects by resource name.
func Fixtures() (map[string]json.RawMessage, error) {
	var f struct {
		Resources map[string]json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal(embedded.OpenAPIFixtures, &f); err != nil {
		return nil, fmt.Errorf("stripe-mock fixtures: %w", err)
	}
	return f.Resources, nil
}

// FixtureDeliveries wraps one fixture object of every cached kind in its
// creation event (created at base+i, unix seconds), in backfill order.
func FixtureDeliveries(base int64) ([]Delivery, error) {
	fx, err := Fixtures()
	if err != nil {
		return nil, err
	}
	out := make([]Delivery, 0, len(fixtureEvents))
	for i, fe := range fixtureEvents {
		obj, ok := fx[fe.resource]
		if !ok {
			return nil, fmt.Errorf("stripe-mock fixtures: no %s", fe.resource)
		}
		if fe.event == "" {
			out = append(out, Delivery{Name: "fixture " + fe.resource, Kind: objectOf(obj), Body: obj, Refetch: true})
			continue
		}
		body, err := Event(fmt.Sprintf("evt_fixture_%02d_%s", i, fe.resource), fe.event, base+int64(i), obj)
		if err != nil {
			return nil, err
		}
		out = append(out, Delivery{Name: "fixture " + fe.resource, Kind: objectOf(obj), Body: body})
	}
	return out, nil
}

// DeletedFixtures returns stripe-mock's deleted stubs as refetch answers.
func DeletedFixtures() ([]Delivery, error) {
	fx, err := Fixtures()
	if err != nil {
		return nil, err
	}
	var out []Delivery
	for _, name := range deletedFixtures {
		obj, ok := fx[name]
		if !ok {
			return nil, fmt.Errorf("stripe-mock fixtures: no %s", name)
		}
		out = append(out, Delivery{Name: "fixture " + name, Kind: objectOf(obj), Body: obj, Refetch: true})
	}
	return out, nil
}

// Event wraps obj in a classic snapshot event of type typ.
func Event(id, typ string, created int64, obj json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": APIVersion, "created": created, "livemode": false,
		"pending_webhooks": 1, "request": map[string]any{"id": nil, "idempotency_key": nil},
		"type": typ, "data": map[string]any{"object": obj},
	})
	if err != nil {
		return nil, fmt.Errorf("wrap %s: %w", typ, err)
	}
	return b, nil
}

// CaseNames lists the hand-written cases, sorted.
func CaseNames() []string {
	ents, _ := cases.ReadDir("testdata")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}

// Case returns the deliveries of one case file: a single event, or
// {"events": [...]} delivered in order.
func Case(name string) ([]Delivery, error) {
	raw, err := cases.ReadFile(path.Join("testdata", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", name, err)
	}
	var list struct {
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("case %s: %w", name, err)
	}
	if list.Events == nil {
		list.Events = []json.RawMessage{raw}
	}
	out := make([]Delivery, 0, len(list.Events))
	for i, ev := range list.Events {
		out = append(out, Delivery{Name: fmt.Sprintf("case %s #%d", name, i+1), Kind: eventKind(ev), Body: ev})
	}
	return out, nil
}

// objectOf is the "object" of a Stripe object.
func objectOf(obj json.RawMessage) string {
	var o struct {
		Object string `json:"object"`
	}
	_ = json.Unmarshal(obj, &o)
	return o.Object
}

// eventKind is the object type an event carries ("v2.core.event" for a
// thin event, which carries none).
func eventKind(ev json.RawMessage) string {
	var e struct {
		Object string `json:"object"`
		Data   struct {
			Object json.RawMessage `json:"object"`
		} `json:"data"`
	}
	_ = json.Unmarshal(ev, &e)
	if e.Object != "event" {
		return e.Object
	}
	return objectOf(e.Data.Object)
}

// CountByKind counts deliveries by the kind they carry.
func CountByKind(ds []Delivery) map[string]int {
	out := map[string]int{}
	for _, d := range ds {
		out[d.Kind]++
	}
	return out
}
