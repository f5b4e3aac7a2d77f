package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutPage(KindCustomer, []json.RawMessage{customerJSON("cus_1", 100, "a@x.io", "Ann", 0)}, 200, Cursor{After: "cus_1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyEvent(eventJSON("evt_1", "customer.updated", 300, customerJSON("cus_1", 100, "ann@x.io", "Ann", -500)), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	env, err := s.Get(KindCustomer, "cus_1")
	if err != nil {
		t.Fatal(err)
	}
	if env.Email != "ann@x.io" || env.Amount != -500 || env.EventCreated != 300 {
		t.Fatalf("after reopen: %+v", env.Fields)
	}
	cur, _ := s.Cursor(KindCustomer)
	if cur.After != "cus_1" {
		t.Fatalf("cursor lost: %+v", cur)
	}
	last, _ := s.LastEvent()
	if last.ID != "evt_1" {
		t.Fatalf("last event lost: %+v", last)
	}
	if v, _ := s.Schema(); v != SchemaVersion {
		t.Fatalf("schema %d", v)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestSecondOpenFailsFastNamingHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{Holder: "paydesk serve"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("want ErrLocked, got %v", err)
	}
	want := "PID " + strconv.Itoa(os.Getpid()) + " (paydesk serve)"
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "PAYDESK_DB") {
		t.Fatalf("error does not name the holder and the way out: %v", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	old := SchemaVersion
	s.Close()
	SchemaVersion = 0 // this binary now pretends to predate the file
	defer func() { SchemaVersion = old }()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("want schema error, got %v", err)
	}
}

func TestEventsConvergeOutOfOrderAndDuplicated(t *testing.T) {
	versions := []struct {
		id      string
		created int64
		email   string
	}{{"evt_a", 100, "v1@x.io"}, {"evt_b", 200, "v2@x.io"}, {"evt_c", 300, "v3@x.io"}}
	orders := [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0, 2, 1}, {2, 0, 0, 1}}
	for _, order := range orders {
		s := openTest(t, Options{})
		for _, i := range order {
			v := versions[i]
			if _, err := s.ApplyEvent(eventJSON(v.id, "customer.updated", v.created, customerJSON("cus_1", 1, v.email, "X", 0)), nil); err != nil {
				t.Fatal(err)
			}
		}
		env, err := s.Get(KindCustomer, "cus_1")
		if err != nil {
			t.Fatal(err)
		}
		if env.Email != "v3@x.io" || env.EventCreated != 300 || env.Stale {
			t.Fatalf("order %v: got %s at %d stale=%v", order, env.Email, env.EventCreated, env.Stale)
		}
		// The email index follows the object: only the newest email is found.
		for _, q := range []string{"v1@", "v2@"} {
			p, _ := s.List(Query{Kind: KindCustomer, Search: q})
			if len(p.Items) != 0 {
				t.Fatalf("order %v: stale index entry for %s", order, q)
			}
		}
		if n, _ := s.Count(KindCustomer); n != 1 {
			t.Fatalf("count %d", n)
		}
	}
}

func TestApplyVerdicts(t *testing.T) {
	s := openTest(t, Options{})
	apply := func(raw []byte) ApplyResult {
		t.Helper()
		r, err := s.ApplyEvent(raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	obj := customerJSON("cus_1", 1, "a@x.io", "A", 0)
	if r := apply(eventJSON("evt_1", "customer.created", 100, obj)); r.Verdict != VerdictApplied || r.ObjectID != "cus_1" {
		t.Fatalf("first: %+v", r)
	}
	if r := apply(eventJSON("evt_1", "customer.created", 100, obj)); r.Verdict != VerdictDuplicate {
		t.Fatalf("dup: %+v", r)
	}
	if r := apply(eventJSON("evt_0", "customer.updated", 50, obj)); r.Verdict != VerdictOlder {
		t.Fatalf("older: %+v", r)
	}
	if r := apply(eventJSON("evt_2", "customer.updated", 100, customerJSON("cus_1", 1, "b@x.io", "A", 0))); r.Verdict != VerdictConflict {
		t.Fatalf("same second: %+v", r)
	}
	refs, _ := s.Stale(10)
	if len(refs) != 1 || refs[0].ID != "cus_1" {
		t.Fatalf("stale refs %+v", refs)
	}
	// A refetch clears the stale mark.
	if err := s.PutObject(customerJSON("cus_1", 1, "b@x.io", "A", 0), 101); err != nil {
		t.Fatal(err)
	}
	if refs, _ := s.Stale(10); len(refs) != 0 {
		t.Fatalf("still stale %+v", refs)
	}
	r := apply(eventJSONVersion("evt_3", "customer.updated", 400, customerJSON("cus_1", 1, "new-shape@x.io", "A", 0), "2024-04-10"))
	if r.Verdict != VerdictVersionMismatch {
		t.Fatalf("version: %+v", r)
	}
	env, _ := s.Get(KindCustomer, "cus_1")
	if !env.Stale || env.Email != "b@x.io" {
		t.Fatalf("version mismatch must keep the old shape and mark stale: %+v", env)
	}
	if r := apply(eventJSON("evt_4", "invoice.upcoming", 500, json.RawMessage(`{"object":"invoice","customer":"cus_1"}`))); r.Verdict != VerdictRecorded {
		t.Fatalf("upcoming: %+v", r)
	}
	if r := apply(eventJSON("evt_5", "customer.deleted", 600, obj)); r.Verdict != VerdictApplied {
		t.Fatalf("deleted: %+v", r)
	}
	if n, _ := s.Count(KindCustomer); n != 0 {
		t.Fatalf("deleted customer still counted: %d", n)
	}
	if p, _ := s.List(Query{Kind: KindCustomer}); len(p.Items) != 0 {
		t.Fatalf("deleted customer still listed")
	}
	if _, err := s.ApplyEvent([]byte(`{"id":`), nil); !errors.Is(err, ErrMalformedEvent) {
		t.Fatalf("malformed: %v", err)
	}
	evs, _ := s.EventsFor("cus_1", 10)
	if len(evs) != 6 || evs[0].ID != "evt_5" {
		t.Fatalf("timeline: %+v", evs)
	}
}

func TestBackfillNeverOverwritesNewerEvent(t *testing.T) {
	s := openTest(t, Options{})
	if _, err := s.ApplyEvent(eventJSON("evt_1", "customer.updated", 500, customerJSON("cus_1", 1, "event@x.io", "A", 0)), nil); err != nil {
		t.Fatal(err)
	}
	n, err := s.PutPage(KindCustomer, []json.RawMessage{customerJSON("cus_1", 1, "page@x.io", "A", 0)}, 400, Cursor{})
	if err != nil || n != 0 {
		t.Fatalf("page wrote %d, %v", n, err)
	}
	env, _ := s.Get(KindCustomer, "cus_1")
	if env.Email != "event@x.io" {
		t.Fatalf("older page overwrote event: %s", env.Email)
	}
}

func TestDeliveryLogAndRetention(t *testing.T) {
	s := openTest(t, Options{MaxDeliveries: 5, MaxEvents: 3})
	for i := 1; i <= 8; i++ {
		id := "evt_" + strconv.Itoa(i)
		d := &Delivery{At: int64(i), Source: "webhook", Status: 200}
		if _, err := s.ApplyEvent(eventJSON(id, "customer.updated", int64(100+i), customerJSON("cus_1", 1, "a@x.io", "A", 0)), d); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ := s.Deliveries(0, 100)
	if len(ds) != 5 || ds[0].EventID != "evt_8" || ds[0].Verdict != VerdictApplied || ds[4].EventID != "evt_4" {
		t.Fatalf("deliveries %+v", ds)
	}
	tail, _ := s.DeliveriesAfter(ds[2].Seq, 10)
	if len(tail) != 2 || tail[0].EventID != "evt_7" {
		t.Fatalf("tail %+v", tail)
	}
	if _, err := s.Event("evt_5"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("evt_5 should be trimmed: %v", err)
	}
	if _, err := s.Event("evt_8"); err != nil {
		t.Fatal(err)
	}
	evs, _ := s.EventsFor("cus_1", 10)
	if len(evs) != 3 {
		t.Fatalf("event index not trimmed: %d", len(evs))
	}
	// A trimmed event is forgotten, so it is not a duplicate any more, but it
	// is older than the cached copy and changes nothing.
	r, _ := s.ApplyEvent(eventJSON("evt_1", "customer.updated", 101, customerJSON("cus_1", 1, "old@x.io", "A", 0)), nil)
	if r.Verdict != VerdictOlder {
		t.Fatalf("replayed trimmed event: %+v", r)
	}
	if _, err := s.ApplyEvent([]byte("nope"), &Delivery{Source: "webhook"}); err == nil {
		t.Fatal("want error")
	}
	ds, _ = s.Deliveries(0, 1)
	if ds[0].Verdict != VerdictRejected || ds[0].Reason == "" {
		t.Fatalf("rejected receipt %+v", ds[0])
	}
}

func TestIntentsAndAudit(t *testing.T) {
	s := openTest(t, Options{})
	in := Intent{Key: "pd_1", Operator: "ann", Action: "refund", Target: "ch_1", Amount: 500, Currency: "usd"}
	if err := s.CreateIntent(in); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateIntent(in); err == nil {
		t.Fatal("second intent with the same key must fail")
	}
	got, _ := s.Intent("pd_1")
	if got.State != IntentPending {
		t.Fatalf("%+v", got)
	}
	got.State, got.RequestID = IntentSucceeded, "req_1"
	if err := s.UpdateIntent(got); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Intents(IntentPending, 10); len(p) != 0 {
		t.Fatalf("pending %+v", p)
	}
	if all, _ := s.Intents("", 10); len(all) != 1 || all[0].RequestID != "req_1" {
		t.Fatalf("all %+v", all)
	}
	for i := 0; i < 3; i++ {
		if _, err := s.AppendAudit(AuditRecord{Operator: "ann", Action: "refund", Target: "ch_" + strconv.Itoa(i), Outcome: "succeeded"}); err != nil {
			t.Fatal(err)
		}
	}
	recs, _ := s.Audit(0, 2)
	if len(recs) != 2 || recs[0].Target != "ch_2" || recs[0].At != testNow.Unix() {
		t.Fatalf("audit %+v", recs)
	}
	older, _ := s.Audit(recs[1].Seq, 10)
	if len(older) != 1 || older[0].Target != "ch_0" {
		t.Fatalf("older audit %+v", older)
	}
}

// TestPendingIntentsNewestFirst: Intents with a state returns only those,
// newest first and capped, however many finished intents surround them.
func TestPendingIntentsNewestFirst(t *testing.T) {
	s := openTest(t, Options{})
	for i := range 12 {
		in := Intent{Key: fmt.Sprintf("pd_%02d", i), Action: "refund", Target: "ch_1", CreatedAt: int64(1000 + i),
			Params: []byte(`{"form":[{"name":"state","value":"pending"}]}`)}
		if i%3 != 0 {
			in.State = IntentSucceeded
		}
		if err := s.CreateIntent(in); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Intents(IntentPending, 3)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, in := range got {
		keys = append(keys, in.Key)
	}
	if want := []string{"pd_09", "pd_06", "pd_03"}; !slices.Equal(keys, want) {
		t.Fatalf("pending %v, want %v", keys, want)
	}
}
