// Package table is the console's one resource table: a page of rows of one
// cached kind, drawn from a paged storage index query and described per kind
// by a Descriptor (k9s-style). It keeps only the visible page and a stack of
// page tokens in memory, so browsing a million-object cache costs one page
// read per key press.
package table

import (
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// Column describes one column of a resource table.
type Column struct {
	Title string
	// Width is the column's minimum width in cells.
	Width int
	// Flex columns share the width left over once every column fits.
	Flex bool
	// Right aligns the cell to the right (money, counts).
	Right bool
	// Min is the narrowest the column may be cut to (with …) on a narrow
	// terminal; 0 means it is never cut. Free text gets a small Min and
	// shrinks before any column is dropped; a Priority-0 column (ids,
	// money) with a Min is cut only once nothing else can go. See Layout.
	Min int
	// Priority orders columns for dropping on narrow terminals: the highest
	// goes first; 0 is never dropped.
	Priority int
	// Status colours the cell with the session's status palette.
	Status bool
}

// Filter is one step of the `f` status filter cycle.
type Filter struct {
	Label   string
	Status  string
	Balance storage.BalanceFilter
}

// SortSpec is one step of the `s` sort cycle.
type SortSpec struct {
	Label string
	Sort  storage.Sort
	Asc   bool
}

// Descriptor tells the table how to show one kind.
type Descriptor struct {
	// Name is the view's command name (":customers"); Title its heading.
	Name, Title string
	Kind        storage.Kind
	Columns     []Column
	// Row builds the cells of one object, in Columns order.
	Row func(c *common.Common, env storage.Envelope) []string
	// Filters are cycled with f (the first one is the unfiltered view);
	// none means the kind has no status filter.
	Filters []Filter
	// Sorts are cycled with s; the first is the default.
	Sorts []SortSpec
	// Detail opens the page behind enter (nil: raw JSON).
	Detail func(c *common.Common, env storage.Envelope) common.Page
	// Empty is shown when the cache holds nothing to list.
	Empty string
	// Customer, when set, lists only that customer's objects, walking the
	// cache's customer index (newest first). See OfCustomer.
	Customer string
}

// OfCustomer is d narrowed to one customer's objects, titled
// "Invoices of cus_…". The customer index is in created order, so its only
// sort is newest first; status filters and / still apply.
func (d *Descriptor) OfCustomer(customer string) *Descriptor {
	n := *d
	n.Customer = customer
	n.Title = d.Title + " of " + customer
	n.Sorts = []SortSpec{{Label: "newest", Sort: storage.SortCreated}}
	// A customer's list starts unfiltered even where the view starts on a
	// status (Disputes start on needs_response).
	for i, f := range d.Filters {
		if i > 0 && f.Status == "" && f.Balance == "" {
			n.Filters = append(append([]Filter{f}, d.Filters[:i]...), d.Filters[i+1:]...)
			break
		}
	}
	n.Empty = "nothing cached for " + customer
	return &n
}

// DefaultSorts are newest first and largest amount first.
var DefaultSorts = []SortSpec{
	{Label: "newest", Sort: storage.SortCreated},
	{Label: "amount", Sort: storage.SortCurrencyAmount},
}
