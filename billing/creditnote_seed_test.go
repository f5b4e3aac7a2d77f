package billing

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
)

// sandboxPost sends one form POST to the sandbox with its key and returns
// the id of the object answered; any failure fails the test.
func sandboxPost(t testing.TB, sb *sandbox.Server, base, path string, form url.Values) string {
	t.Helper()
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

// sandboxCustomer is what the seeding helpers read of a listed customer.
type sandboxCustomer struct {
	ID       string `json:"id"`
	Currency string `json:"currency"`
	Balance  int64  `json:"balance"`
}

// sandboxCustomers lists the sandbox's newest 100 customers.
func sandboxCustomers(t testing.TB, sb *sandbox.Server, base string) []sandboxCustomer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/customers?limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+sb.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Data []sandboxCustomer `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	return page.Data
}

// currencyOf is the customer's currency, usd when it has none yet.
func (c sandboxCustomer) currencyOf() string {
	if c.Currency == "" {
		return "usd"
	}
	return c.Currency
}

// issueCreditNotes gives n customers of a seeded sandbox (which seeds no
// credit notes) a finalized one-off invoice of $20.00 with a $5.00 credit
// note, through the API.
func issueCreditNotes(t testing.TB, sb *sandbox.Server, base string, n int) {
	t.Helper()
	for _, c := range sandboxCustomers(t, sb, base) {
		if n == 0 {
			return
		}
		sandboxPost(t, sb, base, "/v1/invoiceitems", url.Values{"customer": {c.ID}, "amount": {"2000"}, "currency": {c.currencyOf()}})
		inv := sandboxPost(t, sb, base, "/v1/invoices", url.Values{"customer": {c.ID}, "pending_invoice_items_behavior": {"include"}})
		sandboxPost(t, sb, base, "/v1/invoices/"+inv+"/finalize", url.Values{})
		sandboxPost(t, sb, base, "/v1/credit_notes", url.Values{"invoice": {inv}, "amount": {"500"}})
		n--
	}
	t.Fatalf("not enough customers for %d more credit notes", n)
}

// settleBalances brings four customers of a seeded sandbox back to a zero
// balance the way Stripe does it every day: a one-off invoice whose
// finalization applies the whole balance (docs: billing/customer/balance).
// Two customers with a credit get an invoice of exactly that credit; two
// without a balance first owe $3.00 (a debit balance transaction), which an
// invoice of $1.00 takes in. Each is left at zero with balance transactions
// Stripe keeps. It returns the four customers.
func settleBalances(t testing.TB, sb *sandbox.Server, base string) []string {
	t.Helper()
	var settled []string
	credits, zeros := 0, 0
	for _, c := range sandboxCustomers(t, sb, base) {
		amount := int64(0)
		switch {
		case c.Balance < 0 && credits < 2:
			credits++
			amount = -c.Balance
		case c.Balance == 0 && zeros < 2:
			zeros++
			sandboxPost(t, sb, base, "/v1/customers/"+c.ID+"/balance_transactions", url.Values{"amount": {"300"}, "currency": {c.currencyOf()}})
			amount = 100
		default:
			continue
		}
		sandboxPost(t, sb, base, "/v1/invoiceitems", url.Values{"customer": {c.ID}, "amount": {itoa(amount)}, "currency": {c.currencyOf()}})
		inv := sandboxPost(t, sb, base, "/v1/invoices", url.Values{"customer": {c.ID}, "pending_invoice_items_behavior": {"include"}})
		sandboxPost(t, sb, base, "/v1/invoices/"+inv+"/finalize", url.Values{})
		settled = append(settled, c.ID)
	}
	if credits < 2 || zeros < 2 {
		t.Fatalf("settled %d customers with a credit and %d without a balance, want 2 and 2", credits, zeros)
	}
	return settled
}
