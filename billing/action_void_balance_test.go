package billing

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// creditedCustomer makes a new customer in the sandbox holding credit
// (minor units of cur) through a credit adjustment.
func (e *actionEnv) creditedCustomer(t *testing.T, credit, cur string) string {
	t.Helper()
	ctx := context.Background()
	raw, _, err := e.acts.do(ctx, Call{Method: "POST", Path: "/v1/customers", Form: []Param{{"email", "credit@example.com"}}}, "pd_setup_"+randHex(6))
	if err != nil {
		t.Fatal(err)
	}
	var cus struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &cus); err != nil {
		t.Fatal(err)
	}
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareCredit(ctx, support,
		CreditRequest{Customer: cus.ID, Direction: DirectionCredit, Amount: credit, Currency: cur})))
	return cus.ID
}

// TestOneOffAndVoidSayWhatHappensToTheCredit: a customer with €25.00
// credit billed a one-off €120.00 is told the credit will be applied and
// €95.00 is due (as the finalized invoice then says); voiding that invoice
// says the €25.00 returns to the customer's balance (as it then does), and
// finalizing a €10.00 draft says €10.00 of it will be applied. A customer
// without credit gets neither line.
func TestOneOffAndVoidSayWhatHappensToTheCredit(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	cus := e.creditedCustomer(t, "25", "eur")
	p := mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: cus,
		Items: []OneOffItem{{Amount: "120.00", Description: "Workshop"}}}))
	if got, want := lineValue(p, "Customer balance"), "€25.00 customer credit will be applied · Amount due €95.00"; got != want {
		t.Fatalf("one-off line %q, want %q", got, want)
	}
	inv := mustExec(t, e.acts, p).ResultID
	if due := num(e.obj(storage.KindInvoice, inv), "amount_due"); due != 9500 {
		t.Fatalf("invoice amount_due %d, want 9500", due)
	}
	v := mustPlan(t)(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: inv, Action: ActionInvoiceVoid}))
	if got, want := lineValue(v, "Customer balance"), "€25.00 of customer credit applied to this invoice returns to the customer's balance"; got != want {
		t.Fatalf("void line %q, want %q", got, want)
	}
	r := mustExec(t, e.acts, v)
	// The audit keeps what was voided: the €95.00 still owed (it read "—").
	if rec := e.checkAudit(v, r, OutcomeSucceeded); rec.Amount != 9500 || rec.Currency != "eur" || AmountLabel(ActionInvoiceVoid) != "Amount voided" {
		t.Fatalf("void audit amount %d %s", rec.Amount, rec.Currency)
	}
	if bal := num(e.obj(storage.KindCustomer, cus), "balance"); bal != -2500 {
		t.Fatalf("balance after the void %d, want -2500", bal)
	}

	// A draft of that customer: finalizing it applies the credit too.
	draft := e.oneOffDraft(cus, 1000)
	fin := mustPlan(t)(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: draft, Action: ActionInvoiceFinalize}))
	if got, want := lineValue(fin, "Customer balance"), "€10.00 customer credit will be applied · Amount due €0.00"; got != want {
		t.Fatalf("finalize line %q, want %q", got, want)
	}

	// Without credit: no such line on either.
	plain := e.creditedCustomer(t, "0.01", "eur")
	p = mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: plain,
		Items: []OneOffItem{{Amount: "0.01", Description: "Spent"}}}))
	mustExec(t, e.acts, p) // uses the credit up
	p = mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: plain,
		Items: []OneOffItem{{Amount: "9.00", Description: "Workshop"}}}))
	if got := lineValue(p, "Customer balance"); !strings.HasPrefix(got, "<no line") {
		t.Fatalf("one-off without credit says %q", got)
	}
	inv = mustExec(t, e.acts, p).ResultID
	v = mustPlan(t)(e.acts.PrepareInvoice(ctx, finance, InvoiceRequest{Invoice: inv, Action: ActionInvoiceVoid}))
	if got := lineValue(v, "Customer balance"); !strings.HasPrefix(got, "<no line") {
		t.Fatalf("void without applied credit says %q", got)
	}
}
