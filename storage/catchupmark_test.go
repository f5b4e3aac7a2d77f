package storage

import (
	"path/filepath"
	"testing"
)

func mustCatchUpMark(t *testing.T, s *Store) EventMark {
	t.Helper()
	m, err := s.CatchUpMark()
	if err != nil {
		t.Fatalf("catch-up mark: %v", err)
	}
	return m
}

func mustLastEvent(t *testing.T, s *Store) EventMark {
	t.Helper()
	m, err := s.LastEvent()
	if err != nil {
		t.Fatalf("last event: %v", err)
	}
	return m
}

func applyWebhook(t *testing.T, s *Store, id string, created int64) {
	t.Helper()
	raw := eventJSON(id, "customer.updated", created, customerJSON("cus_1", 10, "ann@x.io", "Ann "+id, 0))
	res, err := s.ApplyEvent(raw, &Delivery{Source: "webhook", At: testNow.UnixNano()})
	if err != nil || res.Verdict != VerdictApplied {
		t.Fatalf("apply %s: %s, %v", id, res.Verdict, err)
	}
}

// TestCatchUpMarkFallsBackToLastEvent: a cache written before the catch-up
// mark existed (last_event only) resumes catch-up from last_event; the first
// event applied afterwards pins that value, so webhook deliveries never move
// the catch-up mark while last_event keeps the newest applied event.
func TestCatchUpMarkFallsBackToLastEvent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m := mustCatchUpMark(t, s); m != (EventMark{}) {
		t.Fatalf("new cache: catch-up mark %+v, want none", m)
	}
	old := EventMark{ID: "evt_old", Created: 100}
	if err := s.SetLastEvent(old); err != nil { // as a cache before this change
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
	if m := mustCatchUpMark(t, s); m != old {
		t.Fatalf("catch-up mark of an older cache %+v, want last_event %+v", m, old)
	}

	applyWebhook(t, s, "evt_2", 200)
	applyWebhook(t, s, "evt_3", 300)
	if m := mustLastEvent(t, s); m.ID != "evt_3" {
		t.Fatalf("last event %+v, want evt_3", m)
	}
	if m := mustCatchUpMark(t, s); m != old {
		t.Fatalf("webhook deliveries moved the catch-up mark to %+v, want %+v", m, old)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestCatchUpMarkForwardOnly: SetCatchUpMark ignores older marks (compared
// with the fallback too) and leaves last_event alone; ResetCatchUpMark moves
// it anywhere, for a full resync.
func TestCatchUpMarkForwardOnly(t *testing.T) {
	s := openTest(t, Options{})
	if err := s.SetLastEvent(EventMark{ID: "evt_l", Created: 300}); err != nil {
		t.Fatal(err)
	}
	// Older than the fallback: ignored.
	if err := s.SetCatchUpMark(EventMark{ID: "evt_a", Created: 200}); err != nil {
		t.Fatal(err)
	}
	if m := mustCatchUpMark(t, s); m.ID != "evt_l" {
		t.Fatalf("catch-up mark %+v went behind last_event's fallback", m)
	}
	steps := []struct {
		set  EventMark
		want string
	}{
		{EventMark{ID: "evt_b", Created: 400}, "evt_b"},
		{EventMark{ID: "evt_c", Created: 350}, "evt_b"}, // older: ignored
		{EventMark{ID: "evt_d", Created: 400}, "evt_d"}, // same second: later in the list
		{EventMark{ID: "evt_e", Created: 500}, "evt_e"},
	}
	for _, st := range steps {
		if err := s.SetCatchUpMark(st.set); err != nil {
			t.Fatal(err)
		}
		if m := mustCatchUpMark(t, s); m.ID != st.want {
			t.Fatalf("after SetCatchUpMark(%+v): %+v, want %s", st.set, m, st.want)
		}
	}
	if m := mustLastEvent(t, s); m.ID != "evt_l" {
		t.Fatalf("SetCatchUpMark moved last_event to %+v", m)
	}
	// A webhook delivery moves last_event only.
	applyWebhook(t, s, "evt_w", 600)
	if m := mustCatchUpMark(t, s); m.ID != "evt_e" {
		t.Fatalf("a webhook delivery moved the catch-up mark to %+v", m)
	}
	if m := mustLastEvent(t, s); m.ID != "evt_w" {
		t.Fatalf("last event %+v, want evt_w", m)
	}
	reset := EventMark{ID: "evt_r", Created: 50}
	if err := s.ResetCatchUpMark(reset); err != nil {
		t.Fatal(err)
	}
	if m := mustCatchUpMark(t, s); m != reset {
		t.Fatalf("after ResetCatchUpMark: %+v, want %+v", m, reset)
	}
}

// TestCatchUpMarkNotSetByDeliveriesToNewCache: on a cache with no mark at
// all, webhook deliveries set last_event but leave no catch-up mark (the
// backfill sets it), so catch-up does not start after them.
func TestCatchUpMarkNotSetByDeliveriesToNewCache(t *testing.T) {
	s := openTest(t, Options{})
	applyWebhook(t, s, "evt_1", 100)
	applyWebhook(t, s, "evt_2", 200)
	if m := mustLastEvent(t, s); m.ID != "evt_2" {
		t.Fatalf("last event %+v", m)
	}
	if m := mustCatchUpMark(t, s); m != (EventMark{}) {
		t.Fatalf("catch-up mark %+v, want none", m)
	}
}
