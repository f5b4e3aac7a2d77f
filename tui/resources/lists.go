package resources

import (
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/table"
)

// CustomerList is the resource table of one customer's objects of kind
// ("Invoices of cus_…"), opened from the "… more in the cache" line of a
// detail page's related list. ok is false for kinds without a table.
func CustomerList(c *common.Common, kind storage.Kind, customer string) (common.Page, bool) {
	d := descriptorOf(kind)
	if d == nil || customer == "" {
		return nil, false
	}
	return table.New(c, d.OfCustomer(customer)), true
}

// descriptorOf is the table description of the kinds detail pages list.
func descriptorOf(kind storage.Kind) *table.Descriptor {
	switch kind {
	case storage.KindSubscription:
		return Subscriptions()
	case storage.KindInvoice:
		return Invoices()
	case storage.KindDispute:
		return Disputes()
	case storage.KindCharge:
		return Charges()
	case storage.KindRefund:
		return Refunds()
	case storage.KindPaymentIntent:
		return PaymentIntents()
	case storage.KindBalanceTransaction:
		return BalanceTransactions()
	}
	return nil
}

// payer is who paid: the customer's email (its id when not cached), or for a guest payment (no customer)
// "guest" and the billing or receipt email Stripe holds.
func payer(c *common.Common, e storage.Envelope) string {
	if e.Customer != "" {
		return customerEmail(c, e.Customer) // the email, as the other lists show it
	}
	if e.Email != "" {
		return "guest " + e.Email
	}
	return "guest"
}

// Charges lists charges (and py_ payments) with a status filter: the
// Payments view and the customer lists of detail pages.
func Charges() *table.Descriptor {
	return &table.Descriptor{
		Name: "charges", Title: "Charges", Kind: storage.KindCharge,
		Columns: []table.Column{
			{Title: "ID", Width: 18},
			{Title: "Status", Width: 10, Status: true},
			{Title: "Amount", Width: 11, Right: true},
			{Title: "Outcome", Width: 16, Flex: true, Priority: 2},
			{Title: "Customer", Width: 24, Flex: true, Min: 10, Priority: 3},
			{Title: "Created", Width: 10, Priority: 1},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			return []string{e.ID, e.Status, money.Format(e.Amount, e.Currency), failure(decode[chargeJSON](e.Raw)), payer(c, e), date(c, e.Created)}
		},
		Filters: statusFilters("succeeded", "failed", "pending"),
		Sorts:   table.DefaultSorts,
		Detail:  func(c *common.Common, e storage.Envelope) common.Page { return NewCharge(c, e.ID) },
	}
}

// PaymentIntents lists payment intents with a status filter (enter shows
// the raw JSON), guest payments included.
func PaymentIntents() *table.Descriptor {
	return &table.Descriptor{
		Name: "payment-intents", Title: "Payment intents", Kind: storage.KindPaymentIntent,
		Columns: []table.Column{
			{Title: "ID", Width: 18},
			{Title: "Status", Width: 16, Status: true},
			{Title: "Amount", Width: 11, Right: true},
			{Title: "Last error", Width: 16, Flex: true, Priority: 2},
			{Title: "Customer", Width: 24, Flex: true, Min: 10, Priority: 3},
			{Title: "Created", Width: 10, Priority: 1},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			pj := decode[paymentIntentJSON](e.Raw)
			last := "-"
			if pj.LastPaymentError != nil {
				last = orDash(firstNonEmpty(pj.LastPaymentError.DeclineCode, pj.LastPaymentError.Code))
			}
			return []string{e.ID, e.Status, money.Format(e.Amount, e.Currency), last, payer(c, e), date(c, e.Created)}
		},
		Filters: statusFilters("succeeded", "requires_payment_method", "requires_action", "processing", "requires_capture", "canceled"),
		Sorts:   table.DefaultSorts,
	}
}

// Refunds lists refunds (enter shows the raw JSON: refunds have no page):
// the Refunds view and the customer lists of detail pages.
func Refunds() *table.Descriptor {
	return &table.Descriptor{
		Name: "refunds", Title: "Refunds", Kind: storage.KindRefund,
		Columns: []table.Column{
			{Title: "ID", Width: 18},
			{Title: "Status", Width: 10, Status: true},
			{Title: "Amount", Width: 11, Right: true},
			{Title: "Reason", Width: 14, Flex: true, Priority: 2},
			{Title: "Charge", Width: 18, Priority: 3},
			{Title: "Customer", Width: 24, Flex: true, Min: 10, Priority: 4},
			{Title: "Created", Width: 10, Priority: 1},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			rj := decode[refundJSON](e.Raw)
			return []string{e.ID, e.Status, money.Format(e.Amount, e.Currency), orDash(rj.Reason), string(rj.Charge), customerEmail(c, e.Customer), date(c, e.Created)}
		},
		Filters: statusFilters("succeeded", "pending", "failed", "canceled"),
		Sorts:   table.DefaultSorts,
	}
}

// BalanceTransactions lists customer balance transactions (enter shows
// the raw JSON).
func BalanceTransactions() *table.Descriptor {
	return &table.Descriptor{
		Name: "balance-transactions", Title: "Balance transactions", Kind: storage.KindBalanceTransaction,
		Columns: txnCols,
		Row: func(c *common.Common, e storage.Envelope) []string {
			tj := decode[balanceTxnJSON](e.Raw)
			return []string{e.ID, money.Movement(e.Amount, e.Currency), money.Balance(tj.EndingBalance, e.Currency), orDash(tj.Type), orDash(tj.Description), date(c, e.Created)}
		},
		Sorts: table.DefaultSorts,
	}
}
