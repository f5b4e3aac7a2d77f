package billing

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// upcomingJSON is the part of an upcoming invoice the tests read.
type upcomingJSON struct {
	Object             string `json:"object"`
	Customer           string `json:"customer"`
	Subscription       string `json:"subscription"`
	Currency           string `json:"currency"`
	Total              int64  `json:"total"`
	AmountDue          int64  `json:"amount_due"`
	NextPaymentAttempt int64  `json:"next_payment_attempt"`
	Lines              struct {
		Data []struct {
			Amount    int64  `json:"amount"`
			Proration bool   `json:"proration"`
			Desc      string `json:"description"`
		} `json:"data"`
	} `json:"lines"`
}

// TestContractUpcomingInvoice: the request is shaped as Stripe's spec
// demands (stripe-mock answers with an invoice) and an unknown parameter
// is rejected with a 400, worded by Explain.
func TestContractUpcomingInvoice(t *testing.T) {
	base := stripemock.Start(t)
	ctx := context.Background()
	raw, err := newTestClient(t, base).UpcomingInvoice(ctx, "cus_1", "sub_1")
	if err != nil {
		t.Fatalf("upcoming invoice: %v", err)
	}
	var inv upcomingJSON
	if err := json.Unmarshal(raw, &inv); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if inv.Object != "invoice" {
		t.Fatalf("object %q, want invoice:\n%s", inv.Object, raw)
	}

	bad := newTestClient(t, base)
	bad.paramHook = addUnknownParam
	_, err = bad.UpcomingInvoice(ctx, "cus_1", "sub_1")
	se := stripeError(err)
	if se == nil || se.HTTPStatusCode != http.StatusBadRequest {
		t.Fatalf("unknown parameter: got %v, want a 400 from stripe-mock", err)
	}
	if !strings.Contains(err.Error(), "upcoming invoice of cus_1 sub_1") {
		t.Fatalf("error lacks its context: %v", err)
	}
	if !strings.Contains(Explain(err), "Stripe rejected the request") {
		t.Fatalf("Explain = %q", Explain(err))
	}
	if _, err := bad.UpcomingInvoice(ctx, " ", ""); err == nil {
		t.Fatal("no customer and no subscription was sent")
	}
}

// TestUpcomingInvoiceSandbox: against the stateful sandbox, an active
// subscription's preview belongs to it, its total is the sum of its lines
// and it names the billing date; a canceled one has nothing upcoming, and
// a subscription of another customer is refused.
func TestUpcomingInvoiceSandbox(t *testing.T) {
	sb, base := startSandbox(t, sandbox.Options{Seed: 7, Customers: 40})
	c := newTestClient(t, base, func(cfg *Config) { cfg.SecretKey = sb.APIKey() })
	store := newTestStore(t)
	ctx := context.Background()
	if err := c.Backfill(ctx, store, BackfillOptions{Kinds: []storage.Kind{storage.KindSubscription}}); err != nil {
		t.Fatal(err)
	}
	byStatus := map[string]storage.Envelope{}
	var other storage.Envelope
	q := storage.Query{Kind: storage.KindSubscription, Limit: 100}
	page, err := store.List(q)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Items {
		if _, ok := byStatus[e.Status]; !ok {
			byStatus[e.Status] = e
		}
	}
	active, ok := byStatus["active"]
	if !ok {
		t.Fatalf("no active subscription seeded: %v", byStatus)
	}
	for _, e := range page.Items {
		if e.Customer != active.Customer {
			other = e
			break
		}
	}

	raw, err := c.UpcomingInvoice(ctx, active.Customer, active.ID)
	if err != nil {
		t.Fatalf("upcoming invoice of %s: %v", active.ID, err)
	}
	var inv upcomingJSON
	if err := json.Unmarshal(raw, &inv); err != nil {
		t.Fatal(err)
	}
	if inv.Object != "invoice" || inv.Subscription != active.ID || inv.Customer != active.Customer || inv.Currency != active.Currency {
		t.Fatalf("preview of %s/%s is %s of %s/%s in %s", active.Customer, active.ID, inv.Object, inv.Customer, inv.Subscription, inv.Currency)
	}
	var sum int64
	for _, l := range inv.Lines.Data {
		sum += l.Amount
	}
	if len(inv.Lines.Data) == 0 || sum != inv.Total || inv.NextPaymentAttempt == 0 {
		t.Fatalf("preview: %d lines summing to %d, total %d, billed at %d", len(inv.Lines.Data), sum, inv.Total, inv.NextPaymentAttempt)
	}

	if canceled, ok := byStatus["canceled"]; ok {
		_, err := c.UpcomingInvoice(ctx, canceled.Customer, canceled.ID)
		if se := stripeError(err); se == nil || se.Code != "invoice_upcoming_none" {
			t.Fatalf("canceled %s: got %v, want invoice_upcoming_none", canceled.ID, err)
		}
		if Explain(err) == "" {
			t.Fatal("Explain says nothing about invoice_upcoming_none")
		}
	} else {
		t.Fatalf("no canceled subscription seeded: %v", byStatus)
	}

	if other.ID == "" {
		t.Fatal("every subscription belongs to one customer")
	}
	_, err = c.UpcomingInvoice(ctx, other.Customer, active.ID)
	if se := stripeError(err); se == nil || se.HTTPStatusCode != http.StatusBadRequest {
		t.Fatalf("subscription of another customer: got %v, want a 400", err)
	}
}
