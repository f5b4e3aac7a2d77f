package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	stripe "github.com/stripe/stripe-go/v76"
)

func TestSubscriptionUpdateUpcomingAndExpand(t *testing.T) {
	sb, api, base := newSandbox(t, Options{Seed: 11, Customers: 20})
	_, sub, err := paidSub(t, api, "pm_card_visa")
	if err != nil {
		t.Fatal(err)
	}
	// A dearer monthly usd price of another product.
	var up *stripe.Price
	it := api.Prices.List(&stripe.PriceListParams{Currency: stripe.String("usd"), ListParams: stripe.ListParams{Expand: []*string{stripe.String("data.product")}}})
	for it.Next() {
		p := it.Price()
		if p.Product == nil || p.Product.Name == "" {
			t.Fatal("data.product not expanded")
		}
		if p.Recurring.Interval == "month" && p.UnitAmount > sub.Items.Data[0].Price.UnitAmount {
			up = p
		}
	}
	sb.Advance(10 * 24 * time.Hour)
	now := sb.Now().Unix()
	upc, err := api.Invoices.Upcoming(&stripe.InvoiceUpcomingParams{Customer: stripe.String(sub.Customer.ID), Subscription: stripe.String(sub.ID),
		SubscriptionItems:             []*stripe.SubscriptionItemsParams{{ID: stripe.String(sub.Items.Data[0].ID), Price: stripe.String(up.ID)}},
		SubscriptionProrationDate:     stripe.Int64(now),
		SubscriptionProrationBehavior: stripe.String("create_prorations")})
	if err != nil {
		t.Fatal(err)
	}
	prorations := 0
	for _, l := range upc.Lines.Data {
		if l.Proration {
			prorations++
		}
	}
	if prorations != 2 || upc.Lines.Data[len(upc.Lines.Data)-1].Amount != up.UnitAmount {
		t.Fatalf("upcoming lines: %d prorations, %+v", prorations, upc.Lines.Data)
	}
	updated, err := api.Subscriptions.Update(sub.ID, &stripe.SubscriptionParams{
		Items:             []*stripe.SubscriptionItemsParams{{ID: stripe.String(sub.Items.Data[0].ID), Price: stripe.String(up.ID), Quantity: stripe.Int64(2)}},
		ProrationBehavior: stripe.String("always_invoice"), CancelAtPeriodEnd: stripe.Bool(true)})
	if err != nil || updated.Items.Data[0].Price.ID != up.ID || updated.Items.Data[0].Quantity != 2 || !updated.CancelAtPeriodEnd {
		t.Fatalf("update: %v %+v", err, updated)
	}
	inv, err := api.Invoices.Get(updated.LatestInvoice.ID, &stripe.InvoiceParams{Params: stripe.Params{Expand: []*string{stripe.String("customer"), stripe.String("payment_intent")}}})
	if err != nil || inv.BillingReason != "subscription_update" || inv.Customer.Email == "" || inv.PaymentIntent.Status != "succeeded" {
		t.Fatalf("proration invoice: %v %+v", err, inv)
	}
	paused, err := api.Subscriptions.Update(sub.ID, &stripe.SubscriptionParams{PauseCollection: &stripe.SubscriptionPauseCollectionParams{Behavior: stripe.String("void")}})
	if err != nil || paused.PauseCollection == nil || paused.PauseCollection.Behavior != "void" {
		t.Fatalf("pause: %v %+v", err, paused)
	}
	// Raw JSON and struct agree on the fields set.
	resp := getJSON(t, base+"/v1/subscriptions/"+sub.ID)
	if resp["cancel_at_period_end"] != true || resp["pause_collection"].(map[string]any)["behavior"] != "void" {
		t.Fatalf("raw subscription: %v", resp)
	}
	canceled, err := api.Subscriptions.Cancel(sub.ID, nil)
	if err != nil || canceled.Status != stripe.SubscriptionStatusCanceled || canceled.EndedAt == 0 {
		t.Fatalf("cancel: %v %+v", err, canceled)
	}
}

func getJSON(t *testing.T, u string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer sk_test_x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEveryListDecodes(t *testing.T) {
	_, api, base := newSandbox(t, Options{Seed: 12, Customers: 150})
	for _, path := range []string{"/v1/customers", "/v1/products", "/v1/prices", "/v1/subscriptions?status=all", "/v1/invoices",
		"/v1/charges", "/v1/payment_intents", "/v1/refunds", "/v1/disputes", "/v1/events"} {
		m := getJSON(t, base+path+"?limit=100")
		if path == "/v1/subscriptions?status=all" {
			m = getJSON(t, base+path+"&limit=100")
		}
		if m["object"] != "list" || m["url"] == nil {
			t.Fatalf("%s: envelope %v", path, m)
		}
		b, _ := json.Marshal(m)
		var list struct {
			Data []json.RawMessage `json:"data"`
		}
		_ = json.Unmarshal(b, &list)
		for _, raw := range list.Data {
			var dst any
			switch path {
			case "/v1/customers":
				dst = &stripe.Customer{}
			case "/v1/products":
				dst = &stripe.Product{}
			case "/v1/prices":
				dst = &stripe.Price{}
			case "/v1/invoices":
				dst = &stripe.Invoice{}
			case "/v1/charges":
				dst = &stripe.Charge{}
			case "/v1/payment_intents":
				dst = &stripe.PaymentIntent{}
			case "/v1/refunds":
				dst = &stripe.Refund{}
			case "/v1/disputes":
				dst = &stripe.Dispute{}
			default:
				dst = &stripe.Subscription{}
			}
			if err := json.Unmarshal(raw, dst); err != nil {
				t.Fatalf("%s: decode: %v", path, err)
			}
		}
	}
	// Seeded history has refunds, disputes and failed charges.
	failed := 0
	ch := api.Charges.List(&stripe.ChargeListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(100)}})
	for ch.Next() {
		if c := ch.Charge(); c.Status == "failed" && c.FailureCode != "" {
			failed++
		}
	}
	if failed == 0 {
		t.Fatal("no failed charges seeded")
	}
}

func TestFileUpload(t *testing.T) {
	_, _, base := newSandbox(t, Options{Seed: 1})
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("purpose", "dispute_evidence")
	fw, _ := w.CreateFormFile("file", "receipt.pdf")
	_, _ = fw.Write([]byte("%PDF-1.4 sandbox"))
	_ = w.Close()
	req, _ := http.NewRequest("POST", base+"/v1/files", &body)
	req.Header.Set("Authorization", "Bearer sk_test_x")
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var f stripe.File
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil || resp.StatusCode != 200 || f.Size != 16 || f.Purpose != "dispute_evidence" {
		t.Fatalf("file: %d %v %+v", resp.StatusCode, err, f)
	}
	// Malformed form body -> 400, not a panic.
	req, _ = http.NewRequest("POST", base+"/v1/customers", bytes.NewBufferString("a=%zz"))
	req.Header.Set("Authorization", "Bearer sk_test_x")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp2, err := http.DefaultClient.Do(req)
	if err != nil || resp2.StatusCode != 400 {
		t.Fatalf("malformed: %v %d", err, resp2.StatusCode)
	}
	resp2.Body.Close()
}

func BenchmarkSeed10k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(Options{Seed: int64(i), Customers: 10_000, Now: func() time.Time { return t0 }}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListInvoices(b *testing.B) {
	_, api, _ := newSandbox(b, Options{Seed: 1, Customers: 10_000})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := api.Invoices.List(&stripe.InvoiceListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(100), Single: true}})
		for it.Next() {
		}
		if it.Err() != nil {
			b.Fatal(it.Err())
		}
	}
}
