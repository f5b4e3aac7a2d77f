package billing

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
)

// issueCreditNotes gives n customers of a seeded sandbox (which seeds no
// credit notes) a finalized one-off invoice of $20.00 with a $5.00 credit
// note, through the API.
func issueCreditNotes(t testing.TB, sb *sandbox.Server, base string, n int) {
	t.Helper()
	post := func(path string, form url.Values) string {
		req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+sb.APIKey())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var obj struct {
			ID string `json:"id"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&obj); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d %v", path, resp.StatusCode, err)
		}
		return obj.ID
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/customers?limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+sb.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Data []struct {
			ID       string `json:"id"`
			Currency string `json:"currency"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Data {
		if n == 0 {
			return
		}
		cur := c.Currency
		if cur == "" {
			cur = "usd"
		}
		post("/v1/invoiceitems", url.Values{"customer": {c.ID}, "amount": {"2000"}, "currency": {cur}})
		inv := post("/v1/invoices", url.Values{"customer": {c.ID}, "pending_invoice_items_behavior": {"include"}})
		post("/v1/invoices/"+inv+"/finalize", url.Values{})
		post("/v1/credit_notes", url.Values{"invoice": {inv}, "amount": {"500"}})
		n--
	}
	t.Fatalf("not enough customers for %d more credit notes", n)
}
