package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/lostanswer"
)

// cliSandbox starts a seeded sandbox behind a lostanswer proxy and points
// the CLI at it; it returns the cache path, the base URL of the sandbox
// itself and the proxy.
func cliSandbox(t *testing.T) (db, base string, px *lostanswer.Proxy) {
	t.Helper()
	return cliSandboxOf(t, 10)
}

// cliSandboxOf is cliSandbox with n seeded customers.
func cliSandboxOf(t *testing.T, n int) (db, base string, px *lostanswer.Proxy) {
	t.Helper()
	clearEnv(t)
	sb, err := sandbox.New(sandbox.Options{Seed: 4, Customers: n})
	if err != nil {
		t.Fatal(err)
	}
	if base, err = sb.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	if px, err = lostanswer.Start(base); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = px.Close() })
	t.Setenv("STRIPE_SECRET_KEY", sb.APIKey())
	t.Setenv("STRIPE_API_BASE", px.URL)
	return filepath.Join(t.TempDir(), "cli.db"), base, px
}

// sandboxGet reads a path of the sandbox as JSON.
func sandboxGet(t *testing.T, base, path string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Authorization", "Bearer sk_test_sandbox")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func firstCustomer(t *testing.T, base string) string {
	t.Helper()
	data, _ := sandboxGet(t, base, "/v1/customers?limit=1")["data"].([]any)
	if len(data) == 0 {
		t.Fatal("the seeded sandbox has no customer")
	}
	return data[0].(map[string]any)["id"].(string)
}

// TestCustomerEditCommand: `paydesk customer edit` prints the plan
// without --yes and sends nothing; with --yes it sends only the given
// flags; after a lost answer the same command run again finds the edit
// applied and sends nothing.
func TestCustomerEditCommand(t *testing.T) {
	db, base, px := cliSandbox(t)
	cus := firstCustomer(t, base)
	args := []string{"customer", "edit", cus, "--email", "new@example.com", "--country", "FR", "--city", "Paris", "--note", "vip", "--db", db}
	code, out, errOut := runCLI(t, args...)
	if code != 1 || !strings.Contains(out, "→ new@example.com") || !strings.Contains(errOut, "add --yes") || px.Effects("POST", "/v1/customers/"+cus) != 0 {
		t.Fatalf("without --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "customer", "edit", cus, "--email", "not-an-email", "--yes", "--db", db); code != 1 || !strings.Contains(errOut, "not an email address") {
		t.Fatalf("bad email: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "customer", "edit", cus, "--db", db); code != 2 {
		t.Fatalf("no field flag: exit %d, want 2", code)
	}
	px.Set(lostanswer.DropAnswer, func(method, _ string) bool { return method == "POST" })
	code, out, errOut = runCLI(t, append(args, "--yes")...)
	px.Set(lostanswer.Pass, nil)
	if code != 1 || !strings.Contains(out, "state pending") {
		t.Fatalf("lost answer: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, append(args, "--yes")...)
	if code != 0 || !strings.Contains(out, "not sent again") {
		t.Fatalf("re-run: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := px.Effects("POST", "/v1/customers/"+cus); n != 1 {
		t.Fatalf("the sandbox edited the customer %d times, want 1", n)
	}
	got := sandboxGet(t, base, "/v1/customers/"+cus)
	addr, _ := got["address"].(map[string]any)
	meta, _ := got["metadata"].(map[string]any)
	if got["email"] != "new@example.com" || addr["city"] != "Paris" || addr["country"] != "FR" || meta["paydesk_note"] != "vip" {
		t.Fatalf("sandbox customer %v", got)
	}
}
