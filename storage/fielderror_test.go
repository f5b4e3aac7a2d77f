package storage

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReceiptNamesUndecodableField: an object with an id but a field of the
// wrong type is recorded with a receipt that keeps its id and names the
// field (it used to say "object has no id"); an object without an id still
// says so.
func TestReceiptNamesUndecodableField(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "c.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cases := []struct {
		event, id, reason string
	}{
		{`{"id":"evt_f1","object":"event","type":"customer.updated","created":1795000000,"api_version":"2023-10-16",
			"data":{"object":{"id":"cus_f1","object":"customer","created":"yesterday","name":"F"}}}`,
			"cus_f1", `field created undecodable: string where Stripe sends int64`},
		{`{"id":"evt_f2","object":"event","type":"invoice.paid","created":1795000000,"api_version":"2023-10-16",
			"data":{"object":{"id":"in_f2","object":"invoice","status_transitions":{"paid_at":"soon"}}}}`,
			"in_f2", `field status_transitions.paid_at undecodable`},
		{`{"id":"evt_f3","object":"event","type":"invoice.upcoming","created":1795000000,"api_version":"2023-10-16",
			"data":{"object":{"object":"invoice","customer":"cus_x"}}}`,
			"", "object has no id"},
	}
	for _, c := range cases {
		d := &Delivery{Source: "webhook"}
		if _, err := s.ApplyEvent([]byte(c.event), d); err != nil {
			t.Fatalf("apply: %v", err)
		}
		if d.Verdict != VerdictRecorded || d.ObjectID != c.id || !strings.Contains(d.Reason, c.reason) {
			t.Errorf("receipt %+v, want recorded, object %q, reason with %q", *d, c.id, c.reason)
		}
	}
}
