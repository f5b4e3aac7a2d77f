package billing

import (
	"context"
	"strings"
	"testing"
)

// TestEveryConfirmationNamesTheCustomer: one confirmation layout for every
// action. Each plan carries a "Customer" row worded the same way, with the
// customer's name or email beside the id. Before, a refund showed a bare
// id, plan changes and cancellations tucked the id into the subscription
// row, and evidence named no customer at all.
func TestEveryConfirmationNamesTheCustomer(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	for _, c := range append(e.lostCases(), e.customerLostCases()...) {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t)(c.prepare(ctx, e.acts))
			var rows []string
			for _, l := range p.Lines {
				if l.Label == "Customer" {
					rows = append(rows, l.Value)
				}
			}
			if len(rows) != 1 || !strings.HasPrefix(rows[0], "cus_") || !strings.Contains(rows[0], " (") {
				t.Fatalf("want one Customer row with a name or email, got %q in %+v", rows, p.Lines)
			}
			for _, l := range p.Lines {
				if l.Label != "Customer" && strings.Contains(l.Value, "customer cus_") {
					t.Fatalf("the customer is worded again in %q: %q", l.Label, l.Value)
				}
			}
		})
	}
}

// TestRetryDoesNotClaimPaid: a payment retry's confirmation says what the
// attempt may do, not that the invoice becomes paid.
func TestRetryDoesNotClaimPaid(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	inv := e.openInvoices(1)[0]
	p := mustPlan(t)(e.acts.PrepareInvoice(context.Background(), finance, InvoiceRequest{Invoice: inv, Action: ActionInvoicePay}))
	for _, l := range p.Lines {
		if l.Label == "Status" {
			if want := "open → paid if the charge succeeds (a decline leaves it open)"; l.Value != want {
				t.Fatalf("Status = %q, want %q", l.Value, want)
			}
			return
		}
	}
	t.Fatalf("no Status row in %+v", p.Lines)
}

// TestAuditSaysWhichFormAnActionTook: the audit record of a cancellation
// says whether it was now, at period end or an undo, and evidence whether
// it was saved or submitted. Before, undoing a cancellation was recorded
// as "cancel", the same as the cancellation it withdrew.
func TestAuditSaysWhichFormAnActionTook(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	want := map[string]string{"cancel_at_period_end": "at period end", "cancel_now": "now",
		"pause_collection": "pause", "dispute_evidence": "draft", "refund": ""}
	var atEnd string
	for _, c := range e.lostCases() {
		v, ok := want[c.name]
		if !ok {
			continue
		}
		p := mustPlan(t)(c.prepare(ctx, e.acts))
		if _, err := e.acts.Execute(ctx, p); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := e.audit(1)[0]; got.Variant != v {
			t.Errorf("%s: audit variant %q, want %q", c.name, got.Variant, v)
		}
		if c.name == "cancel_at_period_end" {
			atEnd = p.Target
		}
	}
	p := mustPlan(t)(e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: atEnd, Mode: CancelUndo}))
	if _, err := e.acts.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := e.audit(1)[0]; got.Action != string(ActionCancel) || got.Variant != "undo" {
		t.Errorf("undo recorded as %q %q", got.Action, got.Variant)
	}
}
