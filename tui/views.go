package tui

import (
	"slices"
	"strings"
	"sync"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/resources"
	"github.com/paydesk/paydesk/tui/table"
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
// replaces a view of the same Name, so the packages building Dunning,
// Webhooks and Audit swap their page in for the placeholder:
//
//	tui.Views.Register(tui.View{Key: "6", Name: "dunning", Title: "Dunning", New: dunning.New})
//
// main does this once before the first session starts.
type Registry struct {
	mu    sync.RWMutex
	views []View
}

// Views is the registry tui.New uses.
var Views = DefaultViews()

// DefaultViews returns the five resource tables and placeholders for
// Dunning, Webhooks and Audit.
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
	r.Register(placeholderView("6", "dunning", "Dunning", "failed payments and retries", "dun"))
	r.Register(placeholderView("7", "webhooks", "Webhooks", "live webhook deliveries", "wh", "events"))
	r.Register(placeholderView("8", "audit", "Audit", "the audit log of money actions", "au"))
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

func placeholderView(k, name, title, what string, aliases ...string) View {
	return View{Key: k, Name: name, Aliases: aliases, Title: title,
		New: func(c *common.Common) common.Page { return &placeholder{c: c, title: title, what: what} }}
}

// placeholder stands in for a view another package provides.
type placeholder struct {
	c           *common.Common
	title, what string
	w, h        int
}

func (p *placeholder) Init() tea.Cmd                         { return nil }
func (p *placeholder) Update(tea.Msg) (common.Page, tea.Cmd) { return p, nil }
func (p *placeholder) SetSize(w, h int)                      { p.w, p.h = w, h }
func (p *placeholder) Title() string                         { return p.title }
func (p *placeholder) ShortHelp() []key.Binding              { return nil }
func (p *placeholder) FullHelp() [][]key.Binding             { return nil }
func (p *placeholder) View() string {
	s := p.c.Styles
	return s.Title.Render(p.title) + "\n\n  " + s.Muted.Render("The "+p.what+" view is not part of this build yet.")
}
