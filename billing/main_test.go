package billing

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/storage"
)

// TestMain stops the stripe-mock shared by this test binary.
func TestMain(m *testing.M) {
	code := m.Run()
	stripemock.Stop()
	os.Exit(code)
}

const testKey = "sk_test_51TopSecretValueXYZ9"

// newTestClient builds a Client for base with the rate limit out of the way
// and stripe-go's network retries off, so tests see every answer.
func newTestClient(t testing.TB, base string, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		SecretKey:         testKey,
		APIBase:           base,
		UploadsBase:       base,
		RateLimit:         1e6,
		MaxNetworkRetries: -1,
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
		Clocks:            Clocks{Account: testclock.Running()},
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func newTestStore(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
