package sandbox

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestRateLimitPerKey: the request rate is enforced per API key, as
// Stripe does: a key over its rate gets 429 rate_limit while another key
// is still served, and the first key is served again once its bucket
// refills.
func TestRateLimitPerKey(t *testing.T) {
	var mu sync.Mutex
	now := t0
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	_, _, base := newSandbox(t, Options{Seed: 1, Customers: 3, RateLimit: 5, RateClock: clock})
	for i := range 5 {
		if code, _, _ := rawGet(t, base, "/v1/customers", "sk_test_a"); code != 200 {
			t.Fatalf("request %d of key a within its burst: %d", i+1, code)
		}
	}
	code, m, _ := rawGet(t, base, "/v1/customers", "sk_test_a")
	if code != 429 || m["error"].(map[string]any)["code"] != "rate_limit" || m["error"].(map[string]any)["type"] != "invalid_request_error" {
		t.Fatalf("6th request of key a in one second: %d %v, want Stripe's 429 rate_limit", code, m)
	}
	if code, _, _ := rawGet(t, base, "/v1/customers", "sk_test_b"); code != 200 {
		t.Fatalf("key b throttled by key a's requests: %d", code)
	}
	mu.Lock()
	now = now.Add(time.Second / 5)
	mu.Unlock()
	if code, _, _ := rawGet(t, base, "/v1/customers", "sk_test_a"); code != 200 {
		t.Fatalf("key a after its bucket refilled one token: %d", code)
	}
}

// TestLatencyFixedPlusJitter: every answer (a 429 included) waits the
// fixed latency ± the jitter, spread over the whole interval.
func TestLatencyFixedPlusJitter(t *testing.T) {
	var mu sync.Mutex
	var waits []time.Duration
	record := func(_ context.Context, d time.Duration) { mu.Lock(); waits = append(waits, d); mu.Unlock() }
	const fixed, jitter = 300 * time.Millisecond, 100 * time.Millisecond
	_, _, base := newSandbox(t, Options{Seed: 1, Customers: 3, Latency: fixed, LatencyJitter: jitter, LatencySleep: record,
		RateLimit: 50, RateClock: func() time.Time { return t0 }})
	const n = 200
	throttled := 0
	for range n {
		if code, _, _ := rawGet(t, base, "/v1/customers", "sk_test_1"); code == 429 {
			throttled++
		}
	}
	if throttled == 0 {
		t.Fatal("no 429 above the rate: the test does not cover throttled answers")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(waits) != n {
		t.Fatalf("%d answers waited, want all %d", len(waits), n)
	}
	lo, hi := waits[0], waits[0]
	for _, d := range waits {
		if d < fixed-jitter || d > fixed+jitter {
			t.Fatalf("latency %v outside %v ± %v", d, fixed, jitter)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo > fixed-jitter/2 || hi < fixed+jitter/2 {
		t.Fatalf("latencies spread over [%v, %v] only, want most of %v ± %v", lo, hi, fixed, jitter)
	}
}
