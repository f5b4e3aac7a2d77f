package storage

import (
	"encoding/json"
	"slices"
	"testing"
)

// eventWithPrevious is a classic event carrying previous_attributes.
func eventWithPrevious(t *testing.T, id, typ string, created int64, obj json.RawMessage, prev map[string]any) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(eventJSON(id, typ, created, obj), &ev); err != nil {
		t.Fatal(err)
	}
	ev["data"].(map[string]any)["previous_attributes"] = prev
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Stripe sends no event for a customer balance transaction: the events
// that show a balance moved mark the customer for a refresh of its
// transactions, and only those.
func TestBalanceMarksFromEvents(t *testing.T) {
	s := openTest(t, Options{})
	apply := func(raw []byte) ApplyResult {
		t.Helper()
		res, err := s.ApplyEvent(raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// The balance moved: marked.
	res := apply(eventWithPrevious(t, "evt_1", "customer.updated", 1000, customerJSON("cus_moved", 10, "a@x.io", "A", 0), map[string]any{"balance": -500}))
	if !res.BalanceMoved {
		t.Fatalf("customer.updated with a previous balance: %+v, want BalanceMoved", res)
	}
	// A rename: not marked.
	if res := apply(eventWithPrevious(t, "evt_2", "customer.updated", 1000, customerJSON("cus_renamed", 10, "b@x.io", "B", -300), map[string]any{"name": "Old"})); res.BalanceMoved {
		t.Fatalf("rename marked: %+v", res)
	}
	// A finalization that applied a credit, and one that did not.
	applied := json.RawMessage(`{"id":"in_1","object":"invoice","created":900,"customer":"cus_invoiced","status":"open","amount_due":0,"currency":"usd","starting_balance":-800,"ending_balance":0}`)
	plain := json.RawMessage(`{"id":"in_2","object":"invoice","created":900,"customer":"cus_plain","status":"open","amount_due":900,"currency":"usd","starting_balance":0,"ending_balance":0}`)
	apply(eventJSON("evt_3", "invoice.finalized", 1001, applied))
	apply(eventJSON("evt_4", "invoice.finalized", 1001, plain))
	// Later events of the invoice that applied it: nothing new moved.
	apply(eventJSON("evt_5", "invoice.paid", 1002, applied))
	// A credit note credited to the balance.
	apply(eventJSON("evt_6", "credit_note.created", 1003, json.RawMessage(`{"id":"cn_1","object":"credit_note","created":1003,"customer":"cus_credited","invoice":"in_9","amount":700,"currency":"usd","customer_balance_transaction":"cbtxn_1"}`)))

	marks, err := s.BalanceMarks(100)
	if err != nil {
		t.Fatal(err)
	}
	want := []BalanceMark{{"cus_credited", 1003}, {"cus_invoiced", 1001}, {"cus_moved", 1000}}
	if !slices.Equal(marks, want) {
		t.Fatalf("marks = %+v, want %+v", marks, want)
	}

	// A mark read before a newer event is not cleared by that read's refresh.
	apply(eventWithPrevious(t, "evt_7", "customer.updated", 1010, customerJSON("cus_moved", 10, "a@x.io", "A", -200), map[string]any{"balance": 0}))
	if err := s.ClearBalanceMark(BalanceMark{"cus_moved", 1000}); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearBalanceMark(BalanceMark{"cus_invoiced", 1001}); err != nil {
		t.Fatal(err)
	}
	marks, _ = s.BalanceMarks(100)
	want = []BalanceMark{{"cus_credited", 1003}, {"cus_moved", 1010}}
	if !slices.Equal(marks, want) {
		t.Fatalf("marks after clearing = %+v, want %+v", marks, want)
	}
	// An event older than the cached copy still marks: the transactions
	// are at Stripe either way.
	res = apply(eventWithPrevious(t, "evt_8", "customer.updated", 1005, customerJSON("cus_moved", 10, "a@x.io", "A", -100), map[string]any{"balance": -300}))
	if res.Verdict != VerdictOlder || !res.BalanceMoved {
		t.Fatalf("older balance event: %+v, want older and BalanceMoved", res)
	}
	if marks, _ = s.BalanceMarks(100); !slices.Equal(marks, want) {
		t.Fatalf("an older event moved the newer mark: %+v", marks)
	}
	if marks, _ = s.BalanceMarks(1); len(marks) != 1 || marks[0].Customer != "cus_credited" {
		t.Fatalf("limit 1: %+v", marks)
	}
}
