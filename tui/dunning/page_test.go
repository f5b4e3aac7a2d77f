package dunning_test

import (
	"cmp"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/paydesk/paydesk/tui/internal/goldens"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/dunning/dunningtest"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/dunning"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

func loadedStore(t *testing.T) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := dunningtest.Load(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func start(t *testing.T, c *common.Common) (*teatest.TestModel, *pagetest.Harness) {
	t.Helper()
	h := pagetest.New(dunning.New(c))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	t.Cleanup(func() { tm.Quit() })
	return tm, h
}

// waitFor is pagetest.WaitFor.
var waitFor = pagetest.WaitFor

func key(tm *teatest.TestModel, k string) {
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
}

// routedN waits until the page has sent n routing messages to the root
// (commands run concurrently, so each key waits for its message).
func routedN(t *testing.T, h *pagetest.Harness, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(h.Routed()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("routed %v, want %d messages", h.Routed(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func final(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
}

// TestGolden7d: the 7-day screen of the hand-built dataset at 120x36.
func TestGolden7d(t *testing.T) {
	tm, _ := start(t, pagetest.Session(loadedStore(t), dunningtest.Now))
	waitFor(t, tm, "sub_A")
	goldens.RequireEqual(t, []byte(final(t, tm)))
}

// TestGolden90dSortedByNextRetry: w twice (30d, 90d), then s twice (attempts,
// next retry: soonest first).
func TestGolden90dSortedByNextRetry(t *testing.T) {
	tm, _ := start(t, pagetest.Session(loadedStore(t), dunningtest.Now))
	waitFor(t, tm, "sub_A")
	key(tm, "w")
	waitFor(t, tm, "last 30 days")
	key(tm, "w")
	waitFor(t, tm, "last 90 days")
	key(tm, "s")
	waitFor(t, tm, "sort: attempts")
	key(tm, "s")
	waitFor(t, tm, "sort: next retry ↑")
	goldens.RequireEqual(t, []byte(final(t, tm)))
}

// TestSortCustomerAToZ: "sort: customer" lists the worklist A to Z (it ran
// Z to A, the direction amounts start in); S reverses it.
func TestSortCustomerAToZ(t *testing.T) {
	tm, h := start(t, pagetest.Session(loadedStore(t), dunningtest.Now))
	waitFor(t, tm, "sub_A")
	for range 3 {
		key(tm, "s")
	}
	waitFor(t, tm, "sort: customer ↑")
	final(t, tm)
	p := h.Top().(*dunning.Page)
	var names []string
	for _, it := range p.Report().Work {
		names = append(names, strings.ToLower(cmp.Or(it.CustomerName, it.Customer)))
	}
	if len(names) < 2 || !slices.IsSorted(names) {
		t.Fatalf("sort: customer is not A to Z: %v", names)
	}
}

// TestGolden80x24: the figures, one cohort said on screen, and worklist
// rows at 80x24.
func TestGolden80x24(t *testing.T) {
	h := pagetest.New(dunning.New(pagetest.Session(loadedStore(t), dunningtest.Now)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { tm.Quit() })
	waitFor(t, tm, "sub_A")
	goldens.RequireEqual(t, []byte(final(t, tm)))
}

// TestRouting: enter asks for the customer, i for the invoice, p for a
// retry (only when the session may act).
func TestRouting(t *testing.T) {
	store := loadedStore(t)
	c := pagetest.Session(store, dunningtest.Now)
	cl, err := billing.New(billing.Config{SecretKey: "sk_test_routing", APIBase: "http://127.0.0.1:9", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	c.Billing = cl
	tm, h := start(t, c)
	waitFor(t, tm, "sub_A")
	// Default order: in_Q (eur), sub_F (jpy), sub_B, sub_A. Move to sub_B.
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	waitFor(t, tm, "> sub")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	routedN(t, h, 1)
	key(tm, "i")
	routedN(t, h, 2)
	key(tm, "p")
	routedN(t, h, 3)
	final(t, tm)
	want := []any{
		common.OpenObjectMsg{Kind: storage.KindCustomer, ID: "cus_B"},
		common.OpenObjectMsg{Kind: storage.KindInvoice, ID: "in_B"},
		common.ActionRequestMsg{Action: billing.ActionInvoicePay, Target: "in_B"},
	}
	got := h.Routed()
	if len(got) != len(want) {
		t.Fatalf("routed %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("routed[%d] = %#v, want %#v", i, got[i], want[i])
		}
	}
}

// TestRetryRefusedReadOnly: a read-only session gets a toast, not a form.
func TestRetryRefusedReadOnly(t *testing.T) {
	c := pagetest.Session(loadedStore(t), dunningtest.Now)
	c.ReadOnly = true
	tm, h := start(t, c)
	waitFor(t, tm, "sub_A")
	key(tm, "p")
	routedN(t, h, 1)
	final(t, tm)
	got := h.Routed()
	if len(got) != 1 {
		t.Fatalf("routed %v", got)
	}
	if toast, ok := got[0].(common.ToastMsg); !ok || toast.Text != "retry now: read-only session" {
		t.Fatalf("routed %#v", got[0])
	}
}

// TestLiveRecompute: the root broadcasts a LiveMsg for a delivery that moved
// sub_A back to active; the page recomputes: at-risk MRR drops to sub_B and
// sub_F, and in_A (still open after two failed attempts) takes sub_A's row.
func TestLiveRecompute(t *testing.T) {
	store := loadedStore(t)
	tm, _ := start(t, pagetest.Session(store, dunningtest.Now))
	waitFor(t, tm, "Worklist · 4 in dunning")
	var sub map[string]any
	for _, o := range dunningtest.Objects() {
		if o["id"] == "sub_A" {
			sub = o
		}
	}
	sub["status"] = "active"
	ev, _ := json.Marshal(map[string]any{"id": "evt_live", "object": "event", "type": "customer.subscription.updated",
		"created": dunningtest.Now.Unix() + 60, "api_version": storage.APIVersion, "data": map[string]any{"object": sub}})
	res, err := store.ApplyEvent(ev, nil)
	if err != nil || res.Verdict != storage.VerdictApplied {
		t.Fatalf("apply: %+v %v", res, err)
	}
	tm.Send(common.LiveMsg{Change: storage.Change{Result: res}})
	waitFor(t, tm, "2 subscriptions  ¥3,000 · $41.67")
	view := final(t, tm)
	if strings.Contains(view, "sub_A") || !strings.Contains(view, "inv  in_A") || !strings.Contains(view, "Worklist · 4 in dunning") {
		t.Fatalf("after sub_A recovered:\n%s", view)
	}
}
