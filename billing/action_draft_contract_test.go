package billing

import (
	"context"
	"testing"
)

// draftAcceptContractPlans prepares, against stripe-mock, the draft
// finalize and delete (its fixture invoice is a draft) and the dispute
// acceptance (its fixture dispute needs a response).
func draftAcceptContractPlans(t *testing.T, a *Actions) map[string]*Plan {
	t.Helper()
	ctx := context.Background()
	plans := map[string]*Plan{}
	for _, act := range []Action{ActionInvoiceFinalize, ActionInvoiceDelete} {
		p, err := a.PrepareInvoice(ctx, admin, InvoiceRequest{Invoice: "in_1", Action: act})
		if err != nil {
			t.Fatalf("prepare %s against stripe-mock: %v", act, err)
		}
		plans[string(act)] = p
	}
	p, err := a.PrepareDisputeAccept(ctx, admin, DisputeAcceptRequest{Dispute: "dp_1"})
	if err != nil {
		t.Fatalf("prepare dispute acceptance against stripe-mock: %v", err)
	}
	plans["dispute accept"] = p
	return plans
}
