package billing

import (
	"context"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// TestDiscountConfirmationNamesTheCustomersDiscount: with 5% on the
// customer, the confirmation of a subscription coupon says the customer's
// discount applies now and that the subscription's will override it; a
// code typed in lower case is the same promotion code (Stripe matches
// codes case-insensitively); a one-off invoice's confirmation names the
// customer's discount Stripe will take off it.
func TestDiscountConfirmationNamesTheCustomersDiscount(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	sub := e.find(storage.KindSubscription, "active", func(m map[string]any) bool { return str(m, "status") == "active" })
	cus := str(e.obj(storage.KindSubscription, sub), "customer")
	mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: cus, Mode: DiscountApply, Code: "partner5"})))

	p := mustPlan(t)(e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: sub, Mode: DiscountApply, Code: "spring25"}))
	if got := lineValue(p, "Current discount"); !strings.Contains(got, "the customer's applies") || !strings.Contains(got, "5% off") {
		t.Fatalf("current discount %q", got)
	}
	// The code as Stripe spells it, not as it was typed.
	if !strings.HasPrefix(lineValue(p, "Promotion code"), "SPRING25 (promo_") {
		t.Fatalf("promotion code line %q", lineValue(p, "Promotion code"))
	}
	found := false
	for _, w := range p.Warnings {
		found = found || strings.Contains(w, "overrides the customer's discount")
	}
	if !found {
		t.Fatalf("warnings %q", p.Warnings)
	}
	// A one-off invoice of that customer says the discount comes off it.
	oneOff := mustPlan(t)(e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: cus, Items: twoItems}))
	if got := lineValue(oneOff, "Discount"); !strings.Contains(got, "5% off") {
		t.Fatalf("one-off discount line %q", got)
	}
}
