package audit_test

import (
	"context"
	"strconv"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/audit"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// A plan change's record says the plan it replaced, not only the new one:
// "plan 1 × Pro $29.00/month → 2 × Pro $29.00/month". Before, the line was
// the subscription id alone and the detail named only the new price, by id.
func TestAuditPlanChangeSaysBeforeAndAfter(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 60, NoWebhooks: true})
	ctx := context.Background()
	sub := e.Find(storage.KindSubscription, "active, one item", func(m map[string]any) bool {
		items, _ := m["items"].(map[string]any)["data"].([]any)
		return actenv.Str(m, "status") == "active" && len(items) == 1 && m["cancel_at_period_end"] == false
	})
	raw := e.Object(storage.KindSubscription, sub.ID)
	item := raw["items"].(map[string]any)["data"].([]any)[0].(map[string]any)
	oldPrice := item["price"].(map[string]any)["id"].(string)
	oldQty := int64(item["quantity"].(float64))
	p, err := e.Acts.PreparePlanChange(ctx, actenv.Admin, billing.PlanChangeRequest{Subscription: sub.ID, Quantity: oldQty + 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Acts.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
	h := pagetest.New(audit.New(e.Session(actenv.Admin)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, tm, "Plan change")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	// The plans by name and price as the cache knows them, not price ids.
	pr := item["price"].(map[string]any)
	prod, err := e.Store.Get(storage.KindProduct, pr["product"].(string))
	if err != nil || prod.Name == "" {
		t.Fatalf("product of %s not cached: %v", oldPrice, err)
	}
	name := prod.Name + " " + money.Format(int64(pr["unit_amount"].(float64)), pr["currency"].(string)) + "/" +
		pr["recurring"].(map[string]any)["interval"].(string)
	want := "plan " + strconv.FormatInt(oldQty, 10) + " × " + name + " → " + strconv.FormatInt(oldQty+1, 10) + " × " + name
	waitFor(t, tm, "Audit record", want)
}
