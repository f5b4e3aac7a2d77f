package resources_test

import (
	"encoding/json"
	"testing"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/resources"
)

// TestPausedCollectionShown: a subscription whose payment collection is
// paused (Stripe's status stays active) reads "active, paused" in the list,
// and its page says what Stripe does with its invoices. Before, the list
// said "active" and the page "Paused mark_uncollectible".
func TestPausedCollectionShown(t *testing.T) {
	k := newCorpus(t)
	now := corpusNow.Unix()
	sub, err := json.Marshal(map[string]any{"id": "sub_paused1", "object": "subscription", "status": "active",
		"customer": "cus_p1", "created": now - 86400, "currency": "usd",
		"current_period_start": now - 86400, "current_period_end": now + 29*86400,
		"pause_collection": map[string]any{"behavior": "mark_uncollectible", "resumes_at": nil},
		"items": map[string]any{"object": "list", "data": []any{map[string]any{"id": "si_p1", "object": "subscription_item", "quantity": 1,
			"price": map[string]any{"id": "price_p1", "object": "price", "currency": "usd", "unit_amount": 2000,
				"recurring": map[string]any{"interval": "month", "interval_count": 1}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := k.store.PutObject(sub, now); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "subscriptions list", k.list(resources.Subscriptions(), 0), "active, paused")
	mustContain(t, "subscription page", k.page(storage.KindSubscription, "sub_paused1"), billing.PauseWords("mark_uncollectible"))
}
