package actions_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// TestEvidencePrefillsCustomer: the evidence form opens with the cached
// customer's name and email in customer_name and customer_email_address
// when the dispute's evidence has none, keeps what Stripe already holds,
// and sends only the prefilled value that is new.
func TestEvidencePrefillsCustomer(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true, Customers: 150})
	dp := openDispute(e)
	if dp.Customer == "" {
		t.Fatalf("dispute %s has no customer in the cache", dp.ID)
	}
	cu, err := e.Store.Get(storage.KindCustomer, dp.Customer)
	if err != nil {
		t.Fatal(err)
	}
	if cu.Name == "" || cu.Email == "" {
		t.Fatalf("seeded customer %s lacks a name or email: %q %q", cu.ID, cu.Name, cu.Email)
	}

	t.Run("empty evidence", func(t *testing.T) {
		f := open(t, e.Session(actenv.Admin), billing.ActionDisputeEvidence, dp)
		tm, _ := run(t, nil, f)
		focus(t, f, "access_activity_log")
		tabTo(t, tm, f, "customer_email_address")
		waitFor(t, tm, "> "+cu.Email)
		tabTo(t, tm, f, "customer_name")
		waitFor(t, tm, "> "+cu.Name)
	})

	t.Run("Stripe's name kept", func(t *testing.T) {
		// The dispute's evidence already names someone: the form shows
		// that name, and fills only the empty email.
		withName := dp
		withName.Raw = setEvidence(t, dp.Raw, "customer_name", "Name Stripe Has")
		f := open(t, e.Session(actenv.Admin), billing.ActionDisputeEvidence, withName)
		tm, _ := run(t, nil, f)
		focus(t, f, "access_activity_log")
		tabTo(t, tm, f, "customer_name")
		waitFor(t, tm, "> Name Stripe Has")
		if strings.Contains(f.Screen(), cu.Name) {
			t.Fatalf("the cached name %q replaced Stripe's evidence:\n%s", cu.Name, f.Screen())
		}
		submitForm(t, tm, f) // draft is preselected
		waitState(t, f, "confirm")
		call := f.Plan().Call
		if got := call.Get("evidence[customer_email_address]"); got != cu.Email {
			t.Fatalf("prefilled email sent as %q, want %q (%s)", got, cu.Email, call)
		}
		if got := call.Get("evidence[customer_name]"); got != "" {
			t.Fatalf("customer_name sent as %q although Stripe already has it (%s)", got, call)
		}
	})
}

// setEvidence returns a dispute's raw JSON with evidence[field] = value.
func setEvidence(t *testing.T, raw []byte, field, value string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	ev, _ := m["evidence"].(map[string]any)
	if ev == nil {
		ev = map[string]any{}
		m["evidence"] = ev
	}
	ev[field] = value
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEvidenceFormSaysFileAttached: a file field whose evidence Stripe
// already holds says which file is attached and that a path replaces it;
// before, it looked empty, as if nothing had been attached.
func TestEvidenceFormSaysFileAttached(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true, Customers: 150})
	dp := openDispute(e)
	dp.Raw = setEvidence(t, dp.Raw, "receipt", "file_ReceiptOnStripe1")
	f := open(t, e.Session(actenv.Admin), billing.ActionDisputeEvidence, dp)
	tm, _ := run(t, nil, f)
	focus(t, f, "access_activity_log")
	tabTo(t, tm, f, "receipt")
	waitFor(t, tm, "Receipt (attached on Stripe: file_ReceiptOnStripe1; a path replaces it)")
}
