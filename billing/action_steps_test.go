package billing

import (
	"errors"
	"testing"
)

// TestCheckStepsRefusesForeignCalls: a one-off invoice is only ever its
// steps on its own customer, each step one of its endpoints with a key.
func TestCheckStepsRefusesForeignCalls(t *testing.T) {
	good := Call{Method: "POST", Path: "/v1/invoices", Steps: []Step{
		{Name: "item1", Method: "POST", Path: "/v1/invoiceitems", Form: []Param{{"customer", "cus_1"}}, Key: "pd_1-item1"},
		{Name: "invoice", Method: "POST", Path: "/v1/invoices", Form: []Param{{"customer", "cus_1"}}, Key: "pd_1"},
		{Name: "finalize", Method: "POST", Path: "/v1/invoices/{invoice}/finalize", Key: "pd_1-finalize"},
	}}
	if err := checkCall(ActionInvoiceCreate, "cus_1", good); err != nil {
		t.Fatalf("good steps refused: %v", err)
	}
	bad := map[string]Call{
		"no steps":         {Method: "POST", Path: "/v1/invoices", Form: []Param{{"customer", "cus_1"}}},
		"other customer":   {Method: "POST", Path: "/v1/invoices", Steps: []Step{{Name: "item1", Method: "POST", Path: "/v1/invoiceitems", Form: []Param{{"customer", "cus_2"}}, Key: "k"}}},
		"other endpoint":   {Method: "POST", Path: "/v1/invoices", Steps: []Step{{Name: "x", Method: "POST", Path: "/v1/refunds", Key: "k"}}},
		"no step key":      {Method: "POST", Path: "/v1/invoices", Steps: []Step{{Name: "invoice", Method: "POST", Path: "/v1/invoices"}}},
		"resolved by hand": {Method: "POST", Path: "/v1/invoices", Steps: []Step{{Name: "f", Method: "POST", Path: "/v1/invoices/in_9/finalize", Key: "k"}}},
	}
	for name, c := range bad {
		if err := checkCall(ActionInvoiceCreate, "cus_1", c); !errors.Is(err, ErrBadPlan) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := resolve("/v1/invoices/{invoice}/send", good.Steps); !errors.Is(err, ErrBadPlan) {
		t.Fatalf("resolve before the invoice step is done: %v", err)
	}
	good.Steps[1].ResultID = "in_7"
	if p, err := resolve("/v1/invoices/{invoice}/send", good.Steps); err != nil || p != "/v1/invoices/in_7/send" {
		t.Fatalf("resolve: %q %v", p, err)
	}
}
