package storage

import (
	"testing"
)

// TestIntentsOn: only the intents of the action on the target in one of
// the states, newest first; a target that is a prefix of another, or the
// same id elsewhere in the params, does not match.
func TestIntentsOn(t *testing.T) {
	s := openTest(t, Options{})
	for _, in := range []Intent{
		{Key: "k1", Action: "credit", Target: "cus_1", State: IntentSucceeded, CreatedAt: 10},
		{Key: "k2", Action: "credit", Target: "cus_1", State: IntentPlanned, CreatedAt: 20},
		{Key: "k3", Action: "credit", Target: "cus_1", State: IntentFailed, CreatedAt: 30},
		{Key: "k4", Action: "refund", Target: "cus_1", State: IntentSucceeded, CreatedAt: 40},
		{Key: "k5", Action: "credit", Target: "cus_12", State: IntentSucceeded, CreatedAt: 50,
			Params: []byte(`{"path":"/v1/customers/cus_1","target":"cus_1"}`)},
	} {
		if err := s.CreateIntent(in); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.IntentsOn("credit", "cus_1", IntentSucceeded, IntentPlanned)
	if err != nil || len(got) != 2 || got[0].Key != "k2" || got[1].Key != "k1" {
		t.Fatalf("IntentsOn: %+v %v", got, err)
	}
}
