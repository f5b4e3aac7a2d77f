package webhookd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
	bolt "go.etcd.io/bbolt"
)

// Benchmarks (2-core machine, real fsync on the test's temp dir):
//
//	go test ./webhookd/ -run '^$' -bench BenchmarkIngest -benchtime 4000x -count 1
//
// sustained/*: 16 senders post distinct signed ~2 KB events over loopback
// HTTP as fast as acknowledgements return; the same payloads are then
// written straight into a fresh bbolt file with db.Batch from 16 goroutines
// (same batch delay) and ratio = ingest events/s / raw events/s.
// paced500/*: one event every 2 ms (open loop, 16 workers), ack latency.
// Modes: update = no batching (one fsync per event), batchNms = Options.Batch
// with BatchDelay N ms (10 ms is bbolt's default).

type benchMode struct {
	name  string
	batch bool
	delay time.Duration
}

var benchModes = []benchMode{
	{"update", false, 0},
	{"batch1ms", true, time.Millisecond},
	{"batch2ms", true, 2 * time.Millisecond},
	{"batch10ms", true, 10 * time.Millisecond},
}

const benchSenders = 16

type benchEvent struct {
	id     string
	body   []byte
	header string
}

// benchEvents builds n distinct signed events of about 2 KB each.
func benchEvents(n int, tag string) []benchEvent {
	now := testNow()
	pad := map[string]string{}
	for i := range 32 {
		pad[fmt.Sprintf("note_%02d", i)] = strings.Repeat("x", 40)
	}
	out := make([]benchEvent, n)
	for i := range out {
		id := fmt.Sprintf("evt_%s_%07d", tag, i)
		ev := map[string]any{
			"id": id, "object": "event", "type": "customer.updated", "created": now.Unix(),
			"api_version": storage.APIVersion, "livemode": false, "pending_webhooks": 1,
			"data": map[string]any{"object": map[string]any{
				"id": fmt.Sprintf("cus_%s_%07d", tag, i), "object": "customer", "created": now.Unix() - 1000,
				"email": fmt.Sprintf("user%d@example.com", i), "name": fmt.Sprintf("User %d", i),
				"balance": 0, "currency": "usd", "metadata": pad,
			}},
		}
		body, _ := json.Marshal(ev)
		out[i] = benchEvent{id: id, body: body, header: signedHeader(body, testSecret, now)}
	}
	return out
}

type benchServer struct {
	url    string
	store  *storage.Store
	client *http.Client
	close  func()
}

func startBenchServer(b *testing.B, m benchMode) *benchServer {
	b.Helper()
	st, err := storage.Open(filepath.Join(b.TempDir(), "bench.db"), storage.Options{Batch: m.batch, BatchDelay: m.delay})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Now: testNow, Secrets: []string{testSecret}, Logger: discardLogger()}, st)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchSenders, MaxConnsPerHost: benchSenders}}
	return &benchServer{
		url: "http://" + ln.Addr().String() + DefaultPath, store: st, client: client,
		close: func() { client.CloseIdleConnections(); srv.Shutdown(b.Context()); st.Close() },
	}
}

func (s *benchServer) post(b *testing.B, ev benchEvent) {
	req, _ := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(ev.body))
	req.Header.Set(SignatureHeader, ev.header)
	resp, err := s.client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Errorf("status %d", resp.StatusCode)
	}
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

func reportLatency(b *testing.B, lat []time.Duration) {
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99_ms")
}

func BenchmarkIngest(b *testing.B) {
	for _, m := range benchModes {
		b.Run("sustained/"+m.name, func(b *testing.B) { benchSustained(b, m) })
	}
	for _, m := range benchModes {
		b.Run("paced500/"+m.name, func(b *testing.B) { benchPaced(b, m, 500) })
	}
}

func benchSustained(b *testing.B, m benchMode) {
	events := benchEvents(b.N, "s")
	s := startBenchServer(b, m)
	defer s.close()
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.SetBytes(int64(len(events[0].body)))
	b.ResetTimer()
	start := time.Now()
	for range benchSenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(events); i = int(next.Add(1)) - 1 {
				t0 := time.Now()
				s.post(b, events[i])
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	rate := float64(b.N) / elapsed.Seconds()
	b.ReportMetric(rate, "events/s")
	reportLatency(b, lat)
	if n, _ := s.store.RecentEvents(0, 1); len(n) != 1 {
		b.Fatal("nothing stored")
	}
	delay := m.delay
	if !m.batch {
		delay = 10 * time.Millisecond // compare against bbolt's default batch
	}
	raw := rawBatchInsert(b, events, delay)
	b.ReportMetric(raw, "raw_events/s")
	b.ReportMetric(rate/raw, "ratio")
}

// rawBatchInsert writes the payloads straight into a fresh bbolt file with
// db.Batch from benchSenders goroutines and returns events/s.
func rawBatchInsert(b *testing.B, events []benchEvent, delay time.Duration) float64 {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.MaxBatchDelay = delay
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("events")); return err }); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range benchSenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(events); i = int(next.Add(1)) - 1 {
				ev := events[i]
				if err := db.Batch(func(tx *bolt.Tx) error { return tx.Bucket([]byte("events")).Put([]byte(ev.id), ev.body) }); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	return float64(len(events)) / time.Since(start).Seconds()
}

// benchPaced sends rate events/s on a fixed schedule (open loop) and
// measures each acknowledgement from its scheduled send time, so a backlog
// shows up as latency instead of being hidden.
func benchPaced(b *testing.B, m benchMode, rate int) {
	events := benchEvents(b.N, "p")
	s := startBenchServer(b, m)
	defer s.close()
	lat := make([]time.Duration, b.N)
	interval := time.Second / time.Duration(rate)
	work := make(chan int, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range benchSenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				due := start.Add(time.Duration(i) * interval)
				if d := time.Until(due); d > 0 {
					time.Sleep(d)
				}
				s.post(b, events[i])
				lat[i] = time.Since(due)
			}
		}()
	}
	for i := range events {
		work <- i
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	reportLatency(b, lat)
}
