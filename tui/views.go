package tui

import (
	"slices"
	"strings"
	"sync"

	"github.com/paydesk/paydesk/tui/audit"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/dunning"
	"github.com/paydesk/paydesk/tui/resources"
	"github.com/paydesk/paydesk/tui/table"
	"github.com/paydesk/paydesk/tui/webhooks"
)

// View is one top-level screen reachable with a digit key or :name.
type View struct {
	// Key is the digit that opens the view ("1".."9"); may be empty.
	Key string
	// Name is the :command name; Aliases are other accepted names.
	Name    string
	Aliases []string
	// Title is shown in the header and the view list.
	Title string
	// New builds the view's page for a session.
	New func(c *common.Common) common.Page
}

// Registry holds the views of the console in display order. Register
// replaces a view of the same Name (tests swap pages in this way).
type Registry struct {
	mu    sync.RWMutex
	views []View
}

// Views is the registry tui.New uses.
var Views = DefaultViews()

// DefaultViews returns the views: the five resource tables, Dunning,
// Webhooks, Audit, Payments (charges and payment intents), Refunds,
// Coupons and Promotion codes (`:refunds`, `:coupons`, `:promotion-codes`,
// no digit).
func DefaultViews() *Registry {
	r := &Registry{}
	tableView := func(k string, d func() *table.Descriptor, aliases ...string) View {
		desc := d()
		return View{Key: k, Name: desc.Name, Aliases: aliases, Title: desc.Title,
			New: func(c *common.Common) common.Page { return table.New(c, d()) }}
	}
	r.Register(tableView("1", resources.Customers, "cus", "customer", "cu"))
	r.Register(tableView("2", resources.Subscriptions, "subs", "sub", "subscription"))
	r.Register(tableView("3", resources.Invoices, "inv", "invoice", "in"))
	r.Register(tableView("4", resources.Disputes, "dp", "dispute", "di"))
	r.Register(tableView("5", resources.Credit, "balance", "balances", "cr"))
	r.Register(View{Key: "6", Name: "dunning", Aliases: []string{"dun"}, Title: "Dunning",
		New: func(c *common.Common) common.Page { return dunning.New(c) }})
	r.Register(View{Key: "7", Name: "webhooks", Aliases: []string{"wh", "events"}, Title: "Webhooks",
		New: func(c *common.Common) common.Page { return webhooks.New(c) }})
	r.Register(View{Key: "8", Name: "audit", Aliases: []string{"au"}, Title: "Audit", New: audit.New})
	r.Register(View{Key: "9", Name: "payments", Aliases: []string{"pay", "charges", "ch", "intents", "pi"}, Title: "Payments",
		New: func(c *common.Common) common.Page { return resources.NewPayments(c) }})
	r.Register(tableView("", resources.Refunds, "re", "refund"))
	r.Register(tableView("", resources.Coupons, "coupon"))
	r.Register(tableView("", resources.PromotionCodes, "promos", "promo", "promotion_codes", "codes"))
	return r
}

// Register adds v, or replaces the view with the same Name (keeping its
// position). A Key already used by another view is taken from it.
func (r *Registry) Register(v View) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range r.views {
		if r.views[i].Name != v.Name && v.Key != "" && r.views[i].Key == v.Key {
			r.views[i].Key = ""
		}
	}
	for i := range r.views {
		if r.views[i].Name == v.Name {
			r.views[i] = v
			return
		}
	}
	r.views = append(r.views, v)
}

// List returns the views in order.
func (r *Registry) List() []View {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.views)
}

// ByKey finds the view bound to a digit.
func (r *Registry) ByKey(k string) (View, bool) {
	for _, v := range r.List() {
		if v.Key != "" && v.Key == k {
			return v, true
		}
	}
	return View{}, false
}

// Lookup finds a view by name, alias, or unambiguous name prefix.
func (r *Registry) Lookup(name string) (View, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return View{}, false
	}
	views := r.List()
	for _, v := range views {
		if v.Name == name || slices.Contains(v.Aliases, name) || v.Key == name {
			return v, true
		}
	}
	var found []View
	for _, v := range views {
		if strings.HasPrefix(v.Name, name) {
			found = append(found, v)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return View{}, false
}
