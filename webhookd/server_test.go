package webhookd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/paydesk/paydesk/storage"
)

func openStore(t *testing.T) *storage.Store {
	t.Helper()
	st, err := storage.Open(filepath.Join(t.TempDir(), "c.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestNewRefusesMissingOrMalformedSecrets(t *testing.T) {
	st := openStore(t)
	for _, c := range []struct {
		name    string
		secrets []string
		hint    string
	}{
		{"none", nil, SecretEnv},
		{"empty", []string{""}, "empty secret"},
		{"api key", []string{"sk_test_4eC39HqLyjWDarjtT1zdp7dc"}, "must start with"},
		{"prefix only", []string{"whsec_"}, "nothing after it"},
		{"second bad", []string{testSecret, "whsec_has space"}, "secret 2 of 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(Config{Now: testNow, Secrets: c.secrets}, st)
			if err == nil || !errors.Is(err, ErrNoSecret) || !strings.Contains(err.Error(), c.hint) {
				t.Fatalf("err = %v, want ErrNoSecret mentioning %q", err, c.hint)
			}
			for _, s := range c.secrets {
				if len(s) > len("whsec_") && strings.Contains(err.Error(), s) {
					t.Fatalf("error quotes the secret: %v", err)
				}
			}
		})
	}
	if _, err := New(Config{Now: testNow, Secrets: []string{testSecret}}, st); err != nil {
		t.Fatalf("valid secret refused: %v", err)
	}
}

func TestParseSecrets(t *testing.T) {
	got, err := ParseSecrets(" " + testOldSecret + " , " + testSecret + " ")
	if err != nil || len(got) != 2 || got[0] != testOldSecret || got[1] != testSecret {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, in := range []string{"", "  ", testSecret + ",,", "whsec_", "rk_live_abcdef", testSecret + ",sk_test_xyz"} {
		_, err := ParseSecrets(in)
		if err == nil {
			t.Errorf("ParseSecrets(%q) accepted", in)
			continue
		}
		if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "abcdef") || strings.Contains(err.Error(), "xyz") {
			t.Errorf("error quotes a secret: %v", err)
		}
	}
}

// metricValue reads one sample from the Prometheus text exposition.
func metricValue(t *testing.T, text, series string) float64 {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, series+" ") {
			v, err := strconv.ParseFloat(strings.TrimPrefix(line, series+" "), 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return v
		}
	}
	t.Fatalf("series %s missing from:\n%s", series, text)
	return 0
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t)
	if r := send(t, nil, http.MethodGet, e.base+"/healthz", nil, nil); r.status != 200 || r.body != "ok\n" {
		t.Fatalf("healthz %d %q", r.status, r.body)
	}
	m := send(t, nil, http.MethodGet, e.base+"/metrics", nil, nil).body
	if v := metricValue(t, m, "paydesk_webhook_last_event_age_seconds"); v != -1 {
		t.Fatalf("age before any event = %v", v)
	}
	now := testNow().Unix()
	body := eventJSON("evt_m1", "cus_m", now, storage.APIVersion, "M")
	postSigned(t, e, body, testSecret)
	postSigned(t, e, body, testSecret)
	postSigned(t, e, eventJSON("evt_m2", "cus_m2", now, "2024-04-10", "M2"), testSecret)
	postSigned(t, e, body, testBadSecret)
	postSigned(t, e, body, testBadSecret)
	send(t, nil, http.MethodGet, e.url, nil, nil)
	sub := e.store.Subscribe(1)
	defer sub.Close()
	postSigned(t, e, eventJSON("evt_m3", "cus_m3", now, storage.APIVersion, "M3"), testSecret)
	postSigned(t, e, eventJSON("evt_m4", "cus_m4", now, storage.APIVersion, "M4"), testSecret) // sub's queue full: dropped

	r := send(t, nil, http.MethodGet, e.base+"/metrics", nil, nil)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("content type %q", r.header.Get("Content-Type"))
	}
	m = r.body
	for series, want := range map[string]float64{
		`paydesk_webhook_accepted_total{source="webhook",verdict="applied"}`:          3,
		`paydesk_webhook_accepted_total{source="webhook",verdict="version_mismatch"}`: 1,
		`paydesk_webhook_duplicate_total{source="webhook"}`:                           1,
		`paydesk_webhook_rejected_total{reason="bad_signature"}`:                      2,
		`paydesk_webhook_rejected_total{reason="method_not_allowed"}`:                 1,
		`paydesk_webhook_apply_seconds_bucket{le="+Inf"}`:                             5,
		`paydesk_webhook_apply_seconds_count`:                                         5,
		`paydesk_bus_dropped_total`:                                                   1,
		`paydesk_bus_subscribers`:                                                     1,
	} {
		if got := metricValue(t, m, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if age := metricValue(t, m, "paydesk_webhook_last_event_age_seconds"); age < 0 || age > 60 {
		t.Errorf("last event age %v", age)
	}
	// Histogram buckets are cumulative.
	prev := 0.0
	for _, ub := range applyBuckets {
		v := metricValue(t, m, fmt.Sprintf(`paydesk_webhook_apply_seconds_bucket{le="%g"}`, ub))
		if v < prev {
			t.Fatalf("bucket %g = %v < previous %v", ub, v, prev)
		}
		prev = v
	}
}

func TestApplyEventFromCatchUpReachesBusAndLog(t *testing.T) {
	e := newEnv(t)
	sub := e.store.Subscribe(4)
	defer sub.Close()
	body := eventJSON("evt_catch", "cus_catch", testNow().Unix(), storage.APIVersion, "Catch")
	res, err := e.srv.ApplyEvent(body, SourceCatchUp)
	if err != nil || res.Verdict != storage.VerdictApplied {
		t.Fatalf("apply: %+v %v", res, err)
	}
	n, ok := sub.Next()
	if !ok || n.Delivery.Source != SourceCatchUp || n.Result.ObjectID != "cus_catch" || n.Delivery.Seq == 0 {
		t.Fatalf("notice %+v", n)
	}
	// The same event later arriving by webhook is a duplicate.
	postSigned(t, e, body, testSecret)
	if d := lastDelivery(t, e.store); d.Verdict != storage.VerdictDuplicate || d.Source != SourceWebhook {
		t.Fatalf("webhook after catch-up: %+v", d)
	}
	if _, err := e.srv.ApplyEvent([]byte(`{"nope":1}`), SourceReplay); !errors.Is(err, storage.ErrMalformedEvent) {
		t.Fatalf("malformed replay: %v", err)
	}
	if d := lastDelivery(t, e.store); d.Verdict != storage.VerdictRejected || d.Source != SourceReplay {
		t.Fatalf("malformed replay receipt %+v", d)
	}
}

// Shutdown waits for a request whose body is still arriving, and that
// request is applied and acknowledged.
func TestShutdownFinishesInFlight(t *testing.T) {
	st := openStore(t)
	srv, err := New(Config{Now: testNow, Secrets: []string{testSecret}, Logger: discardLogger()}, st)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	body := eventJSON("evt_inflight", "cus_inflight", testNow().Unix(), storage.APIVersion, "Flight")
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%s: %s\r\nContent-Length: %d\r\n\r\n",
		DefaultPath, SignatureHeader, signedHeader(body, testSecret, testNow()), len(body))
	half := len(body) / 2
	if _, err := conn.Write(body[:half]); err != nil {
		t.Fatal(err)
	}
	// Wait until the handler is reading the body, then shut down.
	for !handlerRunning() {
		time.Sleep(time.Millisecond)
	}
	var shutdownDone atomic.Bool
	shut := make(chan error, 1)
	go func() {
		err := srv.Shutdown(context.Background())
		shutdownDone.Store(true)
		shut <- err
	}()
	time.Sleep(20 * time.Millisecond) // give Shutdown a chance to (wrongly) return early
	if shutdownDone.Load() {
		t.Errorf("Shutdown returned with a request in flight")
	}
	if _, err := conn.Write(body[half:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request lost: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("in-flight status %d", resp.StatusCode)
	}
	conn.Close()
	if err := <-shut; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := st.Event("evt_inflight"); err != nil {
		t.Fatalf("in-flight event not applied: %v", err)
	}
}

func TestListenAndServeStopsWithContext(t *testing.T) {
	st := openStore(t)
	srv, err := New(Config{Now: testNow, Addr: "127.0.0.1:0", Secrets: []string{testSecret}, Logger: discardLogger()}, st)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("ListenAndServe: %v", err)
	}
}

func TestRunPeriodic(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var runs, overlaps, inside atomic.Int32
	errs := make(chan error, 100)
	third := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		RunPeriodic(ctx, time.Millisecond, func(context.Context) error {
			if inside.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer inside.Add(-1)
			n := runs.Add(1)
			time.Sleep(3 * time.Millisecond) // slower than the interval
			if n == 3 {
				close(third)
			}
			return fmt.Errorf("catch-up run %d failed", n)
		}, func(err error) { errs <- err })
	}()
	<-third
	cancel()
	<-done
	if overlaps.Load() != 0 {
		t.Fatalf("%d overlapping runs", overlaps.Load())
	}
	if got := len(errs); got < 2 {
		t.Fatalf("%d errors reported for %d runs", got, runs.Load())
	}
	if first := <-errs; first.Error() != "catch-up run 1 failed" {
		t.Fatalf("first error %v", first)
	}
	after := runs.Load()
	time.Sleep(5 * time.Millisecond)
	if runs.Load() != after {
		t.Fatalf("ran after cancel")
	}
}

func TestStoreOptionsTuneBatching(t *testing.T) {
	o := StoreOptions(storage.Options{Holder: "x"})
	if !o.Batch || o.BatchDelay != BatchDelay || o.Holder != "x" {
		t.Fatalf("%+v", o)
	}
	if o := StoreOptions(storage.Options{BatchDelay: time.Millisecond}); o.BatchDelay != time.Millisecond {
		t.Fatalf("explicit delay overridden: %v", o.BatchDelay)
	}
}
