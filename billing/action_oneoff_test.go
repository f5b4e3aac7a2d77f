package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/lostanswer"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
)

// oneOffState counts, on the sandbox, the customer's invoices whose
// metadata names key and their invoice items, and the invoice's status.
func (e *actionEnv) oneOffState(customer, key string) (invoices, items int, status string) {
	e.t.Helper()
	var page struct {
		Data []map[string]any `json:"data"`
	}
	raw, err := e.acts.get(context.Background(), "/v1/invoices", []Param{{"customer", customer}, {"limit", "100"}})
	if err != nil || json.Unmarshal(raw, &page) != nil {
		e.t.Fatal(err)
	}
	for _, inv := range page.Data {
		if str(inv, "metadata."+IntentMetadataKey) == key {
			invoices++
			status = str(inv, "status")
		}
	}
	raw, err = e.acts.get(context.Background(), "/v1/invoiceitems", []Param{{"customer", customer}, {"limit", "100"}})
	if err != nil || json.Unmarshal(raw, &page) != nil {
		e.t.Fatal(err)
	}
	for _, it := range page.Data {
		if strings.HasPrefix(str(it, "metadata."+IntentMetadataKey), key+"-item") {
			items++
		}
	}
	return invoices, items, status
}

var twoItems = []OneOffItem{{Amount: "120.00", Description: "Onboarding workshop"}, {Amount: "30", Description: "Travel"}}

func TestActionOneOffInvoiceEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true, customers: 60})
	ctx := context.Background()
	cus := e.aCustomer()
	req := OneOffInvoiceRequest{Customer: cus, Items: twoItems, Send: true}
	if _, err := e.acts.PrepareOneOffInvoice(ctx, support, req); !errors.Is(err, ErrForbidden) {
		t.Fatalf("support billed an invoice: %v", err)
	}
	wantField(t, errOf(e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: cus})), "items[0].amount")
	wantField(t, errOf(e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: cus,
		Items: []OneOffItem{{Amount: "5"}}})), "items[0].description")
	p := mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, req))
	names := []string{}
	for _, st := range p.Call.Steps {
		names = append(names, st.Name)
	}
	if strings.Join(names, ",") != "item1,item2,invoice,finalize,send" || p.Amount != 15000 || !strings.HasSuffix(lineValue(p, "Total"), "150.00") {
		t.Fatalf("plan steps %v amount %d lines %+v", names, p.Amount, p.Lines)
	}
	r := mustExec(t, e.acts, p)
	inv := e.obj(storage.KindInvoice, r.ResultID)
	if str(inv, "status") != "open" || num(inv, "total") != 15000 || str(inv, "customer") != cus ||
		str(inv, "metadata."+IntentMetadataKey) != p.Key {
		t.Fatalf("invoice %s: status %s total %d", r.ResultID, str(inv, "status"), num(inv, "total"))
	}
	e.checkAudit(p, r, OutcomeSucceeded)
	in, _ := e.store.Intent(p.Key)
	var call Call
	_ = json.Unmarshal(in.Params, &call)
	for _, st := range call.Steps {
		if st.ResultID == "" {
			t.Fatalf("step %s not recorded on the intent: %s", st.Name, in.Params)
		}
	}
	if id, found, err := e.acts.lookupOneOff(ctx, in); err != nil || !found || id != r.ResultID {
		t.Fatalf("lookup: %s %v %v", id, found, err)
	}
	e.waitCache(storage.KindInvoice, r.ResultID, "open", func(m map[string]any) bool { return str(m, "status") == "open" })
}

// TestOneOffInvoiceLostAnswerAtEachStep: Stripe acts on a step and its
// answer is lost; asking again (a re-run, or Resume) continues from that
// step: one invoice, each item once, finalized.
func TestOneOffInvoiceLostAnswerAtEachStep(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 60})
	ctx := context.Background()
	a, px := e.lossyActions()
	var used []string
	for _, c := range []struct {
		name   string
		match  func(method, path string) bool
		resume bool
	}{
		{"item", func(m, p string) bool { return p == "/v1/invoiceitems" }, false},
		{"invoice", func(m, p string) bool { return p == "/v1/invoices" }, true},
		{"finalize", func(m, p string) bool { return strings.HasSuffix(p, "/finalize") }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cus := e.aCustomer(used...)
			used = append(used, cus)
			req := OneOffInvoiceRequest{Customer: cus, Items: twoItems, Currency: "usd"}
			if cur := str(e.obj(storage.KindCustomer, cus), "currency"); cur != "" {
				req.Currency = cur
			}
			p := mustPlan(t)(c0(a.PrepareOneOffInvoice(ctx, finance, req)))
			px.Set(lostanswer.DropAnswer, func(m, p string) bool { return m == "POST" && c.match(m, p) })
			r, err := a.Execute(ctx, p)
			px.Set(lostanswer.Pass, nil)
			if !errors.Is(err, ErrOutcomeUnknown) || r.State != storage.IntentPending {
				t.Fatalf("dropped answer: %+v %v", r, err)
			}
			if c.resume {
				r, err = NewActions(a.c, e.store, Clocks{}).Resume(ctx, finance, p.Key)
				if err != nil || r.State != storage.IntentSucceeded {
					t.Fatalf("resume: %+v %v", r, err)
				}
			} else {
				again := NewActions(a.c, e.store, Clocks{})
				p2, err := again.PrepareOneOffInvoice(ctx, finance, req)
				switch {
				case errors.Is(err, ErrEarlierApplied):
				case err == nil && p2.Earlier && p2.Key == p.Key:
					mustExec(t, again, p2)
				default:
					t.Fatalf("re-run: %v (plan %+v)", err, p2)
				}
			}
			invoices, items, status := e.oneOffState(cus, p.Key)
			if invoices != 1 || items != 2 || status != "open" {
				t.Fatalf("after the lost answer at %s: %d invoices, %d items, status %q", c.name, invoices, items, status)
			}
			if n := px.Effects("POST", "/v1/invoiceitems"); n != 2*len(used) {
				t.Fatalf("%d items created so far, want %d: %v", n, 2*len(used), px.Log())
			}
		})
	}
}

// c0 passes a prepare's answers through (for readability in tables).
func c0(p *Plan, err error) (*Plan, error) {
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	return p, nil
}

// TestOneOffInvoiceResumeAfterKeysExpired: the invoice's answer is lost
// and the intent is resumed a day later, when Stripe no longer replays its
// keys: the steps are looked up on Stripe by their metadata, so the
// invoice is not created again, only finalized.
func TestOneOffInvoiceResumeAfterKeysExpired(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 60})
	ctx := context.Background()
	a, px := e.lossyActions()
	cus := e.aCustomer()
	req := OneOffInvoiceRequest{Customer: cus, Items: twoItems, Currency: "usd"}
	if cur := str(e.obj(storage.KindCustomer, cus), "currency"); cur != "" {
		req.Currency = cur
	}
	p := mustPlan(t)(a.PrepareOneOffInvoice(ctx, finance, req))
	px.Set(lostanswer.DropAnswer, func(m, p string) bool { return m == "POST" && p == "/v1/invoices" })
	if _, err := a.Execute(ctx, p); !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("dropped answer: %v", err)
	}
	px.Set(lostanswer.Pass, nil)
	before := len(px.Log())
	later := testclock.Running()().Add(25 * time.Hour)
	r, err := NewActions(a.c, e.store, Clocks{Wall: func() time.Time { return later }}).Resume(ctx, finance, p.Key)
	if err != nil || r.State != storage.IntentSucceeded || !strings.HasPrefix(r.ResultID, "in_") {
		t.Fatalf("resume a day later: %+v %v", r, err)
	}
	looked := false
	for _, f := range px.Log()[before:] {
		if f.Method == "POST" && (f.Path == "/v1/invoices" || f.Path == "/v1/invoiceitems") {
			t.Fatalf("the resume sent %s %s again instead of finding it: %+v", f.Method, f.Path, px.Log()[before:])
		}
		looked = looked || (f.Method == "GET" && f.Path == "/v1/invoices")
	}
	if !looked {
		t.Fatalf("the resume did not look the invoice up: %+v", px.Log()[before:])
	}
	if invoices, items, status := e.oneOffState(cus, p.Key); invoices != 1 || items != 2 || status != "open" {
		t.Fatalf("%d invoices, %d items, status %q", invoices, items, status)
	}
}

// TestOneOffInvoiceSaysPendingItemsJoin: items already pending on the
// customer go on the invoice too (pending_invoice_items_behavior=include):
// the confirmation says so before anything is sent.
func TestOneOffInvoiceSaysPendingItemsJoin(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 60})
	ctx := context.Background()
	cus := e.aCustomer()
	cur := str(e.obj(storage.KindCustomer, cus), "currency")
	if cur == "" {
		cur = "usd"
	}
	if _, _, err := e.acts.do(ctx, Call{Method: "POST", Path: "/v1/invoiceitems", Form: []Param{{"customer", cus},
		{"amount", "700"}, {"currency", cur}, {"description", "left over"}}}, "pd_setup_"+randHex(6)); err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: cus, Currency: cur, Items: twoItems}))
	if !strings.Contains(lineValue(p, "Also included"), "1 pending item") || len(p.Warnings) == 0 {
		t.Fatalf("no word of the pending item: lines %+v warnings %q", p.Lines, p.Warnings)
	}
	r := mustExec(t, e.acts, p)
	if total := num(e.obj(storage.KindInvoice, r.ResultID), "total"); total != 15700 {
		t.Fatalf("invoice total %d, want the two items and the pending one", total)
	}
}
