package webhooks_test

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/paydesk/paydesk/billing/dunning/dunningtest"
	"github.com/paydesk/paydesk/storage"
)

// at is 2026-11-23 hh:mm:ss UTC; the session clock is 12:00:00.
func at(hh, mm, ss int) time.Time { return time.Date(2026, 11, 23, hh, mm, ss, 0, time.UTC) }

func object(id string, changes map[string]any) map[string]any {
	for _, o := range dunningtest.Objects() {
		if o["id"] == id {
			out := maps.Clone(o)
			maps.Copy(out, changes)
			return out
		}
	}
	panic("no object " + id)
}

func event(id, typ string, t time.Time, obj map[string]any, version string) []byte {
	b, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "created": t.Unix(),
		"api_version": version, "livemode": false, "data": map[string]any{"object": obj}})
	if err != nil {
		panic(err)
	}
	return b
}

// fixtureStore logs ten deliveries between 11:31 and 11:59 (see the table in
// each step); every latency and time is fixed so the screens are golden.
//
//	 1 11:31:00 evt_01 invoice.updated        in_A  applied           850µs
//	 2 11:35:10 evt_02 charge.failed          ch_A1 applied          1200µs
//	 3 11:40:00 evt_03 invoice.payment_failed in_A  applied          2300µs
//	 4 11:41:30 -      -                      -     rejected bad_signature 90µs
//	 5 11:45:00 evt_03 invoice.payment_failed -     duplicate         400µs
//	 6 11:50:00 evt_04 customer.subscription.updated sub_A applied   1800µs
//	 7 11:52:00 evt_05 invoice.paid           in_C  version_mismatch 1500µs
//	 8 11:55:00 evt_06 invoice.paid           -     rejected stale_timestamp 120µs
//	 9 11:58:30 evt_07 charge.failed          ch_F1 applied           950µs
//	10 11:59:00 evt_08 invoice.updated        in_F  applied (catch-up) 3000µs
//
// Stats since 11:00: 10 deliveries, 2 rejected; latencies sorted 90 120 400
// 850 950 1200 1500 1800 2300 3000 µs: p50 (rank 5) 950µs, p99 (rank 10) 3.0ms.
func fixtureStore(t *testing.T) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	v := storage.APIVersion
	inA1 := object("in_A", map[string]any{"attempt_count": 1, "charge": "ch_A1", "next_payment_attempt": at(11, 31, 0).Unix() + 3*86400})
	inA2 := object("in_A", nil)
	steps := []struct {
		when    time.Time
		raw     []byte
		latency int64
		source  string
		reject  string
		evID    string
		typ     string
	}{
		{when: at(11, 31, 0), raw: event("evt_01", "invoice.updated", at(11, 31, 0), inA1, v), latency: 850},
		{when: at(11, 35, 10), raw: event("evt_02", "charge.failed", at(11, 35, 10), object("ch_A1", nil), v), latency: 1200},
		{when: at(11, 40, 0), raw: event("evt_03", "invoice.payment_failed", at(11, 40, 0), inA2, v), latency: 2300},
		{when: at(11, 41, 30), reject: "bad_signature: no v1 signature matches a configured secret", latency: 90},
		{when: at(11, 45, 0), raw: event("evt_03", "invoice.payment_failed", at(11, 40, 0), inA2, v), latency: 400},
		{when: at(11, 50, 0), raw: event("evt_04", "customer.subscription.updated", at(11, 50, 0), object("sub_A", nil), v), latency: 1800},
		{when: at(11, 52, 0), raw: event("evt_05", "invoice.paid", at(11, 52, 0), object("in_C", nil), "2022-11-15"), latency: 1500},
		{when: at(11, 55, 0), reject: "stale_timestamp: signed 412 s ago, tolerance 300 s", evID: "evt_06", typ: "invoice.paid", latency: 120},
		{when: at(11, 58, 30), raw: event("evt_07", "charge.failed", at(11, 58, 30), object("ch_F1", nil), v), latency: 950},
		{when: at(11, 59, 0), raw: event("evt_08", "invoice.updated", at(11, 59, 0), object("in_F", nil), v), latency: 3000, source: "catch-up"},
	}
	for i, st := range steps {
		d := storage.Delivery{At: st.when.UnixNano(), LatencyUS: st.latency, Source: "webhook", Status: 200, RemoteAddr: "127.0.0.1:5000"}
		if st.source != "" {
			d.Source, d.Status, d.RemoteAddr = st.source, 0, ""
		}
		if st.reject != "" {
			d.Verdict, d.Reason, d.Status, d.EventID, d.Type = storage.VerdictRejected, st.reject, 400, st.evID, st.typ
			if _, err := s.AppendDelivery(d); err != nil {
				t.Fatal(err)
			}
			continue
		}
		d.Bytes = len(st.raw)
		if _, err := s.ApplyEvent(st.raw, &d); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
	}
	return s
}
