package billing

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// oneOffDraft creates, on the sandbox, a pending invoice item of amount
// (minor units) for customer and a one-off draft invoice that takes it.
func (e *actionEnv) oneOffDraft(customer string, amount int64) string {
	e.t.Helper()
	ctx := context.Background()
	cur := str(e.obj(storage.KindCustomer, customer), "currency")
	if cur == "" {
		cur = "usd"
	}
	_, _, err := e.acts.do(ctx, Call{Method: http.MethodPost, Path: "/v1/invoiceitems", Form: []Param{
		{"customer", customer}, {"amount", jsonInt(amount)}, {"currency", cur}, {"description", "Setup fee"}}}, "pd_setup_"+randHex(6))
	if err != nil {
		e.t.Fatal(err)
	}
	raw, _, err := e.acts.do(ctx, Call{Method: http.MethodPost, Path: "/v1/invoices", Form: []Param{
		{"customer", customer}, {"pending_invoice_items_behavior", "include"}}}, "pd_setup_"+randHex(6))
	if err != nil {
		e.t.Fatal(err)
	}
	id, _ := objectID(raw)
	return id
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// aCustomer is a live customer of the seed.
func (e *actionEnv) aCustomer(skip ...string) string {
	return e.find(storage.KindCustomer, "live", func(m map[string]any) bool {
		return !boolean(m, "deleted") && !contains(skip, str(m, "id"))
	})
}

func TestActionDraftFinalizeAndDelete(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true, customers: 60})
	ctx := context.Background()
	cus := e.aCustomer()
	fin, del := e.oneOffDraft(cus, 4200), e.oneOffDraft(e.aCustomer(cus), 1500)
	for _, id := range []string{fin, del} {
		e.waitCache(storage.KindInvoice, id, "draft cached", func(m map[string]any) bool { return str(m, "status") == "draft" })
		raw, _ := json.Marshal(e.obj(storage.KindInvoice, id))
		for _, act := range []Action{ActionInvoiceFinalize, ActionInvoiceDelete} {
			if why := NotApplicable(act, storage.KindInvoice, raw); why != "" {
				t.Fatalf("%s not offered on the draft %s: %s", act, id, why)
			}
		}
		for _, act := range []Action{ActionInvoicePay, ActionInvoiceVoid, ActionInvoiceSend} {
			if why := NotApplicable(act, storage.KindInvoice, raw); why == "" {
				t.Fatalf("%s offered on a draft", act)
			}
		}
	}
	if _, err := e.acts.PrepareInvoice(ctx, support, InvoiceRequest{Invoice: fin, Action: ActionInvoiceFinalize}); err == nil {
		t.Fatal("support may not finalize invoices")
	}

	// Finalize: numbered and open.
	p := mustPlan(t)(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: fin, Action: ActionInvoiceFinalize}))
	if p.Call.String() != "POST /v1/invoices/"+fin+"/finalize" || p.Irreversible() || lineValue(p, "Status") != "draft → open" ||
		!strings.Contains(lineValue(p, "Total"), "42.00") {
		t.Fatalf("finalize plan %s irreversible=%v lines %+v", p.Call, p.Irreversible(), p.Lines)
	}
	r := mustExec(t, e.acts, p)
	inv := e.obj(storage.KindInvoice, fin)
	if r.ResultID != fin || str(inv, "status") != "open" || str(inv, "number") == "" {
		t.Fatalf("finalized: %+v status %s number %q", r, str(inv, "status"), str(inv, "number"))
	}
	e.waitCache(storage.KindInvoice, fin, "status open", func(m map[string]any) bool { return str(m, "status") == "open" })
	e.checkAudit(p, r, OutcomeSucceeded)
	if _, found, err := e.acts.lookupInvoice(ctx, storage.Intent{Action: string(ActionInvoiceFinalize), Target: fin}); err != nil || !found {
		t.Fatalf("lookup of the finalized draft: %v %v", found, err)
	}
	// Open now: neither finalized again nor deleted.
	wantField(t, errOf(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: fin, Action: ActionInvoiceFinalize})), "invoice")
	wantField(t, errOf(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: fin, Action: ActionInvoiceDelete})), "invoice")

	// Delete: irreversible, the word is "delete"; then gone.
	if _, found, err := e.acts.lookupInvoice(ctx, storage.Intent{Action: string(ActionInvoiceDelete), Target: del}); err != nil || found {
		t.Fatalf("lookup of a draft not deleted: %v %v", found, err)
	}
	p = mustPlan(t)(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: del, Action: ActionInvoiceDelete}))
	if p.Call.String() != "DELETE /v1/invoices/"+del || !p.Irreversible() || p.ConfirmWord() != "delete" {
		t.Fatalf("delete plan %s irreversible=%v word %q", p.Call, p.Irreversible(), p.ConfirmWord())
	}
	r = mustExec(t, e.acts, p)
	if r.ResultID != del {
		t.Fatalf("deleted: %+v", r)
	}
	if _, err := e.client.Retrieve(ctx, storage.KindInvoice, del); !IsNotFound(err) {
		t.Fatalf("a deleted draft is still retrieved: %v", err)
	}
	e.checkAudit(p, r, OutcomeSucceeded)
	deadline := time.Now().Add(10 * time.Second)
	for {
		env, err := e.store.Get(storage.KindInvoice, del)
		if err == nil && env.Deleted {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("invoice.deleted did not mark %s deleted in the cache: %+v %v", del, env, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, found, err := e.acts.lookupInvoice(ctx, storage.Intent{Action: string(ActionInvoiceDelete), Target: del}); err != nil || !found {
		t.Fatalf("lookup of the deleted draft: %v %v", found, err)
	}
}

// draftAndAcceptLostCases are the lost-answer cases of credit notes and
// their void, draft finalize, draft delete and dispute acceptance, each on its own target (skipping
// the dispute taken by another case).
func (e *actionEnv) draftAndAcceptLostCases(taken string) []lostCase {
	e.t.Helper()
	cus := e.aCustomer()
	fin, del := e.oneOffDraft(cus, 2500), e.oneOffDraft(cus, 900)
	dp := e.find(storage.KindDispute, "needing a response", func(m map[string]any) bool {
		_, open := disputeClosedBy[str(m, "status")]
		return open && str(m, "id") != taken
	})
	invoice := func(id string, act Action) func(context.Context, *Actions) (*Plan, error) {
		return func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: id, Action: act})
		}
	}
	// An open invoice to credit, and a credit note on another to void.
	ctx := context.Background()
	credit, voidOn := e.oneOffDraft(cus, 3000), e.oneOffDraft(cus, 3000)
	for _, id := range []string{credit, voidOn} {
		if _, _, err := e.acts.do(ctx, Call{Method: http.MethodPost, Path: "/v1/invoices/" + id + "/finalize"}, "pd_setup_"+randHex(6)); err != nil {
			e.t.Fatal(err)
		}
	}
	raw, _, err := e.acts.do(ctx, Call{Method: http.MethodPost, Path: "/v1/credit_notes", Form: []Param{{"invoice", voidOn}, {"amount", "700"}}}, "pd_setup_"+randHex(6))
	if err != nil {
		e.t.Fatal(err)
	}
	cn, _ := objectID(raw)
	return []lostCase{
		{"credit_note", "POST", "/v1/credit_notes", func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: credit, Amount: "4.00", Reason: "duplicate"})
		}},
		{"credit_note_void", "POST", "/v1/credit_notes/" + cn + "/void", func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareCreditNoteVoid(ctx, finance, CreditNoteVoidRequest{CreditNote: cn})
		}},
		{"invoice_finalize", "POST", "/v1/invoices/" + fin + "/finalize", invoice(fin, ActionInvoiceFinalize)},
		{"invoice_delete", "DELETE", "/v1/invoices/" + del, invoice(del, ActionInvoiceDelete)},
		{"dispute_accept", "POST", "/v1/disputes/" + dp + "/close", func(ctx context.Context, a *Actions) (*Plan, error) {
			return a.PrepareDisputeAccept(ctx, finance, DisputeAcceptRequest{Dispute: dp})
		}},
	}
}
