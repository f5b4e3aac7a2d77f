package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jsval"
	"github.com/stripe/stripe-mock/embedded"
	"github.com/stripe/stripe-mock/spec"
)

// The sandbox's answers are validated against the OpenAPI spec stripe-mock
// v0.185.0 embeds. That spec is API version 2024-04-10; the sandbox (and
// paydesk) speak 2023-10-16. Between the two Stripe only added fields to
// the objects below and made none required that 2023-10-16 lacked, except
// those listed in versionGaps, which the sandbox rightly omits.
const specVersion = "2024-04-10"

// versionGaps are "schema.field" pairs the 2024-04-10 spec requires that a
// 2023-10-16 answer does not carry (Stripe's changelog, 2024-04-10):
// invoices name their issuer (Connect invoicing on behalf of an account),
// subscriptions and their items carry the discounts list beside the single
// discount, products list marketing_features (the former features).
var versionGaps = map[string]bool{
	"invoice.issuer":              true,
	"subscription.discounts":      true,
	"subscription_item.discounts": true,
	"product.marketing_features":  true,
}

var (
	specOnce       sync.Once
	specComponents *spec.ComponentsForValidation
	specSchemas    map[string]*spec.Schema
	specErr        error
)

func loadSpec() (*spec.ComponentsForValidation, map[string]*spec.Schema, error) {
	specOnce.Do(func() {
		var s spec.Spec
		if err := json.Unmarshal(embedded.OpenAPISpec, &s); err != nil {
			specErr = fmt.Errorf("stripe-mock spec: %w", err)
			return
		}
		if s.Info == nil || s.Info.Version != specVersion {
			specErr = fmt.Errorf("stripe-mock spec version changed: %+v", s.Info)
			return
		}
		specComponents = spec.GetComponentsForValidation(&s.Components)
		specSchemas = s.Components.Schemas
	})
	return specComponents, specSchemas, specErr
}

var (
	validatorsMu sync.Mutex
	validators   = map[string]*jsval.JSVal{}
)

// validator is the JSON schema validator of components.schemas[name].
func validator(t *testing.T, name string) *jsval.JSVal {
	t.Helper()
	comps, schemas, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	validatorsMu.Lock()
	defer validatorsMu.Unlock()
	if v, ok := validators[name]; ok {
		return v
	}
	sc, ok := schemas[name]
	if !ok {
		t.Fatalf("no schema %q in the spec", name)
	}
	v, err := spec.GetValidatorForOpenAPI3Schema(sc, comps)
	if err != nil {
		t.Fatalf("validator %s: %v", name, err)
	}
	validators[name] = v
	return v
}

// checkShape validates obj against schema name; missing required fields
// known to be version gaps are filled before validating.
func checkShape(t *testing.T, where, name string, obj map[string]any) {
	t.Helper()
	_, schemas, _ := loadSpec()
	if schemas[name] == nil {
		t.Fatalf("no schema %q in the spec", name)
	}
	fillGaps(schemas, name, obj, 0)
	if err := validator(t, name).Validate(obj); err != nil {
		t.Errorf("%s: not a %s of the Stripe spec: %v", where, name, err)
	}
}

// fillGaps sets the version-gap fields of obj (a schema name object) and of
// the objects nested in it (expanded references and list items) to null,
// so the validator checks everything else.
func fillGaps(schemas map[string]*spec.Schema, name string, obj map[string]any, depth int) {
	sc := schemas[name]
	if sc == nil || depth > 4 {
		return
	}
	for _, req := range sc.Required {
		if _, ok := obj[req]; !ok && versionGaps[name+"."+req] {
			obj[req] = zeroFor(schemas, sc.Properties[req], 0)
		}
	}
	for field, v := range obj {
		ps := sc.Properties[field]
		if ps == nil {
			continue
		}
		switch v := v.(type) {
		case map[string]any:
			if ref := refName(ps); ref != "" {
				fillGaps(schemas, ref, v, depth+1)
			}
			if data, ok := v["data"].([]any); ok && ps.Properties["data"] != nil && ps.Properties["data"].Items != nil {
				if ref := refName(ps.Properties["data"].Items); ref != "" {
					for _, it := range data {
						if m, ok := it.(map[string]any); ok {
							fillGaps(schemas, ref, m, depth+1)
						}
					}
				}
			}
		}
	}
}

// zeroFor is the smallest value the spec accepts for s: an empty list, the
// first enum value, an object with its required fields so filled.
func zeroFor(schemas map[string]*spec.Schema, s *spec.Schema, depth int) any {
	if s == nil || depth > 3 {
		return nil
	}
	if s.Ref != "" || (len(s.AnyOf) > 0 && refName(s) != "") {
		return zeroFor(schemas, schemas[refName(s)], depth+1)
	}
	switch {
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Type == "array":
		return []any{}
	case s.Type == "string":
		return ""
	case s.Type == "boolean":
		return false
	case s.Type == "integer" || s.Type == "number":
		return 0
	}
	m := map[string]any{}
	for _, req := range s.Required {
		m[req] = zeroFor(schemas, s.Properties[req], depth+1)
	}
	return m
}

// refName is the component a schema refers to, directly or as one of anyOf.
func refName(s *spec.Schema) string {
	if s.Ref != "" {
		return strings.TrimPrefix(s.Ref, "#/components/schemas/")
	}
	for _, a := range s.AnyOf {
		if a.Ref != "" {
			return strings.TrimPrefix(a.Ref, "#/components/schemas/")
		}
	}
	return ""
}

func getSpecJSON(t *testing.T, base, key, path string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return m
}

// TestAnswersMatchStripeOpenAPI lists every kind the sandbox serves (after
// a month of its clock, so renewals, failures, refunds and disputes exist)
// and validates each object, an event of each type and the upcoming
// invoice against the spec's schema for it.
func TestAnswersMatchStripeOpenAPI(t *testing.T) {
	sb, _, base := newSandbox(t, Options{Seed: 3, Customers: 25})
	sb.Advance(30 * 24 * time.Hour)
	key := sb.APIKey()
	lists := []struct{ path, schema string }{
		{"/v1/customers", "customer"}, {"/v1/products", "product"}, {"/v1/prices", "price"},
		{"/v1/subscriptions?status=all", "subscription"}, {"/v1/invoices", "invoice"},
		{"/v1/charges", "charge"}, {"/v1/payment_intents", "payment_intent"},
		{"/v1/refunds", "refund"}, {"/v1/disputes", "dispute"}, {"/v1/events", "event"},
	}
	counts := map[string]int{}
	var balanceCustomer, subID, subCustomer string
	for _, l := range lists {
		page := getSpecJSON(t, base, key, l.path+sep(l.path)+"limit=100")
		if page["object"] != "list" || page["has_more"] == nil {
			t.Errorf("GET %s: not a list: object %v, has_more %v", l.path, page["object"], page["has_more"])
		}
		data, _ := page["data"].([]any)
		if len(data) == 0 {
			t.Errorf("GET %s: empty: nothing validated", l.path)
		}
		for _, o := range data {
			obj := o.(map[string]any)
			checkShape(t, fmt.Sprintf("GET %s %v", l.path, obj["id"]), l.schema, obj)
			counts[l.schema]++
			switch l.schema {
			case "customer":
				if b, _ := obj["balance"].(float64); b != 0 && balanceCustomer == "" {
					balanceCustomer = obj["id"].(string)
				}
			case "subscription":
				if obj["status"] == "active" && subID == "" {
					subID, subCustomer = obj["id"].(string), obj["customer"].(string)
				}
			case "event":
				// data.object must be the spec's shape of its own type.
				inner, _ := obj["data"].(map[string]any)["object"].(map[string]any)
				if typ, _ := inner["object"].(string); typ != "" && schemaFor(typ) != "" {
					checkShape(t, fmt.Sprintf("event %v data.object", obj["id"]), schemaFor(typ), inner)
				}
			}
		}
		if id, ok := data[0].(map[string]any)["id"].(string); ok && l.schema != "event" {
			p := strings.SplitN(l.path, "?", 2)[0]
			checkShape(t, "GET "+p+"/"+id, l.schema, getSpecJSON(t, base, key, p+"/"+id))
		}
	}
	if balanceCustomer == "" || subID == "" {
		t.Fatalf("no customer with a balance (%q) or active subscription (%q): the seed validates too little", balanceCustomer, subID)
	}
	txns := getSpecJSON(t, base, key, "/v1/customers/"+balanceCustomer+"/balance_transactions")
	for _, o := range txns["data"].([]any) {
		checkShape(t, "balance transaction", "customer_balance_transaction", o.(map[string]any))
		counts["customer_balance_transaction"]++
	}
	checkShape(t, "upcoming invoice", "invoice", getSpecJSON(t, base, key, "/v1/invoices/upcoming?customer="+subCustomer+"&subscription="+subID))

	var names []string
	for n, c := range counts {
		names = append(names, fmt.Sprintf("%s=%d", n, c))
	}
	sort.Strings(names)
	t.Logf("validated against the %s spec: %s", specVersion, strings.Join(names, " "))
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// schemaFor is the spec schema of an object type the sandbox emits.
func schemaFor(object string) string {
	switch object {
	case "customer", "product", "price", "subscription", "invoice", "charge", "payment_intent", "refund", "dispute", "customer_balance_transaction":
		return object
	}
	return ""
}

// TestOpenAPIValidatorCatchesDrift: the check above can fail: a sandbox
// customer missing a required field, or with a field of the wrong type or
// outside its enum, is refused by the same validator.
func TestOpenAPIValidatorCatchesDrift(t *testing.T) {
	sb, _, base := newSandbox(t, Options{Seed: 3, Customers: 2})
	page := getSpecJSON(t, base, sb.APIKey(), "/v1/customers?limit=1")
	good := page["data"].([]any)[0].(map[string]any)
	if err := validator(t, "customer").Validate(good); err != nil {
		t.Fatalf("valid customer refused: %v", err)
	}
	for name, mutate := range map[string]func(map[string]any){
		"missing livemode":   func(m map[string]any) { delete(m, "livemode") },
		"balance as string":  func(m map[string]any) { m["balance"] = "12.00" },
		"unknown tax_exempt": func(m map[string]any) { m["tax_exempt"] = "sometimes" },
	} {
		m := map[string]any{}
		for k, v := range good {
			m[k] = v
		}
		mutate(m)
		if err := validator(t, "customer").Validate(m); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
