package tui

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
)

// ownCopy is a writable cache holding only the fixture's customer id (the
// customer page writes the payment methods it reads).
func ownCopy(t *testing.T, id string) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: fixture.Clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	env, err := fx.Store.Get(storage.KindCustomer, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutObject(env.Raw, env.EventCreated); err != nil {
		t.Fatal(err)
	}
	return s
}

// customerWithCard is a fixture customer with a default payment method and
// an upcoming invoice.
func customerWithCard(t *testing.T) storage.Envelope {
	t.Helper()
	p, err := fx.Store.List(storage.Query{Kind: storage.KindSubscription, Status: "active", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range p.Items {
		cus, err := fx.Store.Get(storage.KindCustomer, sub.Customer)
		if err != nil {
			continue
		}
		var cu struct {
			S struct {
				PM *string `json:"default_payment_method"`
			} `json:"invoice_settings"`
		}
		if json.Unmarshal(cus.Raw, &cu) != nil || cu.S.PM == nil {
			continue
		}
		if _, err := fx.Billing.UpcomingInvoice(context.Background(), cus.ID, ""); err == nil {
			return cus
		}
	}
	t.Fatal("no fixture customer with a card and an active subscription")
	return storage.Envelope{}
}

// TestCustomerPagePaymentMethodsAndNextBill: online, the customer page
// reads the payment methods from Stripe (cached, default marked) and the
// next bill from the upcoming invoice; offline it shows the cached list
// and says why Stripe was not asked.
func TestCustomerPagePaymentMethodsAndNextBill(t *testing.T) {
	cus := customerWithCard(t)
	store := ownCopy(t, cus.ID)
	m := start(session(nil, func(c *common.Common) { c.Store, c.Billing = store, fx.Billing }), 160, 80)
	typeCommand(m, cus.ID)
	v := m.View()
	for _, want := range []string{"Payment methods", "default", "read from Stripe", "Next bill", "Stripe's upcoming invoice"} {
		if !strings.Contains(v, want) {
			t.Fatalf("online page lacks %q:\n%s", want, v)
		}
	}
	if pms, err := store.PaymentMethods(cus.ID); err != nil || len(pms.Data) != 1 {
		t.Fatalf("payment methods not cached: %+v %v", pms, err)
	}
	// Offline, same cache: the cached card, and why Stripe was not asked.
	m = start(session(nil, func(c *common.Common) { c.Store = store }), 160, 80)
	typeCommand(m, cus.ID)
	v = m.View()
	for _, want := range []string{"Payment methods", "default", ": no Stripe key configured)", "not shown: no Stripe key configured"} {
		if !strings.Contains(v, want) {
			t.Fatalf("offline page lacks %q:\n%s", want, v)
		}
	}
}
