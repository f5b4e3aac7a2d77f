package billing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"
	"github.com/paydesk/paydesk/storage"
)

// fakeClock is a clock that only moves when the limiter sleeps.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	return nil
}

// TestLimiterPacesRequests: n back-to-back requests at rate r take
// (n-1)/r seconds of the limiter's clock, and no one-second window holds
// more than r+1 of them.
func TestLimiterPacesRequests(t *testing.T) {
	for _, rate := range []float64{DefaultTestRate, DefaultLiveRate, 3.5} {
		clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
		l := newLimiter(rate, clk.now, clk.sleep)
		const n = 200
		var at []time.Time
		for range n {
			if err := l.wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			at = append(at, clk.now())
		}
		span := at[n-1].Sub(at[0]).Seconds()
		want := float64(n-1) / rate
		if span < want*0.999 || span > want*1.001 {
			t.Errorf("rate %v: %d requests spread over %.3fs, want %.3fs", rate, n, span, want)
		}
		for i := range at {
			j := i
			for j < n && at[j].Sub(at[i]) < time.Second {
				j++
			}
			if j-i > int(rate)+1 {
				t.Fatalf("rate %v: %d requests within one second", rate, j-i)
			}
		}
	}
}

// TestLimiterCancelReturnsSlot: a waiter whose context ends gives its slot
// back, so the next caller does not wait for it.
func TestLimiterCancelReturnsSlot(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	cancelled := func(ctx context.Context, d time.Duration) error { return context.Canceled }
	l := newLimiter(10, clk.now, cancelled)
	if err := l.wait(context.Background()); err != nil { // takes the token
		t.Fatal(err)
	}
	if err := l.wait(context.Background()); err != context.Canceled {
		t.Fatalf("cancelled wait: %v", err)
	}
	l.sleep = clk.sleep
	before := clk.now()
	if err := l.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waited := clk.now().Sub(before); waited != 100*time.Millisecond {
		t.Fatalf("waited %v after a cancelled waiter, want one slot (100ms)", waited)
	}
}

// TestBackfillUnderServerRateLimit runs the same backfill against a sandbox
// that allows 10 requests per second (burst 10). The sandbox measures the
// rate on a clock that moves only when the client's limiter or backoff
// waits, so the test is exact and spends no wall time: with the client's
// limiter at 8/s the server never answers 429 and the requests span
// (n-1)/8 seconds; with the limiter out of the way the server throttles and
// the 429 backoff still completes the backfill.
func TestBackfillUnderServerRateLimit(t *testing.T) {
	t.Parallel()
	const customers = 100
	// The reference: the same seeded account without any limit.
	ref, refBase := startSandbox(t, sandbox.Options{Seed: 21, Customers: customers})
	want := newTestStore(t)
	if err := newSandboxClient(t, ref, refBase, nil).Backfill(context.Background(), want, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}

	run := func(t *testing.T, clientRate float64) (requests, throttled int, span time.Duration) {
		clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
		sb, base := startSandbox(t, sandbox.Options{Seed: 21, Customers: customers, RateLimit: 10, RateClock: clk.now})
		ct := newCountingTransport()
		c := newSandboxClient(t, sb, base, nil, withTransport(ct), func(cfg *Config) { cfg.RateLimit = clientRate })
		if c.transport.limiter.rate != clientRate {
			t.Fatalf("limiter rate %v, Config.RateLimit %v", c.transport.limiter.rate, clientRate)
		}
		// The real limiter and backoff, waiting on the shared clock.
		c.transport.limiter = newLimiter(clientRate, clk.now, clk.sleep)
		c.transport.sleep = clk.sleep
		c.transport.now = clk.now
		start := clk.now()
		store := newTestStore(t)
		if err := c.Backfill(context.Background(), store, BackfillOptions{}); err != nil {
			t.Fatalf("backfill at %v req/s against a 10 req/s server: %v", clientRate, err)
		}
		total := 0
		for _, k := range storage.Kinds {
			got, exp := mustCount(t, store, k), mustCount(t, want, k)
			if got != exp {
				t.Errorf("%s: %d cached, the account has %d", k, got, exp)
			}
			total += got
		}
		if total < 5*customers {
			t.Fatalf("only %d objects cached", total)
		}
		requests, throttled = ct.stats()
		if sent, seen := c.transport.sent.Load(), c.transport.throttled.Load(); int(sent) != requests || int(seen) != throttled {
			t.Errorf("transport counted %d sent / %d throttled, the wire saw %d / %d", sent, seen, requests, throttled)
		}
		return requests, throttled, clk.now().Sub(start)
	}

	t.Run("client limiter below the server's", func(t *testing.T) {
		requests, throttled, span := run(t, 8)
		if requests <= 20 {
			t.Fatalf("only %d requests: the server's burst would absorb them", requests)
		}
		if throttled != 0 {
			t.Fatalf("%d of %d requests throttled although the client paces at 8/s", throttled, requests)
		}
		if want := time.Duration(float64(requests-1) / 8 * float64(time.Second)); span < want-time.Millisecond || span > want+time.Millisecond {
			t.Fatalf("%d requests spanned %v, want %v at 8/s", requests, span, want)
		}
	})
	t.Run("no client limiter, server throttles", func(t *testing.T) {
		requests, throttled, span := run(t, 1e6)
		if throttled == 0 || requests <= 20 {
			t.Fatalf("%d 429s in %d unpaced requests: the backoff was not exercised", throttled, requests)
		}
		t.Logf("%d requests, %d answered 429 and retried after backoff; %v of backoff", requests, throttled, span)
	})
}

const stripeRateLimitBody = `{"error":{"code":"rate_limit","doc_url":"https://stripe.com/docs/error-codes/rate-limit","message":"Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.","type":"invalid_request_error"}}`

// throttlingServer answers 429 with Stripe's error JSON to the first
// fail requests (fail < 0: forever), then an empty customer list.
func throttlingServer(t *testing.T, fail int, retryAfter string) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Request-Id", "req_throttled")
		if fail < 0 || n <= int64(fail) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, stripeRateLimitBody)
			return
		}
		io.WriteString(w, `{"object":"list","data":[],"has_more":false,"url":"/v1/customers"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// recordSleeps replaces the transport's backoff sleep: the test sees every
// wait without spending it.
func recordSleeps(c *Client) *[]time.Duration {
	var waits []time.Duration
	c.transport.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return &waits
}

func TestRateLimitedAfterBackoff(t *testing.T) {
	srv, hits := throttlingServer(t, -1, "")
	logs := &testkit.SyncBuffer{}
	// stripe-go keeps its default network retries: they must not multiply
	// the transport's 429 retries.
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.MaxNetworkRetries = 0
		cfg.Logger = newBufferLogger(logs)
	})
	waits := recordSleeps(c)
	_, err := c.ListPage(context.Background(), ListOptions{Kind: storage.KindCustomer})
	if !IsRateLimited(err) {
		t.Fatalf("err = %v, want rate limited", err)
	}
	if IsOffline(err) || IsAuth(err) {
		t.Fatalf("a 429 classified as offline or auth: %v", err)
	}
	if got := hits.Load(); got != maxRateLimitRetries+1 {
		t.Fatalf("server saw %d requests, want %d (one try, %d retries)", got, maxRateLimitRetries+1, maxRateLimitRetries)
	}
	if len(*waits) != maxRateLimitRetries {
		t.Fatalf("backed off %d times, want %d", len(*waits), maxRateLimitRetries)
	}
	for k, d := range *waits {
		full := backoffBase << k
		if d < full/2 || d >= full {
			t.Errorf("backoff %d = %v, want within [%v, %v)", k, d, full/2, full)
		}
	}
	if ex := Explain(err); !strings.Contains(ex, "rate limiting") {
		t.Fatalf("Explain = %q", ex)
	}
	assertNoKey(t, err.Error()+Explain(err)+logs.String())
}

func TestRateLimitRetryAfterAndRecovery(t *testing.T) {
	srv, hits := throttlingServer(t, 2, "3")
	c := newTestClient(t, srv.URL)
	waits := recordSleeps(c)
	page, err := c.ListPage(context.Background(), ListOptions{Kind: storage.KindCustomer})
	if err != nil {
		t.Fatalf("list after two 429s: %v", err)
	}
	if page.HasMore || hits.Load() != 3 {
		t.Fatalf("page %+v after %d requests, want the empty list on the 3rd", page, hits.Load())
	}
	if len(*waits) != 2 || (*waits)[0] != 3*time.Second || (*waits)[1] != 3*time.Second {
		t.Fatalf("waits %v, want Retry-After's 3s twice", *waits)
	}
}

// TestLimiterConcurrentCallers: callers arriving together are given slots
// 1/rate apart, each reserved before it sleeps, so however many goroutines
// send, no one-second window holds more than rate+1 requests.
func TestLimiterConcurrentCallers(t *testing.T) {
	const rate, callers = 25.0, 100
	start := time.Unix(1_700_000_000, 0)
	var mu sync.Mutex
	var sendAt []time.Time
	l := newLimiter(rate, func() time.Time { return start }, func(_ context.Context, d time.Duration) error {
		mu.Lock()
		sendAt = append(sendAt, start.Add(d))
		mu.Unlock()
		return nil
	})
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := l.wait(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	sendAt = append(sendAt, start) // the one caller that found the token
	slices.SortFunc(sendAt, func(a, b time.Time) int { return a.Compare(b) })
	if len(sendAt) != callers {
		t.Fatalf("%d callers slept, want %d", len(sendAt)-1, callers-1)
	}
	for i := 1; i < len(sendAt); i++ {
		if gap := sendAt[i].Sub(sendAt[i-1]); gap < time.Duration(float64(time.Second)/rate)-time.Microsecond {
			t.Fatalf("callers %d and %d leave %v apart, want at least 1/%v s", i-1, i, gap, rate)
		}
	}
}

// TestSharedBackoffAfter429: one 429 pauses every request of the client,
// not only the one that got it, and each paused request resumes after the
// pause plus its own jitter, so they do not return as a herd.
func TestSharedBackoffAfter429(t *testing.T) {
	srv, hits := throttlingServer(t, 1, "")
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Concurrency = 8 })
	frozen := time.Unix(1_700_000_000, 0)
	c.transport.now = func() time.Time { return frozen }
	var mu sync.Mutex
	var waits []time.Duration
	c.transport.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	var seq atomic.Int64
	c.transport.jitter = func() float64 { return float64(seq.Add(1)%10) / 10 }

	// The first request is answered 429, backs off and succeeds.
	if _, err := c.ListPage(context.Background(), ListOptions{Kind: storage.KindCustomer}); err != nil {
		t.Fatal(err)
	}
	if len(waits) != 1 {
		t.Fatalf("first request waited %v, want its one backoff", waits)
	}
	pause := waits[0]
	// Requests sent while that pause lasts wait for it, each with its jitter.
	const others = 7
	var wg sync.WaitGroup
	for range others {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ListPage(context.Background(), ListOptions{Kind: storage.KindCustomer}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(waits) != 1+others || c.transport.paused.Load() != others {
		t.Fatalf("waits %v (%d paused): want the %d other requests held back by the pause", waits, c.transport.paused.Load(), others)
	}
	distinct := map[time.Duration]bool{}
	for _, d := range waits[1:] {
		if d < pause || d >= pause+pauseJitter {
			t.Fatalf("a paused request waited %v, want the pause %v plus jitter below %v", d, pause, pauseJitter)
		}
		distinct[d] = true
	}
	if len(distinct) < others/2 {
		t.Fatalf("paused requests wait %v: not spread by jitter", waits[1:])
	}
	if got := hits.Load(); got != 2+others {
		t.Fatalf("server saw %d requests, want %d (the 429, its retry, the others once each)", got, 2+others)
	}
}
