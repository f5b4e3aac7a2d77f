package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// TestCLIReRunReusesDryRunKeyAndRefusesRepeat: the dry run of `paydesk
// credit-note … --refund` prints an idempotency key and the --yes run of
// the same command sends with that key; the same command run again is
// refused, naming the earlier request and its credit note, and sends
// nothing (one credit note, one refund); the refusal is audited; --again
// sends a second one.
func TestCLIReRunReusesDryRunKeyAndRefusesRepeat(t *testing.T) {
	db, base, px := cliSandbox(t)
	cus := stripePost(t, base, "/v1/customers", url.Values{"email": {"rerun@example.com"}})
	inv := cliDraft(t, base, cus) // $25.00
	stripePost(t, base, "/v1/invoices/"+inv+"/finalize", url.Values{})
	stripePost(t, base, "/v1/invoices/"+inv+"/pay", url.Values{"payment_method": {"pm_card_visa"}})
	args := []string{"credit-note", inv, "--amount", "5", "--refund", "5", "--db", db}
	keyRE := regexp.MustCompile(`pd_[0-9a-f]+`)

	code, out, errOut := runCLI(t, args...)
	planned := keyRE.FindString(out)
	if code != 1 || planned == "" || !strings.Contains(errOut, "add --yes") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out2, _ := runCLI(t, args...); code != 1 || keyRE.FindString(out2) != planned {
		t.Fatalf("second dry run prints another key: %s", out2)
	}
	code, out, errOut = runCLI(t, append(args, "--yes")...)
	cn := regexp.MustCompile(`cn_[0-9A-Za-z]+`).FindString(out)
	if code != 0 || cn == "" || !strings.Contains(out, "idempotency key "+planned+"\n") {
		t.Fatalf("--yes after the dry run (want key %s): exit %d\n%s\n%s", planned, code, out, errOut)
	}

	code, out, errOut = runCLI(t, append(args, "--yes")...)
	if code != 1 || !strings.Contains(errOut, "key "+planned) || !strings.Contains(errOut, "as "+cn) || !strings.Contains(errOut, "--again") ||
		!strings.Contains(out, "already went through") {
		t.Fatalf("re-run: exit %d\n%s\n%s", code, out, errOut)
	}
	if n, r := px.Effects("POST", "/v1/credit_notes"), sandboxGet(t, base, "/v1/credit_notes?invoice="+inv)["data"].([]any); n != 1 || len(r) != 1 {
		t.Fatalf("after the refused re-run: %d credit-note POSTs, %d credit notes", n, len(r))
	}
	st, err := storage.Open(db, storage.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.Audit(0, 1)
	_ = st.Close()
	if err != nil || len(recs) != 1 || recs[0].Outcome != "refused" || recs[0].Action != "credit_note" || recs[0].Target != inv ||
		!strings.Contains(recs[0].Detail, cn) {
		t.Fatalf("audit of the refused re-run: %+v %v", recs, err)
	}

	code, out, errOut = runCLI(t, append(args, "--yes", "--again")...)
	if code != 0 || !strings.Contains(out, "sent: credit_note "+inv) || strings.Contains(out, "idempotency key "+planned+"\n") {
		t.Fatalf("--again: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := px.Effects("POST", "/v1/credit_notes"); n != 2 {
		t.Fatalf("%d credit notes after --again, want 2", n)
	}
}
