package billing

import (
	"context"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// openInvoices returns open invoices with an amount, from the cache.
func (e *actionEnv) openInvoices(n int) []string {
	e.t.Helper()
	var out []string
	q := storage.Query{Kind: storage.KindInvoice, Status: "open", Limit: 100}
	page, err := e.store.List(q)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, env := range page.Items {
		if env.Amount > 0 && len(out) < n {
			out = append(out, env.ID)
		}
	}
	if len(out) < n {
		e.t.Fatalf("seed has %d open invoices, want %d", len(out), n)
	}
	return out
}

// setPaymentMethod makes a customer's default payment method pm.
func (e *actionEnv) setPaymentMethod(customer, pm string) {
	e.t.Helper()
	_, _, err := e.acts.do(context.Background(), Call{Method: "POST", Path: "/v1/customers/" + customer,
		Form: []Param{{"invoice_settings[default_payment_method]", pm}}}, "pd_setup_"+randHex(6))
	if err != nil {
		e.t.Fatal(err)
	}
}

func TestActionInvoiceEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true, customers: 120})
	ctx := context.Background()
	ids := e.openInvoices(4)
	cases := []struct {
		act    Action
		status string
	}{
		{ActionInvoicePay, "paid"},
		{ActionInvoiceVoid, "void"},
		{ActionInvoiceUncollect, "uncollectible"},
		{ActionInvoiceSend, "open"},
	}
	for i, c := range cases {
		t.Run(string(c.act), func(t *testing.T) {
			id := ids[i]
			inv := e.obj(storage.KindInvoice, id)
			if c.act == ActionInvoicePay {
				e.setPaymentMethod(str(inv, "customer"), "pm_card_visa")
			}
			p := mustPlan(t)(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: id, Action: c.act}))
			if p.Currency != str(inv, "currency") || !strings.HasPrefix(lineValue(p, "Status"), "open") {
				t.Fatalf("plan %+v", p)
			}
			if c.act == ActionInvoicePay && p.Amount != num(inv, "amount_remaining") {
				t.Fatalf("pay plan amount %d, invoice remaining %d", p.Amount, num(inv, "amount_remaining"))
			}
			r := mustExec(t, e.acts, p)
			if r.ResultID != id {
				t.Fatalf("result %+v", r)
			}
			if got := str(e.obj(storage.KindInvoice, id), "status"); got != c.status {
				t.Fatalf("sandbox invoice status %q, want %q", got, c.status)
			}
			if c.act != ActionInvoiceSend {
				e.waitCache(storage.KindInvoice, id, "status "+c.status, func(m map[string]any) bool { return str(m, "status") == c.status })
			}
			e.checkAudit(p, r, OutcomeSucceeded)
			// The new status closes the door on a second, fresh plan.
			if c.act != ActionInvoiceSend {
				wantField(t, errOf(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: id, Action: c.act})), "invoice")
			}
		})
	}
	if _, err := e.acts.PrepareInvoice(ctx, support, InvoiceRequest{Invoice: ids[3], Action: ActionInvoiceVoid}); err == nil {
		t.Fatal("support may not void invoices")
	}
	wantField(t, errOf(e.acts.PrepareInvoice(ctx, admin, InvoiceRequest{Invoice: ids[3], Action: ActionRefund})), "action")
}

func TestActionInvoicePayDeclined(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 120})
	ctx := context.Background()
	id := e.openInvoices(1)[0]
	e.setPaymentMethod(str(e.obj(storage.KindInvoice, id), "customer"), "pm_card_chargeDeclinedInsufficientFunds")
	p := mustPlan(t)(e.acts.PrepareInvoice(ctx, admin, InvoiceRequest{Invoice: id, Action: ActionInvoicePay}))
	r, err := e.acts.Execute(ctx, p)
	if err == nil || r.State != storage.IntentFailed {
		t.Fatalf("declined pay: %+v %v", r, err)
	}
	msg := ExplainAction(err)
	if !strings.Contains(msg, "Card declined: insufficient funds (insufficient_funds)") {
		t.Fatalf("ExplainAction = %q", msg)
	}
	rec := e.checkAudit(p, r, OutcomeFailed)
	if !strings.Contains(rec.Detail, "insufficient_funds") {
		t.Fatalf("audit detail %q", rec.Detail)
	}
	if got := str(e.obj(storage.KindInvoice, id), "status"); got != "open" {
		t.Fatalf("declined invoice status %q", got)
	}
	// Lookup: only a status change counts.
	if _, found, err := e.acts.lookupInvoice(ctx, storage.Intent{Action: string(ActionInvoicePay), Target: id}); err != nil || found {
		t.Fatalf("lookup of an unpaid invoice: %v %v", found, err)
	}
}
