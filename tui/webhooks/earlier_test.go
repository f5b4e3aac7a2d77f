package webhooks_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
	"github.com/paydesk/paydesk/tui/webhooks"
)

// earlierStore logs, in this order:
//
//	evt_zz1 payment_intent.created   pi_1   11:30:00
//	evt_aa2 payment_intent.succeeded pi_1   11:30:00 (same second: conflict)
//	evt_mm3 customer.created         cus_1  11:31:00
//	evt_mm4 invoice.created          in_1   11:32:00 (an object of cus_1)
//	evt_mm5 customer.updated         cus_1  11:33:00
//
// The ids of one second sort against their order, as Stripe's ids do half
// of the time.
func earlierStore(t *testing.T) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	v := storage.APIVersion
	pi := map[string]any{"id": "pi_1", "object": "payment_intent", "amount": 2000, "currency": "usd",
		"customer": "cus_1", "status": "requires_payment_method", "created": at(11, 30, 0).Unix()}
	piPaid := map[string]any{"id": "pi_1", "object": "payment_intent", "amount": 2000, "currency": "usd",
		"customer": "cus_1", "status": "succeeded", "created": at(11, 30, 0).Unix()}
	cus := map[string]any{"id": "cus_1", "object": "customer", "email": "a@example.com", "created": at(11, 31, 0).Unix()}
	cus2 := map[string]any{"id": "cus_1", "object": "customer", "email": "b@example.com", "created": at(11, 31, 0).Unix()}
	in := map[string]any{"id": "in_1", "object": "invoice", "customer": "cus_1", "status": "draft",
		"currency": "usd", "amount_due": 2000, "created": at(11, 32, 0).Unix()}
	for _, raw := range [][]byte{
		event("evt_zz1", "payment_intent.created", at(11, 30, 0), pi, v),
		event("evt_aa2", "payment_intent.succeeded", at(11, 30, 0), piPaid, v),
		event("evt_mm3", "customer.created", at(11, 31, 0), cus, v),
		event("evt_mm4", "invoice.created", at(11, 32, 0), in, v),
		event("evt_mm5", "customer.updated", at(11, 33, 0), cus2, v),
	} {
		if _, err := s.ApplyEvent(raw, &storage.Delivery{At: now.UnixNano(), Source: "webhook", Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// diffOf opens the detail page of the delivery of eventID and returns the
// diff tab as shown.
func diffOf(t *testing.T, store *storage.Store, eventID string) string {
	t.Helper()
	ds, err := store.Deliveries(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var d storage.Delivery
	for _, x := range ds {
		if x.EventID == eventID {
			d = x
		}
	}
	if d.EventID == "" {
		t.Fatalf("no delivery of %s", eventID)
	}
	h := pagetest.New(webhooks.NewDetail(pagetest.Session(store, now), d))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(120, 36))
	t.Cleanup(func() { tm.Quit() })
	waitFor(t, tm, "[event JSON]")
	typeKeys(tm, "d")
	waitFor(t, tm, "[diff]")
	return final(t, tm).View()
}

// The diff of a payment_intent.succeeded logged in the same second as its
// payment_intent.created compares against it, though its id sorts first.
func TestDiffFindsEarlierEventOfTheSameSecond(t *testing.T) {
	view := diffOf(t, earlierStore(t), "evt_aa2")
	if strings.Contains(view, "no earlier event") || !strings.Contains(view, "as of evt_zz1") {
		t.Fatalf("diff of evt_aa2 misses evt_zz1:\n%s", view)
	}
	if !strings.Contains(view, `-   "status": "requires_payment_method"`) || !strings.Contains(view, `+   "status": "succeeded"`) {
		t.Fatalf("diff does not show the status change:\n%s", view)
	}
	// The first event of the object has nothing before it.
	if v := diffOf(t, earlierStore(t), "evt_zz1"); !strings.Contains(v, "no earlier event for pi_1") {
		t.Fatalf("diff of evt_zz1:\n%s", v)
	}
}

// A customer's diff compares the customer with its own earlier event, never
// with an event of one of its invoices.
func TestDiffOfCustomerSkipsItsOtherObjects(t *testing.T) {
	view := diffOf(t, earlierStore(t), "evt_mm5")
	if !strings.Contains(view, "as of evt_mm3") {
		t.Fatalf("diff of evt_mm5 is not against evt_mm3:\n%s", view)
	}
	if strings.Contains(view, `"invoice"`) {
		t.Fatalf("customer diffed against an invoice:\n%s", view)
	}
}
