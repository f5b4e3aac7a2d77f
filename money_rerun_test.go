package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/lostanswer"
)

// childArgsEnv carries a command line to TestCLIChild, which runs it as
// the paydesk binary would: a second process on the same cache.
const childArgsEnv = "PAYDESK_TEST_CHILD_ARGS"

// TestCLIChild is not a test of its own: it runs the command line in
// PAYDESK_TEST_CHILD_ARGS (a JSON array) and exits with its code.
func TestCLIChild(t *testing.T) {
	args := os.Getenv(childArgsEnv)
	if args == "" {
		t.Skip("runs only as the child process of another test")
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	os.Exit(run(argv, os.Stdout, os.Stderr))
}

// runChild runs one command line in a second paydesk process (this test
// binary) and returns its exit code and output.
func runChild(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIChild$", "-test.count=1")
	argv, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), childArgsEnv+"="+string(argv))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("child process: %v", err)
	}
	return code, out.String(), errOut.String()
}

// TestMoneyCommandsReRunAfterLostAnswer: `paydesk refund` and `paydesk
// credit` reach Stripe through a proxy that drops Stripe's answer; the
// same command run again (in this process, and in a second process on the
// same cache) resolves the earlier intent instead of sending a new one:
// exactly one refund and one balance adjustment on the sandbox.
func TestMoneyCommandsReRunAfterLostAnswer(t *testing.T) {
	clearEnv(t)
	db := filepath.Join(t.TempDir(), "money.db")
	sb, err := sandbox.New(sandbox.Options{Seed: 4, Customers: 30})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	px, err := lostanswer.Start(base)
	if err != nil {
		t.Fatal(err)
	}
	defer px.Close()
	t.Setenv("STRIPE_SECRET_KEY", sb.APIKey())
	t.Setenv("STRIPE_API_BASE", px.URL)
	if code, _, errOut := runCLI(t, "sync", "--db", db); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	code, out, _ := runCLI(t, "ls", "charges", "--status", "succeeded", "--json", "--limit", "200", "--db", db)
	if code != 0 {
		t.Fatal("ls charges failed")
	}
	var charge, customer string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ch struct {
			ID             string `json:"id"`
			Customer       string `json:"customer"`
			Amount         int64  `json:"amount"`
			AmountRefunded int64  `json:"amount_refunded"`
			Disputed       bool   `json:"disputed"`
		}
		if json.Unmarshal([]byte(line), &ch) == nil && ch.AmountRefunded == 0 && !ch.Disputed && ch.Amount > 2000 {
			charge, customer = ch.ID, ch.Customer
			break
		}
	}
	if charge == "" {
		t.Fatal("no unrefunded charge in the seeded account")
	}
	mutating := func(method, _ string) bool { return method == "POST" }

	// Refund: the answer is lost; the re-run is a second process.
	refund := []string{"refund", charge, "--amount", "10.00", "--yes", "--db", db}
	px.Set(lostanswer.DropAnswer, mutating)
	code, out, errOut := runCLI(t, refund...)
	px.Set(lostanswer.Pass, nil)
	if code != 1 || !strings.Contains(out, "state pending") || !strings.Contains(errOut, "Run the same command again") {
		t.Fatalf("refund with a lost answer: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runChild(t, refund...)
	if code != 0 || !strings.Contains(out, "went through on Stripe") || !strings.Contains(out, "not sent again") {
		t.Fatalf("re-run in a second process: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := px.Effects("POST", "/v1/refunds"); n != 1 {
		t.Fatalf("the sandbox refunded %d times, want 1: %+v", n, px.Log())
	}

	// Credit: the answer is lost; the re-run is the same command here.
	credit := []string{"credit", customer, "--amount", "5.00", "--description", "goodwill", "--yes", "--db", db}
	px.Set(lostanswer.DropAnswer, mutating)
	if code, out, errOut = runCLI(t, credit...); code != 1 {
		t.Fatalf("credit with a lost answer: exit %d\n%s\n%s", code, out, errOut)
	}
	px.Set(lostanswer.Pass, nil)
	code, out, errOut = runCLI(t, credit...)
	if code != 0 || !strings.Contains(out, "not sent again") {
		t.Fatalf("credit re-run: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := px.Effects("POST", "/v1/customers/"+customer+"/balance_transactions"); n != 1 {
		t.Fatalf("the sandbox adjusted the balance %d times, want 1", n)
	}

	// The grammar on the command line: "1,50" is refused, not read as 150.00.
	code, _, errOut = runCLI(t, "refund", charge, "--amount", "1,50", "--yes", "--db", db)
	if code != 1 || !strings.Contains(strings.ToLower(errOut), "use a point") {
		t.Fatalf(`--amount 1,50: exit %d %q`, code, errOut)
	}
}
