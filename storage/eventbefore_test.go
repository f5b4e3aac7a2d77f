package storage

import (
	"encoding/json"
	"errors"
	"testing"
)

// One second's events come back in the order they were logged, though
// their ids sort the other way; the limit keeps the newest of them.
func TestEventsOfOneSecondKeepLogOrder(t *testing.T) {
	s := openTest(t, Options{})
	pi := json.RawMessage(`{"id":"pi_1","object":"payment_intent","amount":100,"currency":"usd","customer":"cus_1"}`)
	for _, id := range []string{"evt_z", "evt_m", "evt_a"} {
		if _, err := s.ApplyEvent(eventJSON(id, "payment_intent.updated", 300, pi), nil); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := s.EventsFor("pi_1", 2)
	if err != nil || len(evs) != 2 || evs[0].ID != "evt_a" || evs[1].ID != "evt_m" {
		t.Fatalf("newest two: %+v, %v", evs, err)
	}
	prev, ok, err := s.EventBefore("pi_1", "evt_m")
	if err != nil || !ok || prev.ID != "evt_z" {
		t.Fatalf("before evt_m: %+v %v %v", prev, ok, err)
	}
	if _, ok, err := s.EventBefore("pi_1", "evt_z"); err != nil || ok {
		t.Fatalf("before the first: %v %v", ok, err)
	}
	if _, _, err := s.EventBefore("pi_2", "evt_z"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown object: %v", err)
	}
}
