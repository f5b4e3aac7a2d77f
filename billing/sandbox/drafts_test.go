package sandbox

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// TestDraftFinalizedAtItsFinalization: a draft finalized an hour after it
// was created says so: status_transitions.finalized_at and effective_at
// are the time of the finalization, not of the draft's creation.
func TestDraftFinalizedAtItsFinalization(t *testing.T) {
	var now atomic.Int64
	now.Store(t0.Unix())
	_, api, _ := newSandbox(t, Options{Seed: 3, Customers: 2, Now: func() time.Time { return time.Unix(now.Load(), 0) }})
	cus, err := api.Customers.New(&stripe.CustomerParams{Email: stripe.String("draft@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.InvoiceItems.New(&stripe.InvoiceItemParams{Customer: stripe.String(cus.ID), Amount: stripe.Int64(5000),
		Currency: stripe.String("usd"), Description: stripe.String("Workshop")}); err != nil {
		t.Fatal(err)
	}
	inv, err := api.Invoices.New(&stripe.InvoiceParams{Customer: stripe.String(cus.ID), PendingInvoiceItemsBehavior: stripe.String("include")})
	if err != nil {
		t.Fatal(err)
	}
	now.Add(3600)
	inv, err = api.Invoices.FinalizeInvoice(inv.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Created != t0.Unix() || inv.StatusTransitions.FinalizedAt != t0.Unix()+3600 || inv.EffectiveAt != t0.Unix()+3600 {
		t.Fatalf("created %d, finalized_at %d, effective_at %d; want %d, then %d for both", inv.Created,
			inv.StatusTransitions.FinalizedAt, inv.EffectiveAt, t0.Unix(), t0.Unix()+3600)
	}
}
