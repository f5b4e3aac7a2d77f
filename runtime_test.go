package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
)

// TestOpenWithKeyWithoutSecretAnnouncesBackgroundSync: a runtime with a key
// and no webhook secret runs no receiver, yet what its background catch-up
// applies is announced on the store's feed (what an open console redraws
// from), and Close stops the sync before it closes the cache.
func TestOpenWithKeyWithoutSecretAnnouncesBackgroundSync(t *testing.T) {
	sb, err := sandbox.New(sandbox.Options{Seed: 5, Customers: 12, Now: testclock.Running(), WebhookClock: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	rt, err := Open(context.Background(), RuntimeConfig{Path: filepath.Join(t.TempDir(), "acct.db"), Holder: "paydesk test",
		Key: sb.APIKey(), APIBase: base, Rate: 1000, SyncEvery: 20 * time.Millisecond, FirstSync: io.Discard, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if rt.WebhookURL != "" || rt.Offline || rt.Client == nil {
		t.Fatalf("runtime: url %q offline %v client %v", rt.WebhookURL, rt.Offline, rt.Client != nil)
	}
	sub := rt.Store.Subscribe(4096)
	defer sub.Close()
	if ids := sb.Advance(96 * time.Hour); len(ids) == 0 {
		t.Fatal("the sandbox emitted no events in four days")
	}
	for {
		c, ok := sub.Next()
		if !ok {
			t.Fatal("feed closed")
		}
		if c.Op == storage.OpEvent && c.Delivery.Source == storage.SourceCatchUp && c.Result.Changed() {
			break
		}
	}
	rt.Close()
	if _, err := rt.Store.Count(storage.KindCustomer); err == nil {
		t.Fatal("cache still open after Close")
	}
}
