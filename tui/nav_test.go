package tui

import (
	"bytes"
	"encoding/base64"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
	"github.com/paydesk/paydesk/tui/resources"
	"github.com/paydesk/paydesk/tui/table"
)

// TestNavigation walks the console under teatest: digits and :names switch
// views, / filters, enter opens a detail page, esc comes back to the same
// filtered list, pgdn pages.
func TestNavigation(t *testing.T) {
	tm := program(t, session(nil, nil), 120, 36)
	play(t, tm, []step{
		{"3", "[3 Invoices]"},
		{":", ""}, {"type:disputes", ""}, {"enter", "[4 Disputes]"},
		{":", ""}, {"type:subs", ""}, {"enter", "[2 Subscriptions]"},
		{":", ""}, {"type:cr", ""}, {"enter", "[5 Credit]"},
		{"1", "[1 Customers]"},
		{"pgdown", "page 2 · 32-60"},
		{"pgup", "page 1 · 1-31"},
		{"/", ""}, {"type:emma", "filter"}, {"enter", ""},
		{"enter", "Customer cus_CLM81QFBjObqwD"},
		{"esc", "[1 Customers]"},
	})
	m := finish(t, tm)
	tbl, ok := m.Active().(*table.Model)
	if !ok || tbl.Title() != "Customers" || len(m.stack) != 1 {
		t.Fatalf("after esc the active page is %T %q (stack %d), want the Customers table", m.Active(), m.Active().Title(), len(m.stack))
	}
	view := m.View()
	if !strings.Contains(view, "filter:/emma") || !strings.Contains(view, "cus_CLM81QFBjObqwD") || strings.Contains(view, "Clara Moore") {
		t.Fatalf("the filter did not survive the detail round trip:\n%s", view)
	}
}

func visibleIDs(t *testing.T, m *Model) []string {
	t.Helper()
	var ids []string
	for _, l := range strings.Split(m.Active().View(), "\n")[2:] {
		f := strings.Fields(strings.TrimPrefix(l, ">"))
		if len(f) > 0 && strings.Contains(f[0], "_") {
			ids = append(ids, f[0])
		}
	}
	return ids
}

func TestPaging(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	p1 := visibleIDs(t, m)
	if len(p1) != 31 {
		t.Fatalf("first page has %d rows, want 31 (36 lines - header, footer, heading, columns)", len(p1))
	}
	drive(m, keyMsg("pgdown"))
	p2 := visibleIDs(t, m)
	if len(p2) != 29 {
		t.Fatalf("second page has %d rows, want the 29 remaining of 60", len(p2))
	}
	for _, id := range p2 {
		if slices.Contains(p1, id) {
			t.Fatalf("%s is on both pages", id)
		}
	}
	drive(m, keyMsg("pgdown")) // no further page: stays
	if got := visibleIDs(t, m); !slices.Equal(got, p2) {
		t.Fatal("pgdn past the end moved")
	}
	drive(m, keyMsg("pgup"))
	if got := visibleIDs(t, m); !slices.Equal(got, p1) {
		t.Fatalf("pgup did not come back to the first page:\n%v\n%v", got, p1)
	}
	// Moving down from the last row continues on the next page.
	for range 31 {
		drive(m, keyMsg("down"))
	}
	if env, _ := m.Active().(*table.Model).Selected(); env.ID != p2[0] {
		t.Fatalf("down from the last row selected %s, want %s", env.ID, p2[0])
	}
}

func TestFilterStatusSort(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	drive(m, keys("/", "z", "a", "r", "a")...)
	ids := visibleIDs(t, m)
	if len(ids) == 0 {
		t.Fatal("filter zara matched nothing")
	}
	for _, id := range ids {
		e, err := fx.Store.Get(storage.KindCustomer, id)
		if err != nil || !strings.Contains(strings.ToLower(e.Name+" "+e.Email), "zara") {
			t.Fatalf("filter zara shows %s (%s, %s)", id, e.Name, e.Email)
		}
	}
	drive(m, keyMsg("esc"))
	if n := len(visibleIDs(t, m)); n != 31 {
		t.Fatalf("esc did not clear the filter: %d rows", n)
	}

	drive(m, keyMsg("3"), keyMsg("f")) // invoices, status open
	tbl := m.Active().(*table.Model)
	lines := strings.Split(tbl.View(), "\n")[2:]
	if len(lines) == 0 || !strings.Contains(tbl.View(), "status:open") {
		t.Fatalf("invoices filtered on open:\n%s", tbl.View())
	}
	for _, l := range lines {
		if f := strings.Fields(strings.TrimPrefix(l, ">")); len(f) < 2 || f[1] != "open" {
			t.Fatalf("status filter open shows %q", l)
		}
	}
	drive(m, keyMsg("F")) // back to all
	drive(m, keyMsg("s")) // amount, largest first within a currency
	if !strings.Contains(tbl.View(), "sort:amount") {
		t.Fatalf("sort toggle: %s", strings.SplitN(tbl.View(), "\n", 2)[0])
	}
	p, _ := fx.Store.List(storage.Query{Kind: storage.KindInvoice, Sort: storage.SortCurrencyAmount, Limit: 1})
	if env, _ := tbl.Selected(); env.ID != p.Items[0].ID || env.Amount < p.Items[0].Amount {
		t.Fatalf("amount sort starts at %s, want %s", env.ID, p.Items[0].ID)
	}
}

func TestCommandLine(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	drive(m, keys(":", "n", "o", "p", "e", "enter")...)
	if m.toast.Text != "no view named nope" {
		t.Fatalf("toast %q", m.toast.Text)
	}
	drive(m, keys(":", "i", "n", "v", "enter")...)
	if m.view.Name != "invoices" {
		t.Fatalf(":inv opened %q", m.view.Name)
	}
	// While the filter line is focused digits and q are text, not keys.
	drive(m, keys("/", "1", "q")...)
	if m.view.Name != "invoices" || !strings.Contains(m.View(), "/1q") {
		t.Fatalf("keys leaked out of the filter line: view %s", m.view.Name)
	}
}

type fakePage struct{ title string }

func (p *fakePage) Init() tea.Cmd                         { return nil }
func (p *fakePage) Update(tea.Msg) (common.Page, tea.Cmd) { return p, nil }
func (p *fakePage) View() string                          { return "fake page " + p.title }
func (p *fakePage) SetSize(int, int)                      {}
func (p *fakePage) Title() string                         { return p.title }
func (p *fakePage) ShortHelp() []key.Binding              { return nil }
func (p *fakePage) FullHelp() [][]key.Binding             { return nil }

func TestRegistryReplacesPlaceholder(t *testing.T) {
	reg := DefaultViews()
	reg.Register(View{Key: "6", Name: "dunning", Title: "Dunning", New: func(*common.Common) common.Page { return &fakePage{title: "Dunning"} }})
	reg.Register(View{Key: "9", Name: "extra", Title: "Extra", New: func(*common.Common) common.Page { return &fakePage{title: "Extra"} }})
	m := NewWith(session(nil, nil), reg)
	drive(m, run(m.Init()), tea.WindowSizeMsg{Width: 120, Height: 36}, keyMsg("6"))
	if !strings.Contains(m.View(), "fake page Dunning") {
		t.Fatalf("6 did not open the registered dunning page:\n%s", m.View())
	}
	drive(m, keys(":", "e", "x", "enter")...)
	if m.Active().Title() != "Extra" {
		t.Fatalf(":ex opened %q", m.Active().Title())
	}
	if len(reg.List()) != len(DefaultViews().List())+1 || reg.List()[5].Name != "dunning" {
		t.Fatal("replacing a view moved it or added a second one")
	}
}

func TestOfflineRefetchAndCopy(t *testing.T) {
	var out bytes.Buffer
	// No key: browsing works, r says why it cannot refetch.
	m := start(session(&out, nil), 120, 36)
	if !strings.Contains(m.View(), "offline") {
		t.Fatal("header does not say offline")
	}
	drive(m, keyMsg("r"))
	if !strings.Contains(m.toast.Text, "refetch unavailable: no Stripe key configured") {
		t.Fatalf("r without a key: %q", m.toast.Text)
	}
	// A key but --offline.
	m = start(session(&out, func(c *common.Common) { c.Billing, c.Offline = fx.Billing, true }), 120, 36)
	drive(m, keyMsg("r"))
	if !strings.Contains(m.toast.Text, "offline: Stripe is unreachable") {
		t.Fatalf("r offline: %q", m.toast.Text)
	}
	// y copies the selected id with OSC 52 on the session's output.
	drive(m, keyMsg("y"))
	env, _ := m.Active().(*table.Model).Selected()
	osc := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(env.ID))
	if !strings.Contains(out.String(), osc) || m.toast.Text != "copied "+env.ID {
		t.Fatalf("y wrote %q, toast %q", out.String(), m.toast.Text)
	}

	// Online: r refetches through billing from the sandbox.
	m = start(session(&out, func(c *common.Common) { c.Billing = fx.Billing }), 120, 36)
	if !strings.Contains(m.View(), "online") {
		t.Fatal("header does not say online")
	}
	_, cmd := m.Update(keyMsg("r"))
	msg := cmd()
	rm, ok := msg.(common.RefetchedMsg)
	if !ok || rm.Err != nil {
		t.Fatalf("refetch returned %#v", msg)
	}
	drive(m, rm)
	if m.toast.Text != "refetched "+rm.ID+" from Stripe" {
		t.Fatalf("toast %q", m.toast.Text)
	}
}

func TestActionsHook(t *testing.T) {
	var opened string
	actions := &common.Actions{}
	actions.Register(common.ActionSpec{Kind: storage.KindCustomer, Key: "C", Label: "adjust credit", Action: "credit",
		Open: func(c *common.Common, env storage.Envelope) (common.Page, error) {
			opened = env.ID
			return &fakePage{title: "credit " + env.ID}, nil
		}})
	ro := session(nil, func(c *common.Common) { c.Actions, c.ReadOnly = actions, true })
	m := start(ro, 120, 36)
	drive(m, keyMsg("enter"))
	m.Active().SetSize(120, 200) // show the whole page
	if !strings.Contains(m.Active().View(), "C  adjust credit — unavailable: read-only session") {
		t.Fatalf("detail page does not explain the unavailable action:\n%s", m.Active().View())
	}
	drive(m, keyMsg("C"))
	if opened != "" || !strings.Contains(m.toast.Text, "read-only") {
		t.Fatalf("read-only C opened %q, toast %q", opened, m.toast.Text)
	}

	rw := session(nil, func(c *common.Common) { c.Actions, c.Billing = actions, fx.Billing })
	m = start(rw, 120, 36)
	drive(m, keyMsg("enter"))
	drive(m, keyMsg("C"))
	if opened == "" || m.Active().Title() != "credit "+opened {
		t.Fatalf("C on an admin session: opened %q, active %q, toast %q", opened, m.Active().Title(), m.toast.Text)
	}
	drive(m, keyMsg("esc"))
	if _, ok := m.Active().(*resources.Detail); !ok {
		t.Fatalf("esc from the action page went to %T", m.Active())
	}

	// The same key works on the selected row of the customers table.
	drive(m, keyMsg("esc"), keyMsg("down"))
	want, _ := m.Active().(*table.Model).Selected()
	drive(m, keyMsg("C"))
	if opened != want.ID || m.Active().Title() != "credit "+want.ID {
		t.Fatalf("C on the table row opened %q (active %q), want %s", opened, m.Active().Title(), want.ID)
	}
}

// TestRelatedNavigation: tab selects the related objects listed on a
// detail page, enter opens them, esc comes back to the same selection.
func TestRelatedNavigation(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	drive(m, keyMsg("/"))
	drive(m, keyMsg("kenji.novak"))
	drive(m, keyMsg("enter"))
	drive(m, keyMsg("enter"))
	cus := m.Active().(*resources.Detail)
	drive(m, keyMsg("tab")) // the subscription
	drive(m, keyMsg("enter"))
	sub, ok := m.Active().(*resources.Detail)
	if !ok || sub.ID() != "sub_3nuYO1EqExcpou" {
		t.Fatalf("enter on the first related row opened %T %q", m.Active(), m.Active().Title())
	}
	drive(m, keyMsg("tab")) // the customer field
	drive(m, keyMsg("enter"))
	if d, ok := m.Active().(*resources.Detail); !ok || d.ID() != cus.ID() {
		t.Fatalf("the customer link opened %q", m.Active().Title())
	}
	drive(m, keyMsg("esc"), keyMsg("esc"))
	if m.Active() != common.Page(cus) || !strings.Contains(cus.View(), "> sub_3nuYO1EqExcpou") {
		t.Fatalf("esc did not come back to the customer page with its selection:\n%s", cus.View())
	}
	drive(m, keyMsg("shift+tab"))
	if v := cus.View(); !strings.Contains(v, "> ch_") && !strings.Contains(v, "> cbtxn_") && !strings.Contains(v, "> … ") {
		// shift+tab from the first link wraps to the last one (a charge, a
		// balance transaction or a "… more in the cache" link further
		// down): the viewport follows it.
		t.Fatalf("shift+tab did not wrap to the last related row:\n%s", cus.View())
	}
}

// TestHeader: account, mode, online state, cache age on the session clock
// and the empty-cache warning.
func TestHeader(t *testing.T) {
	later := func() time.Time { return fixture.Now.Add(3 * time.Hour) }
	m := start(session(nil, func(c *common.Common) { c.Clocks.Account, c.Mode, c.Account = later, "", "" }), 120, 36)
	h := strings.SplitN(m.View(), "\n", 2)[0]
	// Without Account and Mode the header reads the cached account's name
	// (or id, or a generic label) and mode ("test", from the sandbox key).
	acct, _ := fx.Store.Account()
	label := acct.Name
	if label == "" {
		label = acct.ID
	}
	if label == "" {
		label = "Stripe account"
	}
	for _, want := range []string{"paydesk", label, "test", "offline", "cache 3h ago", "no webhooks"} {
		if !strings.Contains(h, want) {
			t.Errorf("header %q lacks %q", h, want)
		}
	}
	empty, err := storage.Open(filepath.Join(t.TempDir(), "empty.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	m = start(session(nil, func(c *common.Common) { c.Store, c.Mode = empty, "live" }), 120, 36)
	v := m.View()
	if h := strings.SplitN(v, "\n", 2)[0]; !strings.Contains(h, "cache empty") || !strings.Contains(h, "LIVE") {
		t.Errorf("empty live cache header: %q", h)
	}
	if !strings.Contains(v, "no customers cached yet") {
		t.Errorf("empty customers view:\n%s", v)
	}
}

// TestRouteMessages: OpenObjectMsg opens the object's detail page (the
// kind guessed from the id when absent); ActionRequestMsg starts the
// registered action for the target's kind or says it is unavailable.
func TestRouteMessages(t *testing.T) {
	var started string
	actions := &common.Actions{}
	actions.Register(common.ActionSpec{Kind: storage.KindInvoice, Key: "P", Label: "pay now", Action: billing.ActionInvoicePay,
		Open: func(c *common.Common, env storage.Envelope) (common.Page, error) {
			started = env.ID
			return &fakePage{title: "pay " + env.ID}, nil
		}})
	m := start(session(nil, func(c *common.Common) { c.Actions, c.Billing = actions, fx.Billing }), 120, 36)
	// Ids come from the cache: which objects the seeded account has depends
	// on the anchor date.
	inv, ch := firstCached(t, storage.KindInvoice, "open"), firstCached(t, storage.KindCharge, "")
	drive(m, common.OpenObjectMsg{ID: inv})
	if d, ok := m.Active().(*resources.Detail); !ok || d.ID() != inv || !strings.Contains(d.Title(), "Invoice") {
		t.Fatalf("OpenObjectMsg opened %T %q", m.Active(), m.Active().Title())
	}
	drive(m, common.OpenObjectMsg{Kind: storage.KindCustomer, ID: "cus_nope"})
	if m.toast.Text != "cus_nope is not in the cache" {
		t.Fatalf("missing object toast %q", m.toast.Text)
	}
	drive(m, common.ActionRequestMsg{Action: billing.ActionInvoicePay, Target: inv})
	if started != inv || m.Active().Title() != "pay "+inv {
		t.Fatalf("ActionRequestMsg started %q, active %q", started, m.Active().Title())
	}
	drive(m, common.ActionRequestMsg{Action: billing.ActionRefund, Target: ch})
	if m.toast.Text != "Refund on charges is not available in this build" {
		t.Fatalf("unregistered action toast %q", m.toast.Text)
	}
}

// TestOperatorChangedTakesTheNewRole: a key's role edited while its SSH
// session is open reaches the console; a viewer becomes read-only and a
// finance operator may act again.
func TestOperatorChangedTakesTheNewRole(t *testing.T) {
	c := session(nil, nil)
	m := start(c, 120, 36)
	drive(m, common.OperatorChangedMsg{Operator: billing.Operator{Name: "ana (SHA256:x)", Role: billing.RoleViewer}})
	if !c.ReadOnly || c.Operator.Role != billing.RoleViewer || !strings.Contains(m.View(), "your role is now viewer") {
		t.Fatalf("after a downgrade: read-only %v, role %q\n%s", c.ReadOnly, c.Operator.Role, m.View())
	}
	drive(m, common.OperatorChangedMsg{Operator: billing.Operator{Name: "ana (SHA256:x)", Role: billing.RoleFinance}})
	if c.ReadOnly || c.Operator.Role != billing.RoleFinance {
		t.Fatalf("after an upgrade: read-only %v, role %q", c.ReadOnly, c.Operator.Role)
	}
}

// TestMoreOpensCustomerList: on a detail page, tab selects the "… N more
// in the cache" line under a related list (N counts the rest) and enter
// opens that kind's table fixed to the customer ("Invoices of cus_…"),
// listing every cached object of the customer; esc comes back.
func TestMoreOpensCustomerList(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	drive(m, keyMsg("/"))
	drive(m, keyMsg("kenji.novak"))
	drive(m, keyMsg("enter"))
	drive(m, keyMsg("enter"))
	cus, ok := m.Active().(*resources.Detail)
	if !ok {
		t.Fatalf("enter opened %T", m.Active())
	}
	opened := map[string]bool{}
	for i := 0; i < 40; i++ {
		drive(m, keyMsg("tab"))
		sel := regexp.MustCompile(`> … (\d+) more in the cache`).FindStringSubmatch(cus.View())
		if sel == nil {
			continue
		}
		drive(m, keyMsg("enter"))
		tbl, ok := m.Active().(*table.Model)
		if !ok {
			t.Fatalf("enter on the more line opened %T %q", m.Active(), m.Active().Title())
		}
		d := tbl.Descriptor()
		titles := map[storage.Kind]string{storage.KindInvoice: "Invoices", storage.KindCharge: "Charges",
			storage.KindSubscription: "Subscriptions", storage.KindRefund: "Refunds", storage.KindDispute: "Disputes",
			storage.KindBalanceTransaction: "Balance transactions"}
		if d.Customer != cus.ID() || tbl.Title() != titles[d.Kind]+" of "+cus.ID() {
			t.Fatalf("more line opened %q (customer %q)", tbl.Title(), d.Customer)
		}
		all, err := fx.Store.List(storage.Query{Kind: d.Kind, Customer: cus.ID(), Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Items) <= 5 || tbl.Rows() != min(len(all.Items), 31) {
			t.Fatalf("%s: %d rows shown, the cache holds %d of the customer's", tbl.Title(), tbl.Rows(), len(all.Items))
		}
		if want := strconv.Itoa(len(all.Items) - 5); sel[1] != want {
			t.Fatalf("%s: the more line says %s more, the cache holds %s beyond the 5 shown", tbl.Title(), sel[1], want)
		}
		for r := 0; r < tbl.Rows(); r++ {
			if env, _ := tbl.Selected(); env.Customer != cus.ID() {
				t.Fatalf("%s lists %s of %s", tbl.Title(), env.ID, env.Customer)
			}
			drive(m, keyMsg("down"))
		}
		if !strings.Contains(m.View(), "esc ‹") || !strings.Contains(m.View(), tbl.Title()) {
			t.Fatalf("the list's breadcrumb is missing:\n%s", m.View())
		}
		opened[string(d.Kind)] = true
		drive(m, keyMsg("esc"))
		if m.Active() != common.Page(cus) {
			t.Fatalf("esc from %s came back to %q", tbl.Title(), m.Active().Title())
		}
	}
	if !opened[string(storage.KindInvoice)] || !opened[string(storage.KindCharge)] {
		t.Fatalf("more lines opened %v, want the customer's invoices and charges", opened)
	}
}

// firstCached returns the id of the oldest cached object of kind (in
// status, when not empty).
func firstCached(t *testing.T, kind storage.Kind, status string) string {
	t.Helper()
	var id string
	r := storage.Range{Kind: kind}
	if status != "" {
		r.By, r.Group = storage.ByStatus, status
	}
	err := fx.Store.Walk(r, func(e storage.Envelope) error {
		id = e.ID
		return storage.ErrStopWalk
	})
	if err != nil || id == "" {
		t.Fatalf("no %s cached: %v", kind, err)
	}
	return id
}
