package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

// A refetch of a deleted customer answers the stub {"id","object","deleted"};
// written over the cached copy it must keep the last known details and
// leave the lists, not blank the page.
func TestDeletedStubKeepsLastKnownDetails(t *testing.T) {
	s := openTest(t, Options{})
	if err := s.PutObject(customerJSON("cus_gone", 1000, "jane@example.test", "Jane Roe", -500), 1000); err != nil {
		t.Fatal(err)
	}
	stub := []byte(`{"id":"cus_gone","object":"customer","deleted":true}`)
	if err := s.PutObject(stub, 2000); err != nil {
		t.Fatal(err)
	}
	env, err := s.Get(KindCustomer, "cus_gone")
	if err != nil {
		t.Fatal(err)
	}
	if !env.Deleted || env.Name != "Jane Roe" || env.Email != "jane@example.test" || env.Status != "deleted" {
		t.Fatalf("deleted stub: got deleted=%v name=%q email=%q status=%q, want last known details marked deleted", env.Deleted, env.Name, env.Email, env.Status)
	}
	if !json.Valid(env.Raw) || isDeletedStub(env.Raw) {
		t.Fatalf("raw is the stub, want the last known copy: %s", env.Raw)
	}
	if n, _ := s.Count(KindCustomer); n != 0 {
		t.Fatalf("count after delete = %d, want 0", n)
	}
	p, err := s.List(Query{Kind: KindCustomer, Limit: 10})
	if err != nil || len(p.Items) != 0 {
		t.Fatalf("list after delete: %d items, err %v; want none", len(p.Items), err)
	}
	// A stub for an id never cached is kept as a stub, deleted.
	if err := s.PutObject([]byte(`{"id":"prod_gone","object":"product","deleted":true}`), 2000); err != nil {
		t.Fatal(err)
	}
	if env, err := s.Get(KindProduct, "prod_gone"); err != nil || !env.Deleted {
		t.Fatalf("stub of an uncached product: %+v %v", env.Fields, err)
	}
}

// customer.deleted carries the full last state: the copy is marked deleted.
func TestDeletedEventMarksDeleted(t *testing.T) {
	s := openTest(t, Options{})
	cu := customerJSON("cus_del", 1000, "a@example.test", "A", 0)
	for _, ev := range [][]byte{eventJSON("evt_1", "customer.created", 1000, cu), eventJSON("evt_2", "customer.deleted", 1100, cu)} {
		if _, err := s.ApplyEvent(ev, nil); err != nil {
			t.Fatal(err)
		}
	}
	env, err := s.Get(KindCustomer, "cus_del")
	if err != nil || !env.Deleted || env.Status != "deleted" || env.Name != "A" {
		t.Fatalf("after customer.deleted: %+v %v", env.Fields, err)
	}
}

func TestMarkDeleted(t *testing.T) {
	s := openTest(t, Options{})
	if err := s.PutObject(invoiceJSON("in_draft", "cus_1", "draft", 1000, 900), 1000); err != nil {
		t.Fatal(err)
	}
	// An event newer than the reconcile's read wins.
	if ok, err := s.MarkDeleted(KindInvoice, "in_draft", 900); err != nil || ok {
		t.Fatalf("older mark: wrote=%v err=%v, want skipped", ok, err)
	}
	if ok, err := s.MarkDeleted(KindInvoice, "in_draft", 2000); err != nil || !ok {
		t.Fatalf("mark: wrote=%v err=%v", ok, err)
	}
	env, _ := s.Get(KindInvoice, "in_draft")
	if !env.Deleted || env.Number == "" {
		t.Fatalf("marked invoice: %+v", env.Fields)
	}
	p, _ := s.List(Query{Kind: KindInvoice, Customer: "cus_1", Limit: 5})
	if len(p.Items) != 0 {
		t.Fatalf("deleted draft still listed for its customer")
	}
	if ok, err := s.MarkDeleted(KindInvoice, "in_never", 2000); err != nil || ok {
		t.Fatalf("uncached id: wrote=%v err=%v", ok, err)
	}
}

// A thin event (v2.core.event, RFC 3339 created, no data.object) is
// recorded with its related object, never rejected.
func TestThinEventRecorded(t *testing.T) {
	s := openTest(t, Options{})
	raw := []byte(`{"id":"evt_test_thin0001","object":"v2.core.event","type":"v1.billing.meter.error_report_triggered","livemode":false,"created":"2026-11-20T10:15:00.000Z","reason":null,"related_object":{"id":"mtr_test_0001","type":"billing.meter","url":"/v1/billing/meters/mtr_test_0001"}}`)
	d := &Delivery{Source: "webhook"}
	res, err := s.ApplyEvent(raw, d)
	if err != nil {
		t.Fatalf("thin event: %v", err)
	}
	if res.Verdict != VerdictRecorded || res.ObjectID != "mtr_test_0001" || res.Created != 1795169700 || !res.Thin {
		t.Fatalf("thin event result: %+v", res)
	}
	if d.ObjectID != "mtr_test_0001" || d.Verdict != VerdictRecorded {
		t.Fatalf("receipt: %+v", d)
	}
	if _, err := s.Event("evt_test_thin0001"); err != nil {
		t.Fatalf("thin event not stored: %v", err)
	}
	evs, _ := s.EventsFor("mtr_test_0001", 5)
	if len(evs) != 1 || evs[0].Type != "v1.billing.meter.error_report_triggered" {
		t.Fatalf("events for related object: %+v", evs)
	}
	if res, _ := s.ApplyEvent(raw, nil); res.Verdict != VerdictDuplicate {
		t.Fatalf("second delivery: %s, want duplicate", res.Verdict)
	}
	if _, err := s.ApplyEvent([]byte(`{"id":"evt_x","object":"v2.core.event","type":"t","created":"yesterday"}`), nil); !errors.Is(err, ErrMalformedEvent) {
		t.Fatalf("thin event with a bad time: %v, want malformed", err)
	}
}

// An event with a top-level account belongs to a connected account: it is
// recorded with the account, and the platform's cache is not touched.
func TestConnectEventKeptApart(t *testing.T) {
	s := openTest(t, Options{})
	ch := json.RawMessage(`{"id":"ch_conn","object":"charge","amount":1000,"currency":"usd","customer":"cus_conn","created":1000,"status":"succeeded"}`)
	var ev map[string]any
	_ = json.Unmarshal(eventJSON("evt_conn", "charge.succeeded", 1000, ch), &ev)
	ev["account"] = "acct_1Conn"
	raw, _ := json.Marshal(ev)
	d := &Delivery{}
	res, err := s.ApplyEvent(raw, d)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != VerdictRecorded || res.Account != "acct_1Conn" || d.Account != "acct_1Conn" {
		t.Fatalf("connect event: %+v receipt %+v", res, d)
	}
	if _, err := s.Get(KindCharge, "ch_conn"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("connected account's charge was applied to the platform cache: %v", err)
	}
	if res, _ := s.ReplayEvent("evt_conn", nil); res.Verdict != VerdictRecorded {
		t.Fatalf("replay applied a connect event: %+v", res)
	}
}

// A dispute (or refund) cached before its charge gets the charge's customer
// when the charge arrives, and shows up under that customer.
func TestLateLinkResolvedWhenChargeArrives(t *testing.T) {
	s := openTest(t, Options{})
	dp := json.RawMessage(`{"id":"dp_late","object":"dispute","amount":700,"currency":"usd","charge":"ch_late","created":1000,"status":"needs_response"}`)
	re := json.RawMessage(`{"id":"re_late","object":"refund","amount":100,"currency":"usd","charge":"ch_late","created":1001,"status":"succeeded"}`)
	ch := json.RawMessage(`{"id":"ch_late","object":"charge","amount":700,"currency":"usd","customer":"cus_late","created":900,"status":"succeeded"}`)
	for _, ev := range [][]byte{eventJSON("evt_dp", "charge.dispute.created", 1000, dp), eventJSON("evt_re", "refund.created", 1001, re)} {
		if _, err := s.ApplyEvent(ev, nil); err != nil {
			t.Fatal(err)
		}
	}
	if env, _ := s.Get(KindDispute, "dp_late"); env.Customer != "" {
		t.Fatalf("dispute has a customer before its charge: %q", env.Customer)
	}
	if _, err := s.ApplyEvent(eventJSON("evt_ch", "charge.succeeded", 1002, ch), nil); err != nil {
		t.Fatal(err)
	}
	for _, k := range []Kind{KindDispute, KindRefund} {
		p, err := s.List(Query{Kind: k, Customer: "cus_late", Limit: 5})
		if err != nil || len(p.Items) != 1 || p.Items[0].Customer != "cus_late" {
			t.Fatalf("%s of cus_late after the charge arrived: %d items, err %v", k, len(p.Items), err)
		}
	}
}

// Every kind Stripe deletes is marked deleted by its *.deleted event (a
// draft invoice, a product, a price), keeping the state the event carries;
// customer.subscription.deleted is a cancellation, not a deletion.
func TestDeletedEventsOfEveryKind(t *testing.T) {
	s := openTest(t, Options{})
	objs := map[string]json.RawMessage{
		"invoice.deleted":               invoiceJSON("in_draft1", "cus_1", "draft", 1000, 700),
		"product.deleted":               json.RawMessage(`{"id":"prod_1","object":"product","name":"Seats","created":1000}`),
		"price.deleted":                 json.RawMessage(`{"id":"price_1","object":"price","unit_amount":500,"currency":"usd","created":1000}`),
		"customer.subscription.deleted": json.RawMessage(`{"id":"sub_1","object":"subscription","status":"canceled","customer":"cus_1","created":1000}`),
	}
	i := 0
	for typ, obj := range objs {
		i++
		if _, err := s.ApplyEvent(eventJSON(fmt.Sprintf("evt_del_%d", i), typ, 2000, obj), nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		kind    Kind
		id      string
		deleted bool
	}{{KindInvoice, "in_draft1", true}, {KindProduct, "prod_1", true}, {KindPrice, "price_1", true}, {KindSubscription, "sub_1", false}} {
		env, err := s.Get(c.kind, c.id)
		if err != nil || env.Deleted != c.deleted {
			t.Errorf("%s %s: deleted=%v err=%v, want deleted=%v", c.kind, c.id, env.Deleted, err, c.deleted)
		}
	}
}

// A dispute whose charge is never cached gets its customer from its payment
// intent when that arrives; one cached after the intent gets it at once.
func TestLateLinkResolvedByPaymentIntent(t *testing.T) {
	s := openTest(t, Options{})
	dp := json.RawMessage(`{"id":"dp_pi","object":"dispute","amount":700,"currency":"usd","charge":"ch_never","payment_intent":"pi_late","created":1000,"status":"needs_response"}`)
	pi := json.RawMessage(`{"id":"pi_late","object":"payment_intent","amount":700,"currency":"usd","customer":"cus_pi","created":900,"status":"succeeded"}`)
	re := json.RawMessage(`{"id":"re_pi","object":"refund","amount":100,"currency":"usd","charge":"ch_never","payment_intent":"pi_late","created":1003,"status":"succeeded"}`)
	for i, ev := range [][]byte{eventJSON("evt_dp", "charge.dispute.created", 1000, dp), eventJSON("evt_pi", "payment_intent.succeeded", 1002, pi), eventJSON("evt_re", "refund.created", 1003, re)} {
		if _, err := s.ApplyEvent(ev, nil); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	for _, k := range []Kind{KindDispute, KindRefund} {
		p, err := s.List(Query{Kind: k, Customer: "cus_pi", Limit: 5})
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("%s of cus_pi: %d items, err %v", k, len(p.Items), err)
		}
	}
}
