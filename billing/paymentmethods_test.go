package billing

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// TestListPaymentMethodsContract: the request is shaped as Stripe's spec
// wants (stripe-mock answers payment_method objects; an unknown parameter
// is a 400).
func TestListPaymentMethodsContract(t *testing.T) {
	base := stripemock.Start(t)
	c := newTestClient(t, base)
	data, err := c.ListPaymentMethods(context.Background(), "cus_1")
	if err != nil || len(data) == 0 {
		t.Fatalf("%d %v", len(data), err)
	}
	var pm struct{ Object string }
	if err := json.Unmarshal(data[0], &pm); err != nil || pm.Object != "payment_method" {
		t.Fatalf("object %q %v", pm.Object, err)
	}
	bad := newTestClient(t, base)
	bad.paramHook = addUnknownParam
	_, err = bad.ListPaymentMethods(context.Background(), "cus_1")
	if se := stripeError(err); se == nil || se.HTTPStatusCode != http.StatusBadRequest {
		t.Fatalf("unknown parameter: %v", err)
	}
}

// pmTestNow is the sandbox account's clock in the payment-method tests.
var pmTestNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// TestRefreshPaymentMethodsCaches reads a sandbox customer's card into the
// cache, stamped with the client's clock.
func TestRefreshPaymentMethodsCaches(t *testing.T) {
	sb, base := startSandbox(t, sandbox.Options{Seed: 3, Customers: 5, Now: func() time.Time { return pmTestNow }})
	c := newSandboxClient(t, sb, base, nil)
	store := newTestStore(t)
	var cus string
	for raw, err := range c.ListAll(context.Background(), ListOptions{Kind: storage.KindCustomer}) {
		if err != nil {
			t.Fatal(err)
		}
		var cu struct {
			ID       string
			Settings struct {
				PM *string `json:"default_payment_method"`
			} `json:"invoice_settings"`
		}
		if json.Unmarshal(raw, &cu) == nil && cu.Settings.PM != nil {
			cus = cu.ID
			break
		}
	}
	if cus == "" {
		t.Fatal("no sandbox customer with a card")
	}
	if err := c.RefreshPaymentMethods(context.Background(), store, cus); err != nil {
		t.Fatal(err)
	}
	got, err := store.PaymentMethods(cus)
	if err != nil || len(got.Data) != 1 || got.FetchedAt != sb.Now().Unix() {
		t.Fatalf("%+v %v", got, err)
	}
	var pm struct {
		Customer string
		Card     struct{ Last4 string }
	}
	if err := json.Unmarshal(got.Data[0], &pm); err != nil || pm.Customer != cus || pm.Card.Last4 == "" {
		t.Fatalf("%s: %+v %v", got.Data[0], pm, err)
	}
}
