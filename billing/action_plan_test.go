package billing

import (
	"context"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
)

// activeSubscription finds an active single-item subscription.
func (e *actionEnv) activeSubscription(skip ...string) string {
	return e.find(storage.KindSubscription, "active with one item", func(m map[string]any) bool {
		items, _ := lookupPath(m, "items.data").([]any)
		return str(m, "status") == "active" && len(items) == 1 && !boolean(m, "cancel_at_period_end") &&
			lookupPath(m, "pause_collection") == nil && !contains(skip, str(m, "id"))
	})
}

func TestActionPlanChangeEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true})
	ctx := context.Background()
	subID := e.activeSubscription()
	sub := e.obj(storage.KindSubscription, subID)
	oldPrice := str(sub, "items.data.0.price.id")
	interval := str(sub, "items.data.0.price.recurring.interval")
	oldAmount := num(sub, "items.data.0.price.unit_amount")
	cur := str(sub, "currency")

	opts, err := e.acts.PriceOptions(cur, 0)
	if err != nil || len(opts) == 0 {
		t.Fatalf("price options %v %v", opts, err)
	}
	var next PriceOption
	for _, o := range opts {
		if o.Currency != cur {
			t.Fatalf("option %+v not in %s", o, cur)
		}
		if o.ID != oldPrice && o.Interval == interval && o.UnitAmount > oldAmount && next.ID == "" {
			next = o
		}
	}
	if next.ID == "" || next.ProductName == "" || !strings.Contains(next.Label, money.Format(next.UnitAmount, cur)) {
		t.Fatalf("no upgrade among %+v", opts)
	}
	req := PlanChangeRequest{Subscription: subID, Price: next.ID, Quantity: 2}
	pv, err := e.acts.PreviewPlanChange(ctx, finance, req)
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	var credit, debit int64
	for _, l := range pv.Lines {
		if l.Proration && l.Amount < 0 {
			credit += l.Amount
		} else if l.Proration {
			debit += l.Amount
		}
	}
	if credit >= 0 || debit <= 0 || pv.Prorations != credit+debit || pv.Currency != cur {
		t.Fatalf("preview prorations: %+v", pv)
	}
	if e.reqs.Count("POST") != 0 {
		t.Fatal("a preview must not change anything")
	}
	p := mustPlan(t)(e.acts.PreparePlanChange(ctx, finance, req))
	if p.Amount != pv.Prorations || p.Currency != cur {
		t.Fatalf("plan amount %d %s, preview prorations %d", p.Amount, p.Currency, pv.Prorations)
	}
	if lineValue(p, "Prorations") != money.Format(pv.Prorations, cur) || !strings.Contains(lineValue(p, "New"), "2 × "+next.ProductName) {
		t.Fatalf("lines %+v", p.Lines)
	}
	for _, want := range []string{"items[0][price]=" + next.ID, "items[0][quantity]=2", "proration_behavior=create_prorations", "proration_date=", "metadata[paydesk_intent]=" + p.Key} {
		if !strings.Contains(p.Call.String(), want) {
			t.Fatalf("call %s lacks %s", p.Call, want)
		}
	}
	r := mustExec(t, e.acts, p)
	after := e.obj(storage.KindSubscription, subID)
	if str(after, "items.data.0.price.id") != next.ID || num(after, "items.data.0.quantity") != 2 {
		t.Fatalf("sandbox subscription items %v", lookupPath(after, "items.data"))
	}
	e.waitCache(storage.KindSubscription, subID, "new price", func(m map[string]any) bool {
		return str(m, "items.data.0.price.id") == next.ID && str(m, "metadata.paydesk_intent") == p.Key
	})
	e.checkAudit(p, r, OutcomeSucceeded)
	if id, found, err := e.acts.lookupMetadata(ctx, storage.KindSubscription, storage.Intent{Key: p.Key, Target: subID}); err != nil || !found || id != subID {
		t.Fatalf("lookup %q %v %v", id, found, err)
	}
	// The next invoice now carries the previewed prorations.
	up, err := e.acts.get(ctx, "/v1/invoices/upcoming", []Param{{"subscription", subID}})
	if err != nil || !strings.Contains(string(up), `"proration":true`) {
		t.Fatalf("upcoming after the change: %v %.200s", err, up)
	}
	// Same plan again: nothing to change.
	wantField(t, errOf(e.acts.PreparePlanChange(ctx, finance, PlanChangeRequest{Subscription: subID, Price: next.ID, Quantity: 2})), "price")
}

func TestActionPlanChangeValidation(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	subID := e.activeSubscription()
	cur := str(e.obj(storage.KindSubscription, subID), "currency")
	other := e.find(storage.KindPrice, "in another currency", func(m map[string]any) bool {
		return str(m, "currency") != cur && boolean(m, "active") && lookupPath(m, "recurring") != nil
	})
	wantField(t, errOf(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: subID, Price: other})), "price")
	wantField(t, errOf(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: subID, Price: "price_doesnotexist"})), "price")
	wantField(t, errOf(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: subID, Quantity: -1})), "quantity")
	wantField(t, errOf(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: subID, Quantity: 3, Proration: "sometimes"})), "proration")
	wantField(t, errOf(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: subID, Item: "si_other", Quantity: 3})), "item")
	wantField(t, errOf(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: subID})), "price")
	canceled := e.find(storage.KindSubscription, "canceled", func(m map[string]any) bool { return str(m, "status") == "canceled" })
	wantField(t, errOf(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: canceled, Quantity: 2})), "subscription")
	if _, err := e.acts.PreparePlanChange(ctx, support, PlanChangeRequest{Subscription: subID, Quantity: 2}); err == nil {
		t.Fatal("support may not change plans")
	}
	if e.reqs.Count("POST") != 0 {
		t.Fatal("validation failures sent a POST")
	}
	// Quantity only, billed now.
	p := mustPlan(t)(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: subID, Quantity: 3, Proration: "always_invoice"}))
	if p.Amount <= 0 || !strings.HasPrefix(lineValue(p, "Invoiced now"), money.Format(p.Amount, cur)+" ") {
		t.Fatalf("always_invoice plan %d %+v", p.Amount, p.Lines)
	}
	// The next invoice is the plan's period alone: the prorations invoiced
	// now are not counted in it again (the preview's total held them).
	if next := lineValue(p, "Next invoice"); !strings.HasPrefix(next, "3 × ") || !strings.HasPrefix(lineValue(p, "Next invoice total"), "<no line") {
		t.Fatalf("next invoice %q / total %q", next, lineValue(p, "Next invoice total"))
	}
	mustExec(t, e.acts, p)
	sub := e.obj(storage.KindSubscription, subID)
	if num(sub, "items.data.0.quantity") != 3 {
		t.Fatalf("quantity %d", num(sub, "items.data.0.quantity"))
	}
	inv := e.obj(storage.KindInvoice, str(sub, "latest_invoice"))
	if str(inv, "billing_reason") != "subscription_update" || num(inv, "total") != p.Amount {
		t.Fatalf("always_invoice billed %d (%s), preview said %d", num(inv, "total"), str(inv, "billing_reason"), p.Amount)
	}
}

// TestActionPlanChangePriceOnly: swapping the price alone (same quantity)
// is a change, and the confirmation still shows the current plan as it is.
func TestActionPlanChangePriceOnly(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	subID := e.activeSubscription()
	sub := e.obj(storage.KindSubscription, subID)
	oldPrice := str(sub, "items.data.0.price.id")
	opts, err := e.acts.PriceOptions(str(sub, "currency"), 0)
	if err != nil {
		t.Fatal(err)
	}
	next := ""
	for _, o := range opts {
		if o.ID != oldPrice {
			next = o.ID
			break
		}
	}
	p := mustPlan(t)(e.acts.PreparePlanChange(ctx, admin, PlanChangeRequest{Subscription: subID, Price: next}))
	if !strings.Contains(lineValue(p, "Now"), oldPrice) || !strings.Contains(lineValue(p, "New"), next) ||
		!strings.Contains(p.Call.String(), "items[0][price]="+next) {
		t.Fatalf("price-only plan: now %q, new %q, call %s", lineValue(p, "Now"), lineValue(p, "New"), p.Call)
	}
}
