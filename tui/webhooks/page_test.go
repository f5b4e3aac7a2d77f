package webhooks_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/paydesk/paydesk/tui/internal/goldens"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
	"github.com/paydesk/paydesk/tui/webhooks"
)

var now = at(12, 0, 0)

func start(t *testing.T, c *common.Common) (*teatest.TestModel, *pagetest.Harness) {
	t.Helper()
	h := pagetest.New(webhooks.New(c))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	t.Cleanup(func() { tm.Quit() })
	return tm, h
}

// waitFor is pagetest.WaitFor.
var waitFor = pagetest.WaitFor

func typeKeys(tm *teatest.TestModel, s string) {
	for _, r := range s {
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func press(tm *teatest.TestModel, k tea.KeyType, n int) {
	for range n {
		tm.Send(tea.KeyMsg{Type: k})
	}
}

func final(t *testing.T, tm *teatest.TestModel) *pagetest.Harness {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*pagetest.Harness)
}

func listPage(t *testing.T, h *pagetest.Harness) *webhooks.Page {
	t.Helper()
	p, ok := h.Top().(*webhooks.Page)
	if !ok {
		t.Fatalf("top page is %T", h.Top())
	}
	return p
}

// TestGoldenList: the tail of the fixture's ten deliveries with the stats panel.
func TestGoldenList(t *testing.T) {
	tm, _ := start(t, pagetest.Session(fixtureStore(t), now))
	waitFor(t, tm, "in_F")
	h := final(t, tm)
	goldens.RequireEqual(t, []byte(h.View()))
}

// TestGoldenFilteredPaused: "/" invoice.* (enter), v twice (applied), then
// pause; a notice while paused is counted, not shown.
func TestGoldenFilteredPaused(t *testing.T) {
	tm, _ := start(t, pagetest.Session(fixtureStore(t), now))
	waitFor(t, tm, "in_F")
	typeKeys(tm, "/")
	waitFor(t, tm, "type glob")
	typeKeys(tm, "invoice.*")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "filter: type invoice.*")
	typeKeys(tm, "v")
	waitFor(t, tm, "verdict applied")
	typeKeys(tm, " ")
	waitFor(t, tm, "paused")
	tm.Send(webhookNotice())
	waitFor(t, tm, "1 new")
	h := final(t, tm)
	p := listPage(t, h)
	var got []string
	for _, d := range p.Rows() {
		got = append(got, d.EventID+":"+string(d.Verdict))
	}
	// invoice.* and applied: evt_08, evt_03, evt_01 (evt_05 is version_mismatch,
	// the duplicate and the stale rejection are not applied).
	if want := "[evt_08:applied evt_03:applied evt_01:applied]"; fmtSlice(got) != want {
		t.Fatalf("rows %s, want %s", fmtSlice(got), want)
	}
	goldens.RequireEqual(t, []byte(h.View()))
}

// TestObjectFilterAndClear: o keeps the selected row's object (the retried
// evt_03 included), o again or c shows everything.
func TestObjectFilterAndClear(t *testing.T) {
	store := fixtureStore(t)
	tm, _ := start(t, pagetest.Session(store, now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 7) // evt_03 (in_A)
	typeKeys(tm, "o")
	waitFor(t, tm, "3 shown")
	var got []string
	for _, d := range listPage(t, final(t, tm)).Rows() {
		got = append(got, d.EventID+":"+string(d.Verdict))
	}
	if fmtSlice(got) != "[evt_03:duplicate evt_03:applied evt_01:applied]" {
		t.Fatalf("object in_A rows: %v", got)
	}

	tm, _ = start(t, pagetest.Session(store, now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 7)
	typeKeys(tm, "o")
	waitFor(t, tm, "3 shown")
	typeKeys(tm, "v")
	waitFor(t, tm, "2 shown")
	typeKeys(tm, "c")
	waitFor(t, tm, "10 shown")
	if p := listPage(t, final(t, tm)); len(p.Rows()) != 10 || p.Filter() != (storage.DeliveryFilter{}) {
		t.Fatalf("after clear: %d rows, filter %+v", len(p.Rows()), p.Filter())
	}
}

func fmtSlice(s []string) string {
	var b bytes.Buffer
	b.WriteString("[")
	for i, x := range s {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(x)
	}
	b.WriteString("]")
	return b.String()
}

// TestGoldenDetailSearch: enter on evt_03, then search "attempt".
func TestGoldenDetailSearch(t *testing.T) {
	tm, _ := start(t, pagetest.Session(fixtureStore(t), now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 7)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "[event JSON]")
	typeKeys(tm, "/")
	waitFor(t, tm, "search:")
	typeKeys(tm, "attempt")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "matching lines")
	h := final(t, tm)
	if _, ok := h.Top().(*webhooks.DetailPage); !ok {
		t.Fatalf("top page %T", h.Top())
	}
	goldens.RequireEqual(t, []byte(h.View()))
}

// TestGoldenDetailDiff: the diff of in_A between evt_01 and evt_03.
func TestGoldenDetailDiff(t *testing.T) {
	tm, _ := start(t, pagetest.Session(fixtureStore(t), now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 7)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "[event JSON]")
	typeKeys(tm, "d")
	waitFor(t, tm, "[diff]")
	h := final(t, tm)
	goldens.RequireEqual(t, []byte(h.View()))
}

// TestReplay: R on evt_03 re-applies it: the cache held the copy it wrote
// (same second), so the verdict is conflict and a replay receipt tops the tail.
func TestReplay(t *testing.T) {
	store := fixtureStore(t)
	tm, h := start(t, pagetest.Session(store, now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 7)
	typeKeys(tm, "R")
	waitFor(t, tm, "replay")
	deadline := time.Now().Add(5 * time.Second)
	for len(h.Routed()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	h = final(t, tm)
	routed := h.Routed()
	if len(routed) != 1 {
		t.Fatalf("routed %v", routed)
	}
	toast, ok := routed[0].(common.ToastMsg)
	if !ok || toast.Text != "replayed evt_03: conflict (same second as the cached copy: refetch pending)" {
		t.Fatalf("toast %#v", routed[0])
	}
	top := listPage(t, h).Rows()[0]
	if top.Source != "replay" || top.EventID != "evt_03" || top.Verdict != storage.VerdictConflict || top.Seq != 11 {
		t.Fatalf("newest row %+v", top)
	}
}

// webhookNotice is the change a logged delivery announces.
func webhookNotice() storage.Change {
	return storage.Change{Op: storage.OpDelivery, Delivery: storage.Delivery{Seq: 99}}
}

// TestQuietWarning: two hours after the last delivery the panel says so; an
// empty log says no webhook ever arrived.
func TestQuietWarning(t *testing.T) {
	store := fixtureStore(t)
	tm, _ := start(t, pagetest.Session(store, at(14, 0, 0)))
	waitFor(t, tm, "! no webhook for 2h: Stripe may be failing")
	final(t, tm)
	// At 12:20 the last webhook (11:58:30) is 21 minutes old and the
	// catch-up at 11:59 found an event it never delivered.
	tm, _ = start(t, pagetest.Session(store, at(12, 20, 0)))
	waitFor(t, tm, "! no webhook for 21m while catch-up applied 1 event: Stripe has traffic")
	final(t, tm)

	empty, err := storage.Open(t.TempDir()+"/empty.db", storage.Options{Now: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	tm, _ = start(t, pagetest.Session(empty, now))
	waitFor(t, tm, "! no webhook has ever arrived")
	final(t, tm)
}

// TestDetailFold: z folds the event below depth 1, then 2.
func TestDetailFold(t *testing.T) {
	tm, _ := start(t, pagetest.Session(fixtureStore(t), now))
	waitFor(t, tm, "in_F")
	press(tm, tea.KeyDown, 7)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "[event JSON]")
	typeKeys(tm, "z")
	waitFor(t, tm, "folded below depth 1")
	typeKeys(tm, "z")
	waitFor(t, tm, "folded below depth 2")
	h := final(t, tm)
	view := h.View()
	for _, want := range []string{`"data": {`, `"object": {…}`, `"id": "evt_03"`} {
		if !bytes.Contains([]byte(view), []byte(want)) {
			t.Errorf("folded view lacks %s:\n%s", want, view)
		}
	}
	if bytes.Contains([]byte(view), []byte(`"attempt_count"`)) {
		t.Errorf("depth 2 shows the object's fields:\n%s", view)
	}
}

// TestCapturingInput: while the type glob or a search is typed the pages
// ask the root for every key.
func TestCapturingInput(t *testing.T) {
	c := pagetest.Session(fixtureStore(t), now)
	p := webhooks.New(c)
	if p.CapturingInput() {
		t.Fatal("capturing before /")
	}
	p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	if !p.CapturingInput() {
		t.Fatal("not capturing while typing a glob")
	}
	p.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if p.CapturingInput() {
		t.Fatal("still capturing after esc")
	}
	d := webhooks.NewDetail(c, storage.Delivery{EventID: "evt_03"})
	d.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	if !d.CapturingInput() {
		t.Fatal("detail not capturing while typing a search")
	}
	d.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if d.CapturingInput() {
		t.Fatal("detail still capturing after enter")
	}
}

// TestEndpointShown: the stats panel says where the receiver listens, so
// an engineer can point Stripe (or a test delivery) at it; before, the
// demo's receiver ran on a port no screen named.
func TestEndpointShown(t *testing.T) {
	c := pagetest.Session(fixtureStore(t), now)
	c.Receiving, c.WebhookURL = true, "http://127.0.0.1:8787/webhooks"
	tm, _ := start(t, c)
	waitFor(t, tm, "endpoint", "http://127.0.0.1:8787/webhooks")
	final(t, tm)
}
