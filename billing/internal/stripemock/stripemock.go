// Package stripemock runs one stripe-mock (the module's `go tool
// stripe-mock`) on loopback per test binary, for contract tests.
package stripemock

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ReadyTimeout bounds the first build plus start-up of stripe-mock.
const ReadyTimeout = 120 * time.Second

var (
	once     sync.Once
	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan error
	baseURL  string
	startErr error
)

// Start returns the base URL ("http://127.0.0.1:P") of the stripe-mock
// shared by this test binary, starting it on first use. It fails the test
// with the reason when stripe-mock cannot start; it never skips. Call Stop
// from TestMain after m.Run (the process also dies with the test binary).
func Start(t testing.TB) string {
	t.Helper()
	once.Do(func() { baseURL, startErr = start() })
	if startErr != nil {
		t.Fatalf("stripe-mock: %v", startErr)
	}
	return baseURL
}

// Stop kills the shared stripe-mock, if one was started.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if cmd != nil && cmd.Process != nil {
		_ = cmd.Process.Kill()
		<-exited // the waiting goroutine reaps it
		cmd = nil
	}
}

func start() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), ReadyTimeout)
	defer cancel()
	// `go tool -n` builds the tool (first use: a while) and prints the
	// cached binary's path; running that binary directly lets Pdeathsig and
	// Kill reach stripe-mock itself rather than a `go` wrapper.
	var out, errb bytes.Buffer
	build := exec.CommandContext(ctx, "go", "tool", "-n", "stripe-mock")
	build.Dir = root
	build.Stdout, build.Stderr = &out, &errb
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build (go tool -n stripe-mock in %s): %v: %s", root, err, strings.TrimSpace(errb.String()))
	}
	bin := strings.TrimSpace(out.String())
	httpPort, err := freePort()
	if err != nil {
		return "", err
	}
	httpsPort, err := freePort()
	if err != nil {
		return "", err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", httpPort)
	var logs bytes.Buffer
	c := exec.Command(bin, "-http-addr", addr, "-https-addr", fmt.Sprintf("127.0.0.1:%d", httpsPort))
	c.Dir = root
	c.Stdout, c.Stderr = &logs, &logs
	c.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := c.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", bin, err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	mu.Lock()
	cmd, exited = c, done
	mu.Unlock()
	for {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return "http://" + addr, nil
		}
		select {
		case werr := <-done:
			mu.Lock()
			cmd = nil
			mu.Unlock()
			return "", fmt.Errorf("exited before listening on %s: %v: %s", addr, werr, strings.TrimSpace(logs.String()))
		case <-ctx.Done():
			Stop()
			return "", fmt.Errorf("not listening on %s after %s: %s", addr, ReadyTimeout, strings.TrimSpace(logs.String()))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// moduleRoot finds the directory holding go.mod, where the tool line lives.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test's directory")
		}
		dir = parent
	}
}
