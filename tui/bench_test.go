package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
	"github.com/paydesk/paydesk/tui/table"
)

// The benchmarks browse a synthetic cache of PAYDESK_BENCH_OBJECTS
// customers (default 100,000), written with storage.PutPage once per test
// binary:
//
//	go test ./tui/ -run '^$' -bench . -benchtime 2000x
//	PAYDESK_BENCH_OBJECTS=1000000 go test ./tui/ -run '^$' -bench . -benchtime 2000x
var (
	bigOnce  sync.Once
	bigStore *storage.Store
	bigDir   string
	bigErr   error
	bigBuild time.Duration
)

func benchObjects() int {
	if n, err := strconv.Atoi(os.Getenv("PAYDESK_BENCH_OBJECTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func bigCache(b *testing.B) *storage.Store {
	bigOnce.Do(func() {
		start := time.Now()
		bigDir, bigErr = os.MkdirTemp("", "paydesk-tui-bench-*")
		if bigErr != nil {
			return
		}
		bigStore, bigErr = storage.Open(filepath.Join(bigDir, "big.db"), storage.Options{Now: fixture.Clock})
		if bigErr != nil {
			return
		}
		n := benchObjects()
		base := fixture.Now.Unix() - int64(n)
		const page = 2000
		objs := make([]json.RawMessage, 0, page)
		for i := 0; i < n; i++ {
			bal := 0
			if i%7 == 0 {
				bal = -(i%50 + 1) * 100
			}
			objs = append(objs, json.RawMessage(fmt.Sprintf(
				`{"id":"cus_b%09d","object":"customer","created":%d,"email":"user%d@example.com","name":"Name%d Surname%d","balance":%d,"currency":"usd","delinquent":false,"invoice_settings":{"default_payment_method":"pm_card_visa"},"metadata":{}}`,
				i, base+int64(i), i, i, i%1000, bal)))
			if len(objs) == page || i == n-1 {
				if _, bigErr = bigStore.PutPage(storage.KindCustomer, objs, fixture.Now.Unix(), storage.Cursor{After: fmt.Sprintf("cus_b%09d", i), Fetched: i + 1}); bigErr != nil {
					return
				}
				objs = objs[:0]
			}
		}
		bigBuild = time.Since(start)
		// Reopen so that the resident set measured by the benchmarks is
		// the browsing session's (the build touched every page of the map).
		if bigErr = bigStore.Close(); bigErr != nil {
			return
		}
		bigStore, bigErr = storage.Open(filepath.Join(bigDir, "big.db"), storage.Options{Now: fixture.Clock})
		objs = nil
		runtime.GC()
		debug.FreeOSMemory()
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigStore
}

func cleanupBench() {
	if bigStore != nil {
		bigStore.Close()
		os.RemoveAll(bigDir)
	}
}

func benchSession(store *storage.Store) *common.Common {
	return session(nil, func(c *common.Common) { c.Store = store })
}

// frames times each Update+View and reports the p99 and the worst frame.
type frames []time.Duration

func (f frames) report(b *testing.B) {
	if len(f) == 0 {
		return
	}
	s := slices.Clone(f)
	slices.Sort(s)
	b.ReportMetric(float64(s[len(s)*99/100].Nanoseconds()), "p99-ns/frame")
	b.ReportMetric(float64(s[len(s)-1].Nanoseconds()), "max-ns/frame")
}

func step1(m tea.Model, msg tea.Msg) (tea.Model, string) {
	m, _ = m.Update(msg)
	return m, m.View()
}

// BenchmarkPageDown: one pgdn (a page query of 31 rows) and a full redraw
// at 120x36; at the last page g goes back to the first.
func BenchmarkPageDown(b *testing.B) {
	store := bigCache(b)
	m := start(benchSession(store), 120, 36)
	pg, top := keyMsg("pgdown"), keyMsg("g")
	var fr frames
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if m.Active().(*table.Model).HasNext() {
			step1(m, pg)
		} else {
			step1(m, top)
		}
		fr = append(fr, time.Since(t0))
	}
	b.StopTimer()
	fr.report(b)
	reportMemory(b)
}

// BenchmarkFilter: one key typed into (or erased from) the / filter, each
// a new prefix search of the index and a full redraw.
func BenchmarkFilter(b *testing.B) {
	store := bigCache(b)
	m := start(benchSession(store), 120, 36)
	step1(m, keyMsg("/"))
	seq := []tea.Msg{}
	for _, r := range "user12" {
		seq = append(seq, keyMsg(string(r)))
	}
	for range 6 {
		seq = append(seq, keyMsg("backspace"))
	}
	for _, r := range "name99" {
		seq = append(seq, keyMsg(string(r)))
	}
	for range 6 {
		seq = append(seq, keyMsg("backspace"))
	}
	var fr frames
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		step1(m, seq[i%len(seq)])
		fr = append(fr, time.Since(t0))
	}
	b.StopTimer()
	if !strings.Contains(m.View(), "Customers") {
		b.Fatal("lost the customers view")
	}
	fr.report(b)
}

// BenchmarkFirstFrame: a new session's root model, its Init, the first
// window size and the first View.
func BenchmarkFirstFrame(b *testing.B) {
	store := bigCache(b)
	c := benchSession(store)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := NewWith(c, Views)
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		if !strings.Contains(m.View(), "Customers") {
			b.Fatal("no first frame")
		}
	}
	b.StopTimer()
	b.ReportMetric(bigBuild.Seconds(), "cache-build-s")
}

func reportMemory(b *testing.B) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	if raw, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(l, "VmRSS:") {
				if f := strings.Fields(l); len(f) >= 2 {
					if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
						b.ReportMetric(kb/1024, "rss-MB")
					}
				}
			}
		}
	}
}

// BenchmarkOpenPastedID: ":" + a pasted customer id + enter opens its page
// from the cache (prefix to kind, one read, the detail page's Init and
// first View), then esc; ids spread over the whole cache.
func BenchmarkOpenPastedID(b *testing.B) {
	store := bigCache(b)
	m := start(benchSession(store), 120, 36)
	n := benchObjects()
	colon, enter, esc := keyMsg(":"), keyMsg("enter"), keyMsg("esc")
	var fr frames
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := fmt.Sprintf("cus_b%09d", (i*7919)%n)
		t0 := time.Now()
		m.Update(colon)
		m.Update(keyMsg(id))
		_, cmd := m.Update(enter)
		if cmd != nil {
			if msg := cmd(); msg != nil {
				m.Update(msg)
			}
		}
		if v := m.View(); !strings.Contains(v, id) {
			b.Fatalf("%s not opened:\n%s", id, v)
		}
		fr = append(fr, time.Since(t0))
		m.Update(esc)
	}
	b.StopTimer()
	fr.report(b)
}
