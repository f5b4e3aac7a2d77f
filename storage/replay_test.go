package storage

import (
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestReplayEvent: a replay re-applies a stored event that ApplyEvent would
// call a duplicate, logs a receipt, honours the ordering rule and leaves the
// event log alone.
func TestReplayEvent(t *testing.T) {
	s := openTest(t, Options{})
	v1 := invoiceJSON("in_1", "cus_1", "open", 1000, 500)
	v2 := invoiceJSON("in_1", "cus_1", "paid", 1000, 500)
	if _, err := s.ApplyEvent(eventJSON("evt_1", "invoice.finalized", 2000, v1), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyEvent(eventJSON("evt_2", "invoice.paid", 3000, v2), nil); err != nil {
		t.Fatal(err)
	}
	// Replaying the older event keeps the newer copy.
	d := Delivery{At: 1, Source: "replay"}
	res, err := s.ReplayEvent("evt_1", &d)
	if err != nil || res.Verdict != VerdictOlder || d.Seq == 0 || d.Verdict != VerdictOlder || d.ObjectID != "in_1" {
		t.Fatalf("replay older: %+v %+v %v", res, d, err)
	}
	if e, _ := s.Get(KindInvoice, "in_1"); e.Status != "paid" {
		t.Fatalf("older replay overwrote: %s", e.Status)
	}
	// The cache lost the object (a file restored from an old backup, say):
	// replay puts it back.
	err = s.db.Update(func(tx *bolt.Tx) error {
		set, err := kindOf(tx, KindInvoice)
		if err != nil {
			return err
		}
		env, err := decodeEnvelope(set.objects.Get([]byte("in_1")))
		if err != nil {
			return err
		}
		if err := deleteIndexes(set, &env); err != nil {
			return err
		}
		return set.objects.Delete([]byte("in_1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err = s.ReplayEvent("evt_2", nil)
	if err != nil || res.Verdict != VerdictApplied {
		t.Fatalf("replay: %+v %v", res, err)
	}
	if e, _ := s.Get(KindInvoice, "in_1"); e.Status != "paid" || e.EventCreated != 3000 {
		t.Fatalf("after replay: %s %d", e.Status, e.EventCreated)
	}
	// Same second as the copy it wrote: written again and marked stale.
	res, _ = s.ReplayEvent("evt_2", nil)
	if res.Verdict != VerdictConflict {
		t.Fatalf("same-second replay: %+v", res)
	}
	if st, _ := s.Stale(10); len(st) != 1 || st[0].ID != "in_1" {
		t.Fatalf("stale: %+v", st)
	}
	if evs, _ := s.RecentEvents(0, 10); len(evs) != 2 {
		t.Fatalf("event log grew: %d rows", len(evs))
	}
	if ds, _ := s.Deliveries(0, 10); len(ds) != 1 {
		t.Fatalf("deliveries: %d, want the one replay receipt", len(ds))
	}
	if _, err := s.ReplayEvent("evt_missing", nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing event: %v", err)
	}
}
