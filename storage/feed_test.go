package storage

import (
	"encoding/json"
	"testing"
)

// next reads the subscriber's next change without blocking: every write
// announces before it returns, so a missing change is a failure, not a wait.
func next(t *testing.T, sub *Subscription) Change {
	t.Helper()
	select {
	case c := <-sub.ch:
		if sub.behind.Swap(false) {
			c.Reload = true
		}
		return c
	default:
		t.Fatal("no change announced")
		return Change{}
	}
}

func none(t *testing.T, sub *Subscription) {
	t.Helper()
	select {
	case c := <-sub.ch:
		t.Fatalf("unexpected change %+v", c)
	default:
	}
}

// TestFeedAnnouncesEveryWritePath: each committed write reaches a
// subscriber with what it changed, whoever wrote it (webhook receipt,
// catch-up without a receipt, replay, backfill page, refetch, intent,
// audit, rejected delivery).
func TestFeedAnnouncesEveryWritePath(t *testing.T) {
	s := openTest(t, Options{})
	sub := s.Subscribe(64)
	defer sub.Close()
	now := testNow.Unix()

	t.Run("event without receipt", func(t *testing.T) {
		res, err := s.ApplyEvent(eventJSON("evt_1", "customer.updated", now, customerJSON("cus_1", now-10, "a@x.io", "A", 0)), nil)
		if err != nil {
			t.Fatal(err)
		}
		c := next(t, sub)
		if c.Op != OpEvent || c.Result != res || c.Result.ObjectID != "cus_1" || c.Delivery.Seq != 0 {
			t.Fatalf("change %+v", c)
		}
	})
	t.Run("event with receipt", func(t *testing.T) {
		d := Delivery{Source: SourceWebhook, At: testNow.UnixNano()}
		if _, err := s.ApplyEvent(eventJSON("evt_2", "customer.updated", now+1, customerJSON("cus_1", now-10, "a@x.io", "B", 0)), &d); err != nil {
			t.Fatal(err)
		}
		c := next(t, sub)
		if c.Op != OpEvent || c.Delivery != d || c.Delivery.Seq == 0 || c.Result.Verdict != VerdictApplied {
			t.Fatalf("change %+v, receipt %+v", c, d)
		}
	})
	t.Run("malformed event with receipt", func(t *testing.T) {
		d := Delivery{Source: SourceCatchUp}
		if _, err := s.ApplyEvent([]byte(`{"object":"event"}`), &d); err == nil {
			t.Fatal("malformed event applied")
		}
		c := next(t, sub)
		if c.Op != OpDelivery || c.Result.Verdict != VerdictRejected || c.Delivery.Seq == 0 || c.Result.Changed() {
			t.Fatalf("change %+v", c)
		}
	})
	t.Run("replay", func(t *testing.T) {
		d := Delivery{Source: SourceReplay}
		if _, err := s.ReplayEvent("evt_2", &d); err != nil {
			t.Fatal(err)
		}
		if c := next(t, sub); c.Op != OpEvent || c.Delivery.Source != SourceReplay || c.Result.ObjectID != "cus_1" {
			t.Fatalf("change %+v", c)
		}
	})
	t.Run("backfill page", func(t *testing.T) {
		objs := []json.RawMessage{invoiceJSON("in_1", "cus_1", "open", now-5, 500), invoiceJSON("in_2", "cus_1", "paid", now-4, 700)}
		if _, err := s.PutPage(KindInvoice, objs, now, Cursor{}); err != nil {
			t.Fatal(err)
		}
		c := next(t, sub)
		if c.Op != OpPage || c.Result.Kind != KindInvoice || c.Result.ObjectID != "" || !c.Result.Changed() {
			t.Fatalf("change %+v", c)
		}
		// A page whose objects are all older than what the cache holds
		// wrote nothing and announces nothing.
		if _, err := s.PutPage(KindCustomer, []json.RawMessage{customerJSON("cus_1", now-10, "old@x.io", "Old", 0)}, now-100, Cursor{}); err != nil {
			t.Fatal(err)
		}
		none(t, sub)
	})
	t.Run("refetch", func(t *testing.T) {
		if err := s.PutObject(invoiceJSON("in_1", "cus_1", "paid", now-5, 500), now+10); err != nil {
			t.Fatal(err)
		}
		c := next(t, sub)
		if c.Op != OpObject || c.Result.Kind != KindInvoice || c.Result.ObjectID != "in_1" || c.Result.Customer != "cus_1" {
			t.Fatalf("change %+v", c)
		}
	})
	t.Run("intent", func(t *testing.T) {
		in := Intent{Key: "pd_key_1", Action: "refund", Target: "ch_1"}
		if err := s.CreateIntent(in); err != nil {
			t.Fatal(err)
		}
		if c := next(t, sub); c.Op != OpIntent || c.Intent != "pd_key_1" || c.Result.Changed() {
			t.Fatalf("change %+v", c)
		}
		in.State = IntentSucceeded
		if err := s.UpdateIntent(in); err != nil {
			t.Fatal(err)
		}
		if c := next(t, sub); c.Op != OpIntent || c.Intent != "pd_key_1" {
			t.Fatalf("change %+v", c)
		}
		// A write that does not commit announces nothing.
		if err := s.CreateIntent(in); err == nil {
			t.Fatal("second intent under one key")
		}
		none(t, sub)
	})
	t.Run("audit", func(t *testing.T) {
		if _, err := s.AppendAudit(AuditRecord{Operator: "ada", Action: "refund", Target: "ch_1", Outcome: "succeeded"}); err != nil {
			t.Fatal(err)
		}
		if c := next(t, sub); c.Op != OpAudit {
			t.Fatalf("change %+v", c)
		}
	})
	t.Run("rejected delivery", func(t *testing.T) {
		seq, err := s.AppendDelivery(Delivery{Source: SourceWebhook, EventID: "evt_forged", Verdict: VerdictRejected, Reason: "bad_signature: no match", Status: 400})
		if err != nil {
			t.Fatal(err)
		}
		c := next(t, sub)
		if c.Op != OpDelivery || c.Delivery.Seq != seq || c.Result.EventID != "evt_forged" || c.Result.Verdict != VerdictRejected || c.Result.Changed() {
			t.Fatalf("change %+v", c)
		}
	})
}

// TestFeedNeverBlocksAWriter: a subscriber that does not read loses changes
// past its queue, the loss is counted, and its next change says Reload;
// closing it unsubscribes.
func TestFeedNeverBlocksAWriter(t *testing.T) {
	s := openTest(t, Options{})
	sub := s.Subscribe(2)
	for i := range 5 {
		if _, err := s.AppendAudit(AuditRecord{Operator: "ada", Action: "refund", Target: cusID(i), Outcome: "succeeded"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Feed().Dropped(); got != 3 {
		t.Fatalf("dropped %d, want 3", got)
	}
	if c, ok := sub.Next(); !ok || !c.Reload {
		t.Fatalf("first change after the loss %+v, %v", c, ok)
	}
	if c, ok := sub.Next(); !ok || c.Reload {
		t.Fatalf("second change %+v, %v", c, ok)
	}
	sub.Close()
	if n := s.Feed().Subscribers(); n != 0 {
		t.Fatalf("%d subscribers after Close", n)
	}
	if _, ok := sub.Next(); ok {
		t.Fatal("Next after Close")
	}
}

// TestWakeRingsOnlyForWantedChanges: Wake rings after a wanted change,
// stays quiet for others, holds at most one pending ring, and stop
// unsubscribes.
func TestWakeRingsOnlyForWantedChanges(t *testing.T) {
	s := openTest(t, Options{})
	seen := make(chan Op, 16)
	ring, stop := s.Wake(func(c Change) bool { seen <- c.Op; return c.Op == OpAudit })
	if err := s.PutObject(customerJSON("cus_1", testNow.Unix(), "a@x.io", "A", 0), testNow.Unix()); err != nil {
		t.Fatal(err)
	}
	if op := <-seen; op != OpObject {
		t.Fatalf("saw %s first", op)
	}
	select {
	case <-ring:
		t.Fatal("rang for an unwanted change")
	default:
	}
	for i := range 3 {
		if _, err := s.AppendAudit(AuditRecord{Operator: "ada", Action: "refund", Target: cusID(i), Outcome: "succeeded"}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		<-seen
	}
	<-ring
	if cap(ring) != 1 {
		t.Fatalf("ring holds %d: rings arriving while one is pending must merge", cap(ring))
	}
	stop()
	if n := s.Feed().Subscribers(); n != 0 {
		t.Fatalf("%d subscribers after stop", n)
	}
}
