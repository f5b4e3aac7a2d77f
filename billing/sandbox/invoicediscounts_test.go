package sandbox

import (
	"testing"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

func promoID(t *testing.T, api *client.API, code string) string {
	t.Helper()
	it := api.PromotionCodes.List(&stripe.PromotionCodeListParams{Code: stripe.String(code)})
	for it.Next() {
		return it.PromotionCode().ID
	}
	t.Fatalf("no promotion code %s", code)
	return ""
}

// TestDiscountsReachInvoiceTotals: Stripe's rule — a customer's discount
// is taken off its invoices and its upcoming invoice; a subscription's
// discount replaces the customer's; percent_off is of the discountable
// lines, amount_off at most their sum; subtotal stays before the discount,
// total and amount_due are after it, total_discount_amounts names the
// discount; a "once" coupon ends with the first invoice it was applied to.
// Every answer keeps the OpenAPI spec's shape.
func TestDiscountsReachInvoiceTotals(t *testing.T) {
	sb, api, base := newSandbox(t, Options{Seed: 3, Customers: 5})
	cus, sub, err := paidSub(t, api, "pm_card_visa")
	if err != nil {
		t.Fatal(err)
	}
	up, err := api.Invoices.Upcoming(&stripe.InvoiceUpcomingParams{Customer: stripe.String(cus.ID)})
	if err != nil || up.TotalDiscountAmounts != nil && len(up.TotalDiscountAmounts) != 0 {
		t.Fatalf("upcoming without a discount: %v %+v", err, up.TotalDiscountAmounts)
	}
	full := up.Subtotal
	if full <= 0 || up.Total != full {
		t.Fatalf("upcoming before any discount: subtotal %d total %d", up.Subtotal, up.Total)
	}
	check := func(what string, inv *stripe.Invoice, off int64) {
		t.Helper()
		if inv.Subtotal != full || inv.Total != full-off || inv.AmountDue != full-off {
			t.Fatalf("%s: subtotal %d total %d amount due %d, want %d %d %d", what, inv.Subtotal, inv.Total, inv.AmountDue, full, full-off, full-off)
		}
		if off == 0 {
			return
		}
		if len(inv.TotalDiscountAmounts) != 1 || inv.TotalDiscountAmounts[0].Amount != off || inv.Discount == nil ||
			inv.TotalDiscountAmounts[0].Discount.ID != inv.Discount.ID {
			t.Fatalf("%s: total_discount_amounts %+v discount %+v", what, inv.TotalDiscountAmounts, inv.Discount)
		}
	}

	// 5% on the customer.
	if _, err := api.Customers.Update(cus.ID, &stripe.CustomerParams{PromotionCode: stripe.String(promoID(t, api, "PARTNER5"))}); err != nil {
		t.Fatal(err)
	}
	up, err = api.Invoices.Upcoming(&stripe.InvoiceUpcomingParams{Customer: stripe.String(cus.ID)})
	if err != nil {
		t.Fatal(err)
	}
	check("upcoming, 5% on the customer", up, (full*5+50)/100)
	checkShape(t, "upcoming with a discount", "invoice", getSpecJSON(t, base, sb.APIKey(), "/v1/invoices/upcoming?customer="+cus.ID))

	// 25% on the subscription replaces the customer's 5%.
	if _, err := api.Subscriptions.Update(sub.ID, &stripe.SubscriptionParams{PromotionCode: stripe.String(promoID(t, api, "SPRING25"))}); err != nil {
		t.Fatal(err)
	}
	up, err = api.Invoices.Upcoming(&stripe.InvoiceUpcomingParams{Customer: stripe.String(cus.ID)})
	if err != nil {
		t.Fatal(err)
	}
	check("upcoming, 25% on the subscription", up, (full*25+50)/100)
	if up.Discount.Subscription != sub.ID {
		t.Fatalf("the discount applied is not the subscription's: %+v", up.Discount)
	}

	// A one-off invoice of the customer takes the customer's 5%; an amount
	// off ($10 once) takes at most the total, and ends with that invoice.
	oneOff := func(amount int64) *stripe.Invoice {
		t.Helper()
		if _, err := api.InvoiceItems.New(&stripe.InvoiceItemParams{Customer: stripe.String(cus.ID), Amount: stripe.Int64(amount),
			Currency: stripe.String("usd"), Description: stripe.String("Workshop")}); err != nil {
			t.Fatal(err)
		}
		inv, err := api.Invoices.New(&stripe.InvoiceParams{Customer: stripe.String(cus.ID), PendingInvoiceItemsBehavior: stripe.String("include")})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	full = 2000
	inv := oneOff(2000)
	check("one-off draft, 5% on the customer", inv, 100)
	checkShape(t, "one-off draft with a discount", "invoice", getSpecJSON(t, base, sb.APIKey(), "/v1/invoices/"+inv.ID))
	if inv, err = api.Invoices.FinalizeInvoice(inv.ID, nil); err != nil {
		t.Fatal(err)
	}
	check("one-off finalized", inv, 100)
	if _, err := api.Customers.Update(cus.ID, &stripe.CustomerParams{PromotionCode: stripe.String(promoID(t, api, "WELCOME10"))}); err != nil {
		t.Fatal(err)
	}
	full = 600
	check("one-off, $10 off a $6 invoice", oneOff(600), 600)
	if c, _ := api.Customers.Get(cus.ID, nil); c.Discount != nil {
		t.Fatalf("a once coupon outlived its invoice: %+v", c.Discount)
	}
	full = 700
	check("the next one-off, no discount left", oneOff(700), 0)
}

// TestPromotionCodesMatchCaseInsensitively: Stripe's list filter code=
// matches "this case-insensitive code", and an active code is unique
// regardless of case.
func TestPromotionCodesMatchCaseInsensitively(t *testing.T) {
	_, api, _ := newSandbox(t, Options{Seed: 3, Customers: 2})
	if promoID(t, api, "welcome10") != promoID(t, api, "WELCOME10") {
		t.Fatal("welcome10 and WELCOME10 are different codes")
	}
	it := api.Coupons.List(&stripe.CouponListParams{})
	it.Next()
	if _, err := api.PromotionCodes.New(&stripe.PromotionCodeParams{Coupon: stripe.String(it.Coupon().ID), Code: stripe.String("Welcome10")}); err == nil {
		t.Fatal("a second active code Welcome10 beside WELCOME10")
	}
}
