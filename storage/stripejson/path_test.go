package stripejson

import (
	"encoding/json"
	"testing"
)

func TestLookupWalksMapsAndSlices(t *testing.T) {
	var obj map[string]any
	if err := json.Unmarshal([]byte(`{"id":"sub_1","cancel_at_period_end":true,"items":{"data":[{"price":{"id":"price_A","unit_amount":1250}}]},"customer":null}`), &obj); err != nil {
		t.Fatal(err)
	}
	if got := String(obj, "items.data.0.price.id"); got != "price_A" {
		t.Fatalf("price id %q", got)
	}
	if got := Int(obj, "items.data.0.price.unit_amount"); got != 1250 {
		t.Fatalf("unit amount %d", got)
	}
	if !Bool(obj, "cancel_at_period_end") {
		t.Fatal("cancel_at_period_end")
	}
	for _, p := range []string{"items.data.1.price.id", "items.data.-1", "items.data.x", "id.more", "customer.id", "nope"} {
		if v := Lookup(obj, p); v != nil {
			t.Errorf("Lookup(%q) = %v, want nil", p, v)
		}
	}
}
