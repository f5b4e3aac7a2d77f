package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/webhookd"
)

// TestBadWebhookSecretNamedOnce: a malformed signing secret is reported
// naming the variable once (it used to read "STRIPE_WEBHOOK_SECRET:
// STRIPE_WEBHOOK_SECRET: ...") and never echoing the value.
func TestBadWebhookSecretNamedOnce(t *testing.T) {
	clearEnv(t)
	t.Setenv("PAYDESK_DB", filepath.Join(t.TempDir(), "c.db"))
	t.Setenv(webhookd.SecretEnv, "not-a-secret-value")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut strings.Builder
	code := runContext(ctx, []string{"events", "--follow", "--webhook-addr", "127.0.0.1:0"}, &out, &errOut)
	msg := errOut.String()
	if code != 1 || strings.Count(msg, webhookd.SecretEnv) != 1 || strings.Contains(msg, "not-a-secret-value") {
		t.Fatalf("exit %d, stderr %q: want the variable named once and the value left out", code, msg)
	}
}
