// Package testkit holds the helpers the test suites of every package share:
// a buffer safe for concurrent writers, a log of the sandbox's requests, a
// transport that loses Stripe's answers, and a poll for text to appear.
// Only _test.go files and test-support packages import it.
package testkit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// SyncBuffer is a bytes.Buffer safe for concurrent writers and readers (a
// log sink, a program's output).
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Len is the number of bytes written so far.
func (b *SyncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// WaitFor polls b until it contains want or timeout passes; it reports
// whether want appeared.
func (b *SyncBuffer) WaitFor(want string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if strings.Contains(b.String(), want) {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return strings.Contains(b.String(), want)
}

// RequestLog is a slog.Handler for the sandbox's logger that records its
// one line per request as "METHOD /path".
type RequestLog struct {
	mu    sync.Mutex
	lines []string
}

// Enabled implements slog.Handler.
func (l *RequestLog) Enabled(context.Context, slog.Level) bool { return true }

// WithAttrs implements slog.Handler.
func (l *RequestLog) WithAttrs([]slog.Attr) slog.Handler { return l }

// WithGroup implements slog.Handler.
func (l *RequestLog) WithGroup(string) slog.Handler { return l }

// Handle implements slog.Handler: records with a method attribute are
// requests.
func (l *RequestLog) Handle(_ context.Context, r slog.Record) error {
	var method, path string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "path":
			path = a.Value.String()
		}
		return true
	})
	if method != "" {
		l.mu.Lock()
		l.lines = append(l.lines, method+" "+path)
		l.mu.Unlock()
	}
	return nil
}

// Reset forgets the requests seen so far.
func (l *RequestLog) Reset() {
	l.mu.Lock()
	l.lines = nil
	l.mu.Unlock()
}

// Count returns how many requests started with prefix ("POST /v1/refunds").
func (l *RequestLog) Count(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

// All returns the requests seen so far, oldest first.
func (l *RequestLog) All() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// Dropper forwards requests to Base (http.DefaultTransport when nil), but
// for armed requests it throws Stripe's answer away and reports a network
// error: the call reached Stripe, the client never learnt its outcome (a
// dropped connection, a killed process).
type Dropper struct {
	Base http.RoundTripper

	mu    sync.Mutex
	match string // "POST /v1/refunds"
	left  int    // answers still to drop
}

// Arm drops the answers of the next n requests matching "METHOD /path".
func (d *Dropper) Arm(match string, n int) {
	d.mu.Lock()
	d.match, d.left = match, n
	d.mu.Unlock()
}

// RoundTrip implements http.RoundTripper.
func (d *Dropper) RoundTrip(req *http.Request) (*http.Response, error) {
	base := d.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	d.mu.Lock()
	hit := d.left > 0 && req.Method+" "+req.URL.Path == d.match
	if hit {
		d.left--
	}
	d.mu.Unlock()
	if !hit {
		return resp, nil
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer (test: answer dropped)")}
}
