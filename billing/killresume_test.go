package billing

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// Environment of the child process TestBackfillKillResume kills.
const (
	killChildEnv = "PAYDESK_KILL_CHILD"
	killBaseEnv  = "PAYDESK_KILL_BASE"
	killDBEnv    = "PAYDESK_KILL_DB"
)

// TestKillResumeChild is the process TestBackfillKillResume kills: a
// backfill that prints one line per page written. It does nothing in a
// normal run.
func TestKillResumeChild(t *testing.T) {
	if os.Getenv(killChildEnv) == "" {
		t.Skip("run by TestBackfillKillResume")
	}
	store, err := storage.Open(os.Getenv(killDBEnv), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, os.Getenv(killBaseEnv), func(cfg *Config) { cfg.Concurrency = 8 })
	err = c.Backfill(context.Background(), store, BackfillOptions{OnProgress: func(p Progress) {
		fmt.Printf("page %s %d\n", p.Kind, p.Pages)
	}})
	fmt.Printf("finished %v\n", err)
}

// listCounter is a loopback proxy in front of the sandbox that counts the
// objects each list answer carries, per path.
type listCounter struct {
	mu      sync.Mutex
	objects map[string]int
}

func (lc *listCounter) count(resp *http.Response) error {
	if resp.Request.Method != http.MethodGet || resp.StatusCode != http.StatusOK {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var list struct {
		Object string            `json:"object"`
		Data   []json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &list) == nil && list.Object == "list" {
		path := resp.Request.URL.Path
		if strings.HasSuffix(path, "/balance_transactions") {
			path = "balance_transactions"
		}
		lc.mu.Lock()
		lc.objects[path] += len(list.Data)
		lc.mu.Unlock()
	}
	return nil
}

// TestBackfillKillResume kills a backfilling process with SIGKILL midway
// (no deferred code, no clean close of the cache) and resumes in this
// process: every object of the sandbox is cached once (the counts per kind
// equal the sandbox's, each range's Fetched adds up to its kind's count),
// and across both processes no kind fetched more objects twice than one
// page per range left unfinished at the kill.
func TestBackfillKillResume(t *testing.T) {
	t.Parallel()
	sb, sbBase := startSandbox(t, sandbox.Options{Seed: 12, Customers: 300, Latency: 3 * time.Millisecond, LatencyJitter: 2 * time.Millisecond})
	settleBalances(t, sb, sbBase) // customers at zero with balance transactions, as in any real account
	target, _ := url.Parse(sbBase)
	counter := &listCounter{objects: map[string]int{}}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = counter.count
	proxy.ErrorLog = log.New(io.Discard, "", 0) // the kill cuts requests off
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "cache.db")

	const killAfter = 30 // pages written by the child
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillResumeChild$", "-test.v")
	cmd.Env = append(os.Environ(), killChildEnv+"=1", killBaseEnv+"="+srv.URL, killDBEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pages := 0
	var tail []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "page ") {
			if pages++; pages == killAfter {
				if err := cmd.Process.Kill(); err != nil { // SIGKILL
					t.Fatal(err)
				}
				break
			}
		}
		tail = append(tail, line)
	}
	go io.Copy(io.Discard, out)
	cmd.Wait()
	if pages < killAfter {
		t.Fatalf("the child wrote %d pages and ended before the kill: %v", pages, tail)
	}

	store, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer store.Close()
	live := map[storage.Kind]int{} // ranges unfinished at the kill
	unfinished := 0
	for _, k := range storage.Kinds {
		cur, err := store.Cursor(k)
		if err != nil {
			t.Fatal(err)
		}
		if !cur.Done {
			unfinished++
		}
		ranges, err := store.Ranges(k)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range ranges {
			if !r.Done {
				live[k]++
			}
		}
		if len(ranges) == 0 && !cur.Done {
			live[k] = 1 // its first page was on its way
		}
	}
	if unfinished == 0 {
		t.Fatal("every kind finished before the kill: the test proves nothing")
	}
	t.Logf("killed after %d pages; unfinished ranges per kind: %v", pages, live)

	c := newSandboxClient(t, sb, srv.URL, nil)
	if err := c.Backfill(context.Background(), store, BackfillOptions{}); err != nil {
		t.Fatalf("resumed backfill: %v", err)
	}
	counter.mu.Lock()
	fetched := map[string]int{}
	for p, n := range counter.objects {
		fetched[p] = n
	}
	counter.mu.Unlock()
	assertMirrors(t, c, store) // counts per kind equal the sandbox's
	for _, k := range storage.Kinds {
		n := mustCount(t, store, k)
		cur, _ := store.Cursor(k)
		if !cur.Done {
			t.Errorf("%s not done after the resume", k)
		}
		if k == storage.KindBalanceTransaction {
			continue
		}
		if cur.Fetched != n {
			t.Errorf("%s: cursors count %d objects written for %d cached", k, cur.Fetched, n)
		}
		twice := fetched[listPaths[k]] - n
		if twice < 0 || twice > PageSize*live[k] {
			t.Errorf("%s: %d objects fetched twice, want at most one page for each of its %d unfinished ranges", k, twice, live[k])
		}
	}
}
