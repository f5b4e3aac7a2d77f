package ssh

import (
	"bufio"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// BenchmarkSessions opens n concurrent PTY sessions from real SSH clients
// running in a child process (so this process holds the server side only),
// each running the test model subscribed to the bus; it publishes one live
// event to all of them and reports:
//   - B/session: this process's heap in use per open session, after GC;
//   - goroutines/session: server goroutines per open session;
//   - open-ms/session: wall time to open and first-render all n, per session;
//   - fanout-ms: one Publish until every client has seen it drawn (the
//     client polls every 10 ms and the renderer draws at 60 fps: that floor is
//     in the figure).
//
// go test ./tui/ssh/ -run '^$' -bench Sessions -benchtime 3x
func BenchmarkSessions(b *testing.B) {
	for _, n := range []int{50, 200, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchSessions(b, n) })
	}
}

func benchSessions(b *testing.B, n int) {
	st := openFeedStore(b)
	ana := newTestKey(b, "ana@laptop")
	ts := startServer(b, []string{ana.line("finance")}, nil, func(c *Config) {
		c.MaxSessions = n
		c.Feed = st.Feed()
	})
	keyPath := filepath.Join(b.TempDir(), "client_key")
	writeClientKey(b, keyPath, ana)

	var heapPer, gorPer, openMs, fanoutMs float64
	b.ResetTimer()
	for iter := 0; iter < b.N; iter++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		g0 := runtime.NumGoroutine()

		start := time.Now()
		child := startClients(b, ts, keyPath, n)
		child.expect("ready")
		opened := time.Since(start)

		runtime.GC()
		runtime.ReadMemStats(&after)
		g1 := runtime.NumGoroutine()
		if open := ts.Stats().Sessions; open != n {
			b.Fatalf("%d sessions open, want %d", open, n)
		}

		start = time.Now()
		announce(b, st, fmt.Sprintf("evt_b%d", iter))
		child.expect("seen")
		fanout := time.Since(start)
		child.stop()
		for deadline := time.Now().Add(10 * time.Second); ts.Stats().Sessions != 0; {
			if time.Now().After(deadline) {
				b.Fatalf("%d sessions still open after the clients left", ts.Stats().Sessions)
			}
			time.Sleep(10 * time.Millisecond)
		}

		heapPer += float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / float64(n)
		gorPer += float64(g1-g0) / float64(n)
		openMs += float64(opened.Microseconds()) / 1000 / float64(n)
		fanoutMs += float64(fanout.Microseconds()) / 1000
	}
	b.StopTimer()
	N := float64(b.N)
	b.ReportMetric(heapPer/N, "B/session")
	b.ReportMetric(gorPer/N, "goroutines/session")
	b.ReportMetric(openMs/N, "open-ms/session")
	b.ReportMetric(fanoutMs/N, "fanout-ms")
}

func writeClientKey(t testing.TB, path string, k testKey) {
	t.Helper()
	block, err := gossh.MarshalPrivateKey(k.priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
}

// clientProc is the child process holding the client sessions.
type clientProc struct {
	t     testing.TB
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner
}

func startClients(t testing.TB, ts *testServer, keyPath string, n int) *clientProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSSHClients$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"PAYDESK_SSH_BENCH_ADDR="+ts.addr,
		"PAYDESK_SSH_BENCH_KEY="+keyPath,
		"PAYDESK_SSH_BENCH_HOSTKEY="+strings.TrimSpace(string(gossh.MarshalAuthorizedKey(ts.HostKey()))),
		"PAYDESK_SSH_BENCH_N="+strconv.Itoa(n),
	)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return &clientProc{t: t, cmd: cmd, stdin: stdin, lines: bufio.NewScanner(stdout)}
}

// expect reads the child's lines until want; anything starting with
// "error" fails the benchmark.
func (c *clientProc) expect(want string) {
	c.t.Helper()
	for c.lines.Scan() {
		line := c.lines.Text()
		if line == want {
			return
		}
		if strings.HasPrefix(line, "error") {
			c.t.Fatal("clients:", line)
		}
	}
	c.t.Fatalf("clients exited before %q: %v", want, c.lines.Err())
}

func (c *clientProc) stop() {
	_ = c.stdin.Close()
	_ = c.cmd.Wait()
}

// TestHelperSSHClients is the child side of BenchmarkSessions: it opens the
// sessions, says "ready" once all drew their first frame and "seen" once all
// drew the published notice, and exits when its stdin closes.
func TestHelperSSHClients(t *testing.T) {
	addr := os.Getenv("PAYDESK_SSH_BENCH_ADDR")
	if addr == "" {
		t.Skip("child process of BenchmarkSessions only")
	}
	fail := func(err error) { fmt.Println("error", err); os.Exit(1) }
	n, err := strconv.Atoi(os.Getenv("PAYDESK_SSH_BENCH_N"))
	if err != nil {
		fail(err)
	}
	keyPEM, err := os.ReadFile(os.Getenv("PAYDESK_SSH_BENCH_KEY"))
	if err != nil {
		fail(err)
	}
	signer, err := gossh.ParsePrivateKey(keyPEM)
	if err != nil {
		fail(err)
	}
	hostKey, _, _, _, err := gossh.ParseAuthorizedKey([]byte(os.Getenv("PAYDESK_SSH_BENCH_HOSTKEY")))
	if err != nil {
		fail(err)
	}
	conf := &gossh.ClientConfig{User: "staff", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.FixedHostKey(hostKey), Timeout: 10 * time.Second}

	terms := make([]*term, n)
	sem := make(chan struct{}, 8) // handshakes in flight
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range terms {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := gossh.Dial("tcp", addr, conf)
			if err == nil {
				terms[i], err = startTerm(t, c, "xterm-256color", 120, 5, true)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		fail(err)
	}
	for _, want := range []string{"notices=0 ", "notices=1 "} {
		for _, tm := range terms {
			if !tm.out.WaitFor(want, 30*time.Second) {
				fail(fmt.Errorf("a session never drew %q", want))
			}
		}
		if want == "notices=0 " {
			fmt.Println("ready")
		} else {
			fmt.Println("seen")
		}
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	for _, tm := range terms {
		tm.client.Close()
	}
}
