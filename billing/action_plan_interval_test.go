package billing

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

// A change of billing interval resets the billing cycle and invoices at
// once: the unused time of the old price is credited and the new price is
// billed for a whole new period (docs.stripe.com/billing/subscriptions/
// billing-cycle). The upcoming-invoice preview is that invoice, and the
// confirmation's "Invoiced now" is what the invoice made by the update then
// asks, not a proration of the new price over the old period.
func TestActionPlanChangeIntervalPreviewIsTheInvoice(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	subID := e.activeSubscription()
	sub := e.obj(storage.KindSubscription, subID)
	interval := str(sub, "items.data.0.price.recurring.interval")
	cur := str(sub, "currency")
	opts, err := e.acts.PriceOptions(cur, 0)
	if err != nil {
		t.Fatal(err)
	}
	var other PriceOption
	for _, o := range opts {
		if o.Interval != interval && other.ID == "" {
			other = o
		}
	}
	if other.ID == "" {
		t.Fatalf("no %s price of another interval than %s among %+v", cur, interval, opts)
	}
	used := []string{}
	for _, proration := range []string{"create_prorations", "always_invoice"} {
		t.Run(proration, func(t *testing.T) {
			subID := e.find(storage.KindSubscription, "active, one "+interval+"ly "+cur+" item", func(m map[string]any) bool {
				items, _ := lookupPath(m, "items.data").([]any)
				return str(m, "status") == "active" && len(items) == 1 && !boolean(m, "cancel_at_period_end") &&
					lookupPath(m, "pause_collection") == nil && str(m, "currency") == cur &&
					str(m, "items.data.0.price.recurring.interval") == interval && !contains(used, str(m, "id"))
			})
			used = append(used, subID)
			req := PlanChangeRequest{Subscription: subID, Price: other.ID, Quantity: 1, Proration: proration}
			pv, err := e.acts.PreviewPlanChange(ctx, finance, req)
			if err != nil {
				t.Fatal(err)
			}
			var full int64
			for _, l := range pv.Lines {
				if !l.Proration {
					full += l.Amount
				}
			}
			if full != other.UnitAmount || pv.Prorations >= 0 {
				t.Fatalf("preview: new price billed %d (want %d, a whole period), prorations %d (want the old price's unused time, a credit): %+v",
					full, other.UnitAmount, pv.Prorations, pv)
			}
			p := mustPlan(t)(e.acts.PreparePlanChange(ctx, finance, req))
			if got, want := lineValue(p, "Invoiced now"), money.Format(pv.AmountDue, cur); got != want {
				t.Fatalf("Invoiced now %q, want the preview's amount due %q:\n%+v", got, want, p.Lines)
			}
			if !strings.HasPrefix(lineValue(p, "Next invoice total"), "<no line") {
				t.Fatalf("an interval change has no other next invoice to total:\n%+v", p.Lines)
			}
			mustExec(t, e.acts, p)
			after := e.obj(storage.KindSubscription, subID)
			latest := str(after, "latest_invoice")
			raw, err := e.acts.get(ctx, "/v1/invoices/"+latest, nil)
			if err != nil {
				t.Fatal(err)
			}
			var inv map[string]any
			if err := json.Unmarshal(raw, &inv); err != nil {
				t.Fatal(err)
			}
			if num(inv, "amount_due") != pv.AmountDue || num(inv, "total") != pv.Total {
				t.Fatalf("invoice %s: total %d, amount due %d; the preview said %d, %d", latest, num(inv, "total"), num(inv, "amount_due"), pv.Total, pv.AmountDue)
			}
			if !strings.Contains(lineValue(p, "Then"), other.ProductName) {
				t.Fatalf("no line for what is billed after:\n%+v", p.Lines)
			}
		})
	}
}
