// Package resources describes the browsable kinds to the generic resource
// table (Customers, Subscriptions, Invoices, Disputes, Credit) and holds
// their detail pages.
package resources

import (
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/table"
)

func date(c *common.Common, unix int64) string { return format.Date(unix, c.Loc) }

func relUnix(c *common.Common, unix int64) string {
	if unix == 0 {
		return "-"
	}
	return format.Relative(time.Unix(unix, 0), c.Now())
}

// Customers lists customers newest first; a search matches id, email or
// name; s sorts by balance.
func Customers() *table.Descriptor {
	return &table.Descriptor{
		Name: "customers", Title: "Customers", Kind: storage.KindCustomer,
		Columns: []table.Column{
			{Title: "ID", Width: 18},
			{Title: "Name", Width: 16, Flex: true, Min: 10},
			{Title: "Email", Width: 22, Flex: true, Min: 12, Priority: 2},
			{Title: "Balance", Width: 16, Right: true},
			{Title: "State", Width: 10, Status: true, Priority: 1},
			{Title: "Created", Width: 10, Priority: 3},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			state := ""
			if decode[customerJSON](e.Raw).Delinquent {
				state = "delinquent"
			}
			if e.Deleted {
				state = "deleted"
			}
			balance := money.Balance(e.Amount, e.Currency)
			if e.Currency == "" && e.Amount == 0 {
				balance = "-" // never billed: no currency, "0.00" would read as an amount
			}
			return []string{e.ID, orDash(e.Name), orDash(e.Email), balance, state, date(c, e.Created)}
		},
		Sorts: []table.SortSpec{
			{Label: "newest", Sort: storage.SortCreated},
			{Label: "balance", Sort: storage.SortCurrencyAmount},
		},
		Detail: func(c *common.Common, e storage.Envelope) common.Page { return NewCustomer(c, e.ID) },
		Empty:  "no customers cached yet: run paydesk sync",
	}
}

// Subscriptions lists subscriptions with a status filter.
func Subscriptions() *table.Descriptor {
	return &table.Descriptor{
		Name: "subscriptions", Title: "Subscriptions", Kind: storage.KindSubscription,
		Columns: []table.Column{
			{Title: "ID", Width: 18},
			{Title: "Status", Width: 18, Status: true},
			{Title: "Plan", Width: 14, Flex: true, Min: 8, Priority: 2},
			{Title: "Amount", Width: 11, Right: true},
			{Title: "Customer", Width: 22, Flex: true, Min: 12, Priority: 1},
			{Title: "Period end", Width: 11, Priority: 3},
			{Title: "Created", Width: 10, Priority: 4},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			s := decode[subscriptionJSON](e.Raw)
			end := date(c, s.CurrentPeriodEnd)
			if s.CancelAtPeriodEnd {
				end += "*"
			}
			return []string{e.ID, s.status(e.Status), s.plan(), subscriptionAmount(s, e), customerEmail(c, e.Customer), end, date(c, e.Created)}
		},
		Filters: statusFilters("active", "trialing", "past_due", "unpaid", "paused", "incomplete", "incomplete_expired", "canceled"),
		Sorts:   table.DefaultSorts,
		Detail:  func(c *common.Common, e storage.Envelope) common.Page { return NewSubscription(c, e.ID) },
	}
}

// Invoices lists invoices with a status filter.
func Invoices() *table.Descriptor {
	return &table.Descriptor{
		Name: "invoices", Title: "Invoices", Kind: storage.KindInvoice,
		Columns: []table.Column{
			{Title: "Number", Width: 14},
			{Title: "Status", Width: 13, Status: true},
			{Title: "Amount due", Width: 11, Right: true},
			{Title: "Customer", Width: 18, Flex: true, Min: 12, Priority: 2},
			{Title: "Tries", Width: 5, Right: true, Priority: 3},
			{Title: "Next try", Width: 9, Priority: 1},
			{Title: "ID", Width: 18, Priority: 5},
			{Title: "Created", Width: 10, Priority: 4},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			in := decode[invoiceJSON](e.Raw)
			who := e.Email
			if who == "" {
				who = e.Customer
			}
			return []string{orDash(e.Number), e.Status, money.Format(e.Amount, e.Currency), who,
				itoa(in.AttemptCount), relUnix(c, in.NextPaymentAttempt), e.ID, date(c, e.Created)}
		},
		Filters: statusFilters("open", "paid", "draft", "uncollectible", "void"),
		Sorts:   table.DefaultSorts,
		Detail:  func(c *common.Common, e storage.Envelope) common.Page { return NewInvoice(c, e.ID) },
	}
}

// Disputes lists disputes with their evidence deadline.
func Disputes() *table.Descriptor {
	return &table.Descriptor{
		Name: "disputes", Title: "Disputes", Kind: storage.KindDispute,
		Columns: []table.Column{
			{Title: "ID", Width: 18},
			{Title: "Status", Width: 22, Status: true},
			{Title: "Reason", Width: 14, Flex: true, Min: 8, Priority: 3}, // on the detail page; the customer says whose
			{Title: "Amount", Width: 11, Right: true},
			{Title: "Due", Width: 10, Priority: 1},
			{Title: "Customer", Width: 22, Flex: true, Min: 10, Priority: 2},
			{Title: "Created", Width: 10, Priority: 4},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			d := decode[disputeJSON](e.Raw)
			due := dueWords(e.Status, d.EvidenceDetails.DueBy, d.EvidenceDetails.PastDue, c.Now())
			return []string{e.ID, e.Status, orDash(d.Reason), money.Format(e.Amount, e.Currency), due, customerEmail(c, e.Customer), date(c, e.Created)}
		},
		// Default: the disputes that need a response, soonest evidence
		// deadline first (idx/dispute/status_at holds evidence due_by).
		Filters: append([]table.Filter{{Label: "needs_response", Status: "needs_response"}},
			statusFilters("warning_needs_response", "under_review", "warning_under_review", "won", "lost", "warning_closed")...),
		Sorts: []table.SortSpec{
			{Label: "deadline", Sort: storage.SortStatusAt, Asc: true},
			{Label: "newest", Sort: storage.SortCreated},
			{Label: "amount", Sort: storage.SortAmount},
		},
		Detail: func(c *common.Common, e storage.Envelope) common.Page { return NewDispute(c, e.ID) },
	}
}

func needsResponse(status string) bool {
	return status == "needs_response" || status == "warning_needs_response"
}

// Credit lists customers with a non-zero balance through the balance index.
func Credit() *table.Descriptor {
	return &table.Descriptor{
		Name: "credit", Title: "Credit", Kind: storage.KindCustomer,
		Columns: []table.Column{
			{Title: "Customer", Width: 18},
			{Title: "Name", Width: 16, Flex: true, Min: 10},
			{Title: "Email", Width: 22, Flex: true, Min: 12, Priority: 1},
			{Title: "Balance", Width: 16, Right: true},
			{Title: "Last balance transaction", Width: 24, Flex: true, Min: 12, Priority: 2},
		},
		Row: func(c *common.Common, e storage.Envelope) []string {
			return []string{e.ID, orDash(e.Name), orDash(e.Email), money.Balance(e.Amount, e.Currency), lastTxn(c, e.ID)}
		},
		Filters: []table.Filter{
			{Label: "non-zero", Balance: storage.BalanceNonZero},
			{Label: "credit", Balance: storage.BalanceCredit},
			{Label: "owed", Balance: storage.BalanceOwed},
		},
		Sorts: []table.SortSpec{
			{Label: "owed first", Asc: false},
			{Label: "credit first", Asc: true},
		},
		Detail: func(c *common.Common, e storage.Envelope) common.Page { return NewCustomer(c, e.ID) },
		Empty:  "no customer has a balance",
	}
}

// lastTxn describes a customer's newest cached balance transaction (one
// customer-index read per row of the visible page).
func lastTxn(c *common.Common, customer string) string {
	p, err := c.Store.List(storage.Query{Kind: storage.KindBalanceTransaction, Customer: customer, Limit: 1})
	if err != nil || len(p.Items) == 0 {
		return "-"
	}
	t := p.Items[0]
	tj := decode[balanceTxnJSON](t.Raw)
	s := money.Movement(t.Amount, t.Currency) + " " + date(c, t.Created)
	if tj.Description != "" {
		s += " " + tj.Description
	}
	return s
}

// customerEmail names a customer in a list by the cached email (one read
// of the visible page's row), else its id; "-" when there is none.
func customerEmail(c *common.Common, id string) string {
	if id == "" {
		return "-"
	}
	if e, err := c.Store.Get(storage.KindCustomer, id); err == nil && e.Email != "" {
		return e.Email
	}
	return id
}

func statusFilters(statuses ...string) []table.Filter {
	out := []table.Filter{{Label: "all"}}
	for _, s := range statuses {
		out = append(out, table.Filter{Label: s, Status: s})
	}
	return out
}
