package storage

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func paidInvoiceJSON(id, customer, status string, created, paidAt int64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "invoice", "created": created, "customer": customer, "status": status,
		"amount_due": 1000, "currency": "usd",
		"status_transitions": map[string]any{"finalized_at": created, "paid_at": paidAt},
	})
	return b
}

func walkIDs(t *testing.T, s *Store, r Range) []string {
	t.Helper()
	var ids []string
	if err := s.Walk(r, func(e Envelope) error { ids = append(ids, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestWalkRanges: each index is read only within [From, To), oldest first,
// and the status_at index follows an invoice from open to paid.
func TestWalkRanges(t *testing.T) {
	s := openTest(t, Options{})
	for i := range 10 {
		created := int64(1000 + 100*i)
		status, paidAt := "open", int64(0)
		if i%2 == 0 {
			status, paidAt = "paid", 50_000-int64(1000*i)
		}
		raw := paidInvoiceJSON(fmt.Sprintf("in_%02d", i), cusID(i%3), status, created, paidAt)
		if err := s.PutObject(raw, 10); err != nil {
			t.Fatal(err)
		}
	}
	if got := walkIDs(t, s, Range{Kind: KindInvoice, From: 1200, To: 1500}); !slices.Equal(got, []string{"in_02", "in_03", "in_04"}) {
		t.Fatalf("created [1200,1500): %v", got)
	}
	if got := walkIDs(t, s, Range{Kind: KindInvoice, By: ByStatus, Group: "open", From: 1300}); !slices.Equal(got, []string{"in_03", "in_05", "in_07", "in_09"}) {
		t.Fatalf("open from 1300: %v", got)
	}
	if got := walkIDs(t, s, Range{Kind: KindInvoice, By: ByCustomer, Group: cusID(1), To: 1500}); !slices.Equal(got, []string{"in_01", "in_04"}) {
		t.Fatalf("customer 1 before 1500: %v", got)
	}
	// paid_at: in_00 50000, in_02 48000, in_04 46000, in_06 44000, in_08 42000.
	if got := walkIDs(t, s, Range{Kind: KindInvoice, By: ByStatusAt, Group: "paid", From: 44000, To: 48000}); !slices.Equal(got, []string{"in_06", "in_04"}) {
		t.Fatalf("paid in [48000,50200): %v", got)
	}
	// in_03 gets paid: it leaves "open" and enters status_at "paid" at 45000.
	if _, err := s.ApplyEvent(eventJSON("evt_paid", "invoice.paid", 20, paidInvoiceJSON("in_03", cusID(0), "paid", 1300, 45000)), nil); err != nil {
		t.Fatal(err)
	}
	if got := walkIDs(t, s, Range{Kind: KindInvoice, By: ByStatusAt, Group: "paid", From: 44000, To: 48001}); !slices.Equal(got, []string{"in_06", "in_03", "in_04", "in_02"}) {
		t.Fatalf("paid after event: %v", got)
	}
	if got := walkIDs(t, s, Range{Kind: KindInvoice, By: ByStatusAt, Group: "open"}); len(got) != 4 || slices.Contains(got, "in_03") {
		t.Fatalf("open by finalized_at: %v", got)
	}
	// Stopping early is not an error.
	n := 0
	if err := s.Walk(Range{Kind: KindInvoice}, func(Envelope) error { n++; return ErrStopWalk }); err != nil || n != 1 {
		t.Fatalf("stop: n=%d err=%v", n, err)
	}
	if err := s.Walk(Range{Kind: KindInvoice, By: ByStatus}, func(Envelope) error { return nil }); err == nil {
		t.Fatal("status walk without a group accepted")
	}
}

// TestMigrateStatusAtV3 builds a file as schema v2 left it (version 1
// envelopes, no status_at buckets) and checks that opening it indexes the
// paid invoices and canceled subscriptions by their status time.
func TestMigrateStatusAtV3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := json.Marshal(map[string]any{"id": "sub_1", "object": "subscription", "created": 100, "customer": "cus_1",
		"status": "canceled", "canceled_at": 7000, "ended_at": 7005})
	for _, raw := range []json.RawMessage{paidInvoiceJSON("in_1", "cus_1", "paid", 100, 5000), sub} {
		if err := s.PutObject(raw, 10); err != nil {
			t.Fatal(err)
		}
	}
	// Downgrade to what schema v2 wrote.
	err = s.db.Update(func(tx *bolt.Tx) error {
		r := root(tx)
		for _, k := range Kinds {
			if err := r.Bucket(bucketIdx).Bucket([]byte(k)).DeleteBucket(idxStatusAt); err != nil {
				return err
			}
		}
		for _, k := range []Kind{KindInvoice, KindSubscription} {
			objs := r.Bucket(bucketObjects).Bucket([]byte(k))
			var envs []Envelope
			objs.ForEach(func(_, v []byte) error {
				e, err := decodeEnvelope(v)
				envs = append(envs, e)
				return err
			})
			for _, e := range envs {
				e.StatusAt = 0
				if err := objs.Put([]byte(e.ID), encodeEnvelopeVersion(&e, 1)); err != nil {
					return err
				}
			}
		}
		return r.Bucket(bucketMeta).Put(metaSchema, be64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Schema(); v != SchemaVersion {
		t.Fatalf("schema %d, want %d", v, SchemaVersion)
	}
	if got := walkIDs(t, s, Range{Kind: KindInvoice, By: ByStatusAt, Group: "paid", From: 5000, To: 5001}); !slices.Equal(got, []string{"in_1"}) {
		t.Fatalf("paid at 5000 after migration: %v", got)
	}
	if got := walkIDs(t, s, Range{Kind: KindSubscription, By: ByStatusAt, Group: "canceled", From: 7005, To: 7006}); !slices.Equal(got, []string{"sub_1"}) {
		t.Fatalf("canceled (ended_at 7005) after migration: %v", got)
	}
	e, err := s.Get(KindSubscription, "sub_1")
	if err != nil || e.StatusAt != 7005 {
		t.Fatalf("sub_1 StatusAt %d err %v", e.StatusAt, err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}
