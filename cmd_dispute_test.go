package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDisputeCommandAcceptsOnce(t *testing.T) {
	_, db := moneyCLISandbox(t, 150)
	code, out, _ := runCLI(t, "ls", "disputes", "--json", "--limit", "200", "--db", db)
	if code != 0 {
		t.Fatal("ls disputes failed")
	}
	var dispute string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var d struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		if json.Unmarshal([]byte(line), &d) == nil && strings.HasSuffix(d.Status, "needs_response") {
			dispute = d.ID
			break
		}
	}
	if dispute == "" {
		t.Fatal("no dispute needing a response in the seeded account")
	}
	if code, _, errOut := runCLI(t, "dispute", "close", dispute, "--db", db); code != 2 || !strings.Contains(errOut, "accept") {
		t.Fatalf("dispute close: exit %d %q", code, errOut)
	}
	code, out, errOut := runCLI(t, "dispute", "accept", dispute, "--db", db)
	if code != 1 || !strings.Contains(out, "ACCEPT") || !strings.Contains(errOut+out, "--yes") {
		t.Fatalf("accept without --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "dispute", "accept", dispute, "--yes", "--db", db)
	if code != 0 || !strings.Contains(out, "sent: dispute_accept "+dispute) {
		t.Fatalf("accept --yes: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "dispute", "accept", dispute, "--yes", "--db", db)
	if code != 1 || strings.Contains(out, "sent:") || !strings.Contains(errOut, "only while it needs a response") {
		t.Fatalf("second acceptance: exit %d\n%s\n%s", code, out, errOut)
	}
}
