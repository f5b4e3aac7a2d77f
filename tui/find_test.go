package tui

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
	"github.com/paydesk/paydesk/tui/resources"
	"github.com/paydesk/paydesk/tui/search"
	"github.com/paydesk/paydesk/tui/table"
)

// typeCommand types ":text" and enter.
func typeCommand(m *Model, text string) {
	drive(m, keyMsg(":"), keyMsg(text), keyMsg("enter"))
}

// firstOf is the newest cached object of kind in the fixture.
func firstOf(t *testing.T, q storage.Query) storage.Envelope {
	t.Helper()
	q.Limit = 1
	p, err := fx.Store.List(q)
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("fixture has no %s: %v", q.Kind, err)
	}
	return p.Items[0]
}

// TestColonOpensPastedID: ":cus_…" used to answer "no view named"; every
// kind paydesk caches opens its page from the cache.
func TestColonOpensPastedID(t *testing.T) {
	for _, k := range []storage.Kind{storage.KindCustomer, storage.KindSubscription, storage.KindInvoice, storage.KindCharge, storage.KindRefund, storage.KindDispute, storage.KindProduct, storage.KindPrice} {
		env := firstOf(t, storage.Query{Kind: k})
		m := start(session(nil, nil), 120, 36)
		typeCommand(m, env.ID)
		if len(m.stack) != 2 || !strings.Contains(m.View(), env.ID) {
			t.Fatalf(":%s did not open its page (stack %d, toast %q):\n%s", env.ID, len(m.stack), m.toast.Text, m.View())
		}
	}
}

// TestColonIDNotCachedOffline: an id that is not cached, in a session
// without Stripe, says so instead of failing or asking Stripe.
func TestColonIDNotCachedOffline(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	typeCommand(m, "cus_NotInTheCache1")
	if len(m.stack) != 1 || m.toast.Text != "cus_NotInTheCache1 is not in the cache (offline)" {
		t.Fatalf("stack %d, toast %q", len(m.stack), m.toast.Text)
	}
	typeCommand(m, "evt_NotInTheCache1")
	if len(m.stack) != 1 || m.toast.Text != "evt_NotInTheCache1 is not in the cache (offline)" {
		t.Fatalf("event: stack %d, toast %q", len(m.stack), m.toast.Text)
	}
	typeCommand(m, "nosuchview")
	if m.toast.Text != "no view named nosuchview" {
		t.Fatalf("view name: toast %q", m.toast.Text)
	}
}

// TestColonOpensStoredEvent: a pasted evt_ id opens the stored event with
// the diff it made.
func TestColonOpensStoredEvent(t *testing.T) {
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: fixture.Clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ev := `{"id":"evt_Pasted1","object":"event","type":"customer.created","created":1790000000,"api_version":"` + storage.APIVersion +
		`","data":{"object":{"id":"cus_Pasted1","object":"customer","created":1790000000,"name":"Pat Pasted"}}}`
	if _, err := s.ApplyEvent([]byte(ev), nil); err != nil {
		t.Fatal(err)
	}
	m := start(session(nil, func(c *common.Common) { c.Store = s }), 120, 36)
	typeCommand(m, "evt_Pasted1")
	if len(m.stack) != 2 || !strings.Contains(m.View(), "evt_Pasted1") || !strings.Contains(m.View(), "Pat Pasted") {
		t.Fatalf("event page not opened (toast %q):\n%s", m.toast.Text, m.View())
	}
	// Applied by catch-up, it has no receipt: the page says so and gives
	// the event's time, not a zero receipt from 1970.
	v := m.View()
	if strings.Contains(v, "1970") || strings.Contains(v, "seq 0") || !strings.Contains(v, "no webhook receipt") ||
		!strings.Contains(v, time.Unix(1790000000, 0).In(testclock.Zone()).Format("2006-01-02")) {
		t.Fatalf("event without a receipt:\n%s", v)
	}

	// Received as a webhook: its receipt (seq, HTTP status) is shown.
	ev2 := `{"id":"evt_Pasted2","object":"event","type":"customer.updated","created":1790000100,"api_version":"` + storage.APIVersion +
		`","data":{"object":{"id":"cus_Pasted1","object":"customer","created":1790000000,"name":"Pat Posted"}}}`
	d := &storage.Delivery{At: time.Unix(1790000101, 0).UnixNano(), Source: "webhook", Status: 200, Bytes: len(ev2)}
	if _, err := s.ApplyEvent([]byte(ev2), d); err != nil {
		t.Fatal(err)
	}
	typeCommand(m, "evt_Pasted2")
	v = m.View()
	if want := fmt.Sprintf("seq %d", d.Seq); d.Seq == 0 || !strings.Contains(v, want) || !strings.Contains(v, "HTTP 200") {
		t.Fatalf("event with a receipt (seq %d):\n%s", d.Seq, v)
	}
}

// TestFindFromAnyView: ctrl+f from a view, type a customer's name, enter
// opens the first hit's page.
func TestFindFromAnyView(t *testing.T) {
	cus := firstOf(t, storage.Query{Kind: storage.KindCustomer})
	name := strings.Fields(cus.Name)[0]
	m := start(session(nil, nil), 120, 36)
	drive(m, keyMsg("3"))
	drive(m, tea.KeyMsg{Type: tea.KeyCtrlF})
	p, ok := m.Active().(*search.Page)
	if !ok {
		t.Fatalf("ctrl+f opened %T", m.Active())
	}
	drive(m, keyMsg(strings.ToLower(name)))
	if r := p.Result(); r.Count() == 0 || r.Groups[0].Kind != storage.KindCustomer {
		t.Fatalf("%q found %+v", name, r.Groups)
	}
	if !strings.Contains(m.View(), "Customers") {
		t.Fatalf("results not grouped by kind:\n%s", m.View())
	}
	// q is text in the search line, not quit.
	drive(m, keyMsg("q"))
	drive(m, keyMsg("backspace"))
	drive(m, keyMsg("enter"))
	if _, ok := m.Active().(*resources.Detail); !ok {
		t.Fatalf("enter opened %T, want a detail page", m.Active())
	}
}

// TestSubscriptionsFilterByCustomerName is the "/chen" case: a list
// filters by its customer's name as well as its own fields.
func TestSubscriptionsFilterByCustomerName(t *testing.T) {
	sub := firstOf(t, storage.Query{Kind: storage.KindSubscription})
	cus, err := fx.Store.Get(storage.KindCustomer, sub.Customer)
	if err != nil || cus.Name == "" {
		t.Fatalf("customer of %s: %v", sub.ID, err)
	}
	last := strings.ToLower(strings.Fields(cus.Name)[len(strings.Fields(cus.Name))-1])
	m := start(session(nil, nil), 160, 36)
	drive(m, keyMsg("2"))
	drive(m, keyMsg("/"))
	drive(m, keyMsg(last))
	drive(m, keyMsg("enter"))
	if !strings.Contains(m.View(), sub.ID) {
		t.Fatalf("/%s in Subscriptions does not show %s of %s:\n%s", last, sub.ID, cus.Name, m.View())
	}
}

// TestPaymentsAndRefundsViews: 9 lists charges (t: payment intents),
// :refunds lists refunds.
func TestPaymentsAndRefundsViews(t *testing.T) {
	m := start(session(nil, nil), 160, 36)
	drive(m, keyMsg("9"))
	ch := firstOf(t, storage.Query{Kind: storage.KindCharge})
	if !strings.Contains(m.View(), "[9 Payments]") || !strings.Contains(m.View(), ch.ID) {
		t.Fatalf("Payments view:\n%s", m.View())
	}
	drive(m, keyMsg("t"))
	p := m.Active().(*resources.Payments)
	if p.Active().Descriptor().Kind != storage.KindPaymentIntent {
		t.Fatalf("t shows %s", p.Active().Descriptor().Kind)
	}
	typeCommand(m, "refunds")
	re := firstOf(t, storage.Query{Kind: storage.KindRefund})
	if tbl, ok := m.Active().(*table.Model); !ok || tbl.Title() != "Refunds" || !strings.Contains(m.View(), re.ID) {
		t.Fatalf("Refunds view: %T\n%s", m.Active(), m.View())
	}
}

// TestInvoiceLinksCopyable: the invoice page shows the hosted invoice URL
// and the PDF link (they were only in the raw JSON); tab selects one and y
// copies it with OSC 52.
func TestInvoiceLinksCopyable(t *testing.T) {
	inv := firstOf(t, storage.Query{Kind: storage.KindInvoice, Status: "open"})
	var in struct {
		Hosted string `json:"hosted_invoice_url"`
		PDF    string `json:"invoice_pdf"`
	}
	if err := json.Unmarshal(inv.Raw, &in); err != nil || in.Hosted == "" || in.PDF == "" {
		t.Fatalf("fixture invoice %s has no links: %v", inv.ID, err)
	}
	var out bytes.Buffer
	m := start(session(&out, nil), 200, 60)
	typeCommand(m, inv.ID)
	if v := m.View(); !strings.Contains(v, in.Hosted) || !strings.Contains(v, in.PDF) {
		t.Fatalf("links not shown:\n%s", v)
	}
	for _, want := range []string{in.Hosted, in.PDF} {
		for i := 0; i < 10 && !strings.Contains(selectedLine(m.View()), want); i++ {
			drive(m, keyMsg("tab"))
		}
		drive(m, keyMsg("y"))
		osc := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(want))
		if !strings.Contains(out.String(), osc) || m.toast.Text != "copied "+want {
			t.Fatalf("y on %s: toast %q", want, m.toast.Text)
		}
	}
}

func selectedLine(view string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "> ") {
			return l
		}
	}
	return ""
}

// TestColonFetchesWhenOnline: an id the cache lacks is retrieved from
// Stripe (the sandbox) into the cache and opened; an unknown one says what
// Stripe answered; an event is shown as Stripe sent it.
func TestColonFetchesWhenOnline(t *testing.T) {
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: fixture.Clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cus := firstOf(t, storage.Query{Kind: storage.KindCustomer})
	m := start(session(nil, func(c *common.Common) { c.Store, c.Billing = s, fx.Billing }), 120, 36)
	typeCommand(m, cus.ID)
	if len(m.stack) != 2 || !strings.Contains(m.View(), "Customer "+cus.ID) {
		t.Fatalf("not opened (toast %q):\n%s", m.toast.Text, m.View())
	}
	if _, err := s.Get(storage.KindCustomer, cus.ID); err != nil {
		t.Fatalf("not cached: %v", err)
	}
	drive(m, keyMsg("esc"))
	typeCommand(m, "cus_NoSuchCustomer1")
	if len(m.stack) != 1 || !strings.Contains(m.toast.Text, "cus_NoSuchCustomer1") {
		t.Fatalf("unknown id: stack %d toast %q", len(m.stack), m.toast.Text)
	}
}

// TestColonFetchesEventWhenOnline: an event the cache never received is
// retrieved from Stripe (a sandbox of its own, whose clock emitted it) and
// shown as sent, not applied.
func TestColonFetchesEventWhenOnline(t *testing.T) {
	sb, err := sandbox.New(sandbox.Options{Seed: 5, Customers: 20, Now: fixture.Clock, WebhookClock: fixture.Clock})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	bc, err := billing.New(billing.Config{SecretKey: sb.APIKey(), APIBase: base, UploadsBase: base,
		RateLimit: 10000, Clocks: billing.Clocks{Account: fixture.Clock}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	evs := sb.Advance(72 * time.Hour)
	if len(evs) == 0 {
		t.Fatal("the sandbox emitted no event in 72h")
	}
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: fixture.Clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m := start(session(nil, func(c *common.Common) { c.Store, c.Billing = s, bc }), 120, 36)
	typeCommand(m, evs[0])
	if v := m.View(); len(m.stack) != 2 || !strings.Contains(v, "from Stripe") || !strings.Contains(v, evs[0]) {
		t.Fatalf("event not shown (toast %q):\n%s", m.toast.Text, v)
	}
	if _, err := s.Event(evs[0]); err == nil {
		t.Fatal("a fetched event was applied to the cache")
	}
}

// TestFindNothingOffline: a line with no hit in the cache of an offline
// session says Stripe was not asked, and enter keeps the page.
func TestFindNothingOffline(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	drive(m, tea.KeyMsg{Type: tea.KeyCtrlF})
	drive(m, keyMsg("zzzz-nothing"))
	drive(m, keyMsg("enter"))
	if _, ok := m.Active().(*search.Page); !ok || !strings.Contains(m.View(), "nothing in the cache matches (offline: Stripe not asked)") {
		t.Fatalf("%T:\n%s", m.Active(), m.View())
	}
	drive(m, keyMsg("esc"))
	if len(m.stack) != 1 {
		t.Fatalf("esc left %d pages", len(m.stack))
	}
}
