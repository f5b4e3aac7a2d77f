package billing

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// childTraceEnv names a file the backfill child appends a line to each
// time its resident set reaches a new peak (2 MB above the last one): the
// resident set split into anonymous memory (heap, stacks) and the cache
// file's mapped pages, the cache file's size, the pages waiting for a
// commit, the goroutines. It tells what a peak RSS figure is made of.
const childTraceEnv = "PAYDESK_BACKFILL_TRACE"

// stackAboveKB is the resident set (KiB) above which a new peak also dumps
// every goroutine's stack into the trace (four times at most).
const stackAboveKB = 205 << 10

// tracePeaks samples every 2 ms until stop closes and appends a line to
// path at each new peak. Sampling /proc/self/status costs tens of
// microseconds, so it runs only when asked.
//
// With flow set it also appends, every second, the requests sent in that
// second and those on their way: where a rate-limited backfill leaves its
// limiter idle.
func tracePeaks(path string, store *storage.Store, t *limitedTransport, flow bool, start time.Time, stop <-chan struct{}) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	peak, last, stacks := 0, time.Now(), 0
	lastFlow, lastSent := time.Now(), t.sent.Load()
	for {
		select {
		case <-stop:
			fmt.Fprintf(f, "end %.1fs peak %d MB\n", time.Since(start).Seconds(), peak>>10)
			return
		case <-tick.C:
		}
		if flow && time.Since(lastFlow) >= time.Second {
			sent := t.sent.Load()
			fmt.Fprintf(f, "flow %.0fs sent %d in-flight %d queued %d\n", time.Since(start).Seconds(),
				sent-lastSent, t.inFlight.Load(), store.QueuedPages())
			lastFlow, lastSent = time.Now(), sent
		}
		rss := procStatusKB("VmRSS:")
		if rss < peak+2048 && time.Since(last) < 30*time.Second {
			continue
		}
		size := int64(-1)
		if fi, err := os.Stat(store.Path()); err == nil {
			size = fi.Size()
		}
		mark := "peak"
		if rss < peak+2048 {
			mark = "tick"
		}
		peak, last = max(peak, rss), time.Now()
		fmt.Fprintf(f, "%s %.1fs rss %d MB anon %d file %d cache %d MB queued %d goroutines %d\n", mark,
			time.Since(start).Seconds(), rss>>10, procStatusKB("RssAnon:")>>10, procStatusKB("RssFile:")>>10,
			size>>20, store.QueuedPages(), runtime.NumGoroutine())
		if mark == "peak" && rss >= stackAboveKB && stacks < 4 {
			// What every goroutine is doing as the set passes the mark:
			// the one in a bbolt read or commit is what maps the pages.
			stacks++
			buf := make([]byte, 1<<20)
			fmt.Fprintf(f, "--- goroutines at %d MB\n%s\n---\n", rss>>10, buf[:runtime.Stack(buf, true)])
		}
	}
}
