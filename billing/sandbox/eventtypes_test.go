package sandbox

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stripe/stripe-mock/embedded"
)

// stripeEventTypes are the event types a webhook endpoint can listen to:
// the enabled_events enum of POST /v1/webhook_endpoints in the OpenAPI spec
// stripe-mock embeds.
func stripeEventTypes(t *testing.T) map[string]bool {
	t.Helper()
	var s struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Properties map[string]struct {
							Items struct {
								Enum []string `json:"enum"`
							} `json:"items"`
						} `json:"properties"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(embedded.OpenAPISpec, &s); err != nil {
		t.Fatalf("stripe-mock spec: %v", err)
	}
	enum := s.Paths["/v1/webhook_endpoints"]["post"].RequestBody.Content["application/x-www-form-urlencoded"].Schema.Properties["enabled_events"].Items.Enum
	if len(enum) < 100 {
		t.Fatalf("stripe-mock spec: %d event types in enabled_events, want the full list", len(enum))
	}
	types := map[string]bool{}
	for _, e := range enum {
		types[e] = true
	}
	return types
}

// emittedEventTypes reads the sandbox's source for the event types it can
// emit: the literal first argument of every s.emit call and the literal
// event type passed to setInvoiceStatus (which emits it). Any other
// non-literal type fails the test, so a new way of emitting is looked at.
func emittedEventTypes(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			arg := -1
			switch sel.Sel.Name {
			case "emit":
				arg = 0
			case "setInvoiceStatus":
				arg = 2
			}
			if arg < 0 || len(call.Args) <= arg {
				return true
			}
			switch a := call.Args[arg].(type) {
			case *ast.BasicLit:
				typ, err := strconv.Unquote(a.Value)
				if err != nil {
					t.Fatalf("%s: %v", fset.Position(a.Pos()), err)
				}
				out[typ] = fset.Position(a.Pos()).String()
			case *ast.Ident:
				if sel.Sel.Name != "emit" || a.Name != "evType" {
					t.Errorf("%s: event type %s is not a literal: add its values to this test", fset.Position(a.Pos()), a.Name)
				}
			default:
				t.Errorf("%s: event type is not a literal", fset.Position(call.Args[arg].Pos()))
			}
			return true
		})
	}
	return out
}

// Every event the sandbox emits is one Stripe sends: a test that reads an
// invented event (one no webhook endpoint can listen to) proves paydesk
// agrees with the sandbox, not with Stripe.
func TestEmittedEventTypesAreStripes(t *testing.T) {
	known := stripeEventTypes(t)
	emitted := emittedEventTypes(t)
	if len(emitted) < 20 {
		t.Fatalf("found %d emitted event types in the source, want the sandbox's whole set", len(emitted))
	}
	var invented []string
	for typ, at := range emitted {
		if !known[typ] {
			invented = append(invented, typ+" ("+at+")")
		}
	}
	sort.Strings(invented)
	if len(invented) > 0 {
		t.Fatalf("the sandbox emits event types Stripe does not send:\n%s", strings.Join(invented, "\n"))
	}
}
