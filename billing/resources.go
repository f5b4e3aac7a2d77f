package billing

import (
	"fmt"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// KindEvent names the Events API in ListOptions; events are not a cached kind.
const KindEvent storage.Kind = "event"

// listParams is a stripe-go list parameter struct (it embeds ListParams).
type listParams interface {
	stripe.ParamsContainer
	stripe.ListParamsContainer
}

// resource is how one kind is listed and retrieved.
type resource struct {
	// list is the list path; balance transactions take the customer id.
	list string
	// item is the retrieve path with %s for the id.
	item string
	// params builds the kind's typed list params, so kind-specific filters
	// (status=all) are encoded by stripe-go from its own field tags.
	params func() listParams
	// perCustomer: list and item paths start with the customer id.
	perCustomer bool
}

var resources = map[storage.Kind]resource{
	storage.KindCustomer: {list: "/v1/customers", item: "/v1/customers/%s",
		params: func() listParams { return &stripe.CustomerListParams{} }},
	storage.KindProduct: {list: "/v1/products", item: "/v1/products/%s",
		params: func() listParams { return &stripe.ProductListParams{} }},
	storage.KindPrice: {list: "/v1/prices", item: "/v1/prices/%s",
		params: func() listParams { return &stripe.PriceListParams{} }},
	// Without status=all Stripe leaves canceled subscriptions out.
	storage.KindSubscription: {list: "/v1/subscriptions", item: "/v1/subscriptions/%s",
		params: func() listParams { return &stripe.SubscriptionListParams{Status: stripe.String("all")} }},
	storage.KindInvoice: {list: "/v1/invoices", item: "/v1/invoices/%s",
		params: func() listParams { return &stripe.InvoiceListParams{} }},
	storage.KindPaymentIntent: {list: "/v1/payment_intents", item: "/v1/payment_intents/%s",
		params: func() listParams { return &stripe.PaymentIntentListParams{} }},
	storage.KindCharge: {list: "/v1/charges", item: "/v1/charges/%s",
		params: func() listParams { return &stripe.ChargeListParams{} }},
	storage.KindRefund: {list: "/v1/refunds", item: "/v1/refunds/%s",
		params: func() listParams { return &stripe.RefundListParams{} }},
	storage.KindDispute: {list: "/v1/disputes", item: "/v1/disputes/%s",
		params: func() listParams { return &stripe.DisputeListParams{} }},
	storage.KindBalanceTransaction: {list: "/v1/customers/%s/balance_transactions", item: "/v1/customers/%s/balance_transactions/%s",
		params: func() listParams { return &stripe.CustomerBalanceTransactionListParams{} }, perCustomer: true},
	storage.KindCreditNote: {list: "/v1/credit_notes", item: "/v1/credit_notes/%s",
		params: func() listParams { return &stripe.CreditNoteListParams{} }},
	KindEvent: {list: "/v1/events", item: "/v1/events/%s",
		params: func() listParams { return &stripe.EventListParams{} }},
}

func resourceOf(kind storage.Kind) (resource, error) {
	r, ok := resources[kind]
	if !ok {
		return resource{}, fmt.Errorf("billing: no Stripe endpoint for kind %q", kind)
	}
	return r, nil
}

// listPath is the list endpoint of r, for customer when r is per customer.
func (r resource) listPath(customer string) (string, error) {
	if !r.perCustomer {
		return r.list, nil
	}
	if customer == "" {
		return "", fmt.Errorf("billing: listing %s needs a customer id", r.list)
	}
	return stripe.FormatURLPath(r.list, customer), nil
}

// itemPath is the retrieve endpoint of id.
func (r resource) itemPath(customer, id string) (string, error) {
	if id == "" {
		return "", fmt.Errorf("billing: empty id")
	}
	if !r.perCustomer {
		return stripe.FormatURLPath(r.item, id), nil
	}
	if customer == "" {
		return "", fmt.Errorf("billing: retrieving %s needs its customer id", id)
	}
	return stripe.FormatURLPath(r.item, customer, id), nil
}
