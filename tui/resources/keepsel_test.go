package resources

import (
	"encoding/json"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// TestRelatedSelectionStaysOnItsObject: on a customer's page the tab
// selection is on the customer's second invoice when a newer invoice
// arrives (listed above it); the selection stays on the chosen invoice.
func TestRelatedSelectionStaysOnItsObject(t *testing.T) {
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	counts := map[string]int{}
	for q := (storage.Query{Kind: storage.KindInvoice, Limit: 200}); ; {
		p, err := e.Store.List(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range p.Items {
			counts[inv.Customer]++
		}
		if p.Next == "" {
			break
		}
		q.After = p.Next
	}
	cus := e.Find(storage.KindCustomer, "two invoices", func(m map[string]any) bool { return counts[actenv.Str(m, "id")] >= 2 })
	d := NewCustomer(e.Session(actenv.Admin), cus.ID)
	d.SetSize(120, 200)
	d.Init()
	seen := 0
	var chosen link
	for range 100 {
		d.Update(tea.KeyMsg{Type: tea.KeyTab})
		if l := d.links[d.sel]; l.kind == storage.KindInvoice && l.id != "" {
			if seen++; seen == 2 {
				chosen = l
				break
			}
		}
	}
	if chosen.id == "" {
		t.Fatalf("no second invoice link on %s's page:\n%s", cus.ID, d.View())
	}
	var newest storage.Envelope
	for _, l := range d.links {
		if l.kind == storage.KindInvoice && l.id != "" {
			env, err := e.Store.Get(storage.KindInvoice, l.id)
			if err != nil {
				t.Fatal(err)
			}
			newest = env
			break
		}
	}
	var m map[string]any
	if err := json.Unmarshal(newest.Raw, &m); err != nil {
		t.Fatal(err)
	}
	m["id"] = "in_ArrivedOnTop01"
	m["created"] = actenv.Num(m, "created") + 3600
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.PutObject(raw, actenv.Now.Unix()); err != nil {
		t.Fatal(err)
	}
	d.Update(common.LiveMsg{Change: storage.Change{Reload: true}})
	found := false
	for _, l := range d.links {
		found = found || l.id == "in_ArrivedOnTop01"
	}
	if !found {
		t.Fatalf("the new invoice is not on the page:\n%s", d.View())
	}
	if d.sel < 0 || d.links[d.sel] != chosen {
		t.Fatalf("selection moved from %s to %+v:\n%s", chosen.id, d.links[max(0, d.sel)], d.View())
	}
}
