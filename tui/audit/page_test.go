package audit_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
	"github.com/paydesk/paydesk/tui/internal/goldens"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/audit"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// seed writes a succeeded refund, a refused one (viewer), a credit and a
// refund left pending because Stripe could not be reached.
func seed(t *testing.T, e *actenv.Env) (pending *billing.Plan) {
	t.Helper()
	ctx := context.Background()
	chs := map[string]bool{}
	charge := func() string {
		env := e.Find(storage.KindCharge, "refundable usd charge", func(m map[string]any) bool {
			return actenv.Str(m, "status") == "succeeded" && actenv.Num(m, "amount_refunded") == 0 && !actenv.Bool(m, "disputed") &&
				actenv.Str(m, "currency") == "usd" && !chs[actenv.Str(m, "id")]
		})
		chs[env.ID] = true
		return env.ID
	}
	p, err := e.Acts.PrepareRefund(ctx, actenv.Admin, billing.RefundRequest{Target: charge(), Amount: "4.00", Reason: "duplicate"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Acts.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
	viewer := billing.Operator{Name: "vic@desk", Role: billing.RoleViewer}
	if _, err := e.Acts.PrepareRefund(ctx, viewer, billing.RefundRequest{Target: charge()}); !errors.Is(err, billing.ErrForbidden) {
		t.Fatalf("viewer prepare: %v", err)
	}
	cus := e.Find(storage.KindCustomer, "usd", func(m map[string]any) bool { return actenv.Str(m, "currency") == "usd" })
	p, err = e.Acts.PrepareCredit(ctx, actenv.Admin, billing.CreditRequest{Customer: cus.ID, Direction: billing.DirectionCredit, Amount: "7.25"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Acts.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
	// Stripe unreachable: the intent stays pending.
	pending, err = e.Acts.PrepareRefund(ctx, actenv.Admin, billing.RefundRequest{Target: charge(), Amount: "2.00"})
	if err != nil {
		t.Fatal(err)
	}
	down, err := billing.New(billing.Config{SecretKey: "sk_test_down", APIBase: "http://127.0.0.1:1", MaxNetworkRetries: -1,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := billing.NewActions(down, e.Store, billing.Clocks{Wall: actenv.Clock}).Execute(ctx, pending); !errors.Is(err, billing.ErrOffline) {
		t.Fatalf("offline execute: %v", err)
	}
	return pending
}

func run(t *testing.T, c *common.Common) (*teatest.TestModel, *pagetest.Harness) {
	t.Helper()
	h := pagetest.New(audit.New(c))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm, h
}

// waitFor is pagetest.WaitFor.
var waitFor = pagetest.WaitFor

func final(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
}

var keyRE = regexp.MustCompile(`pd_[0-9a-f]{6,24}…?|req_[0-9A-Za-z]{4,}…?`)

func stable(s string) []byte {
	return []byte(keyRE.ReplaceAllStringFunc(s, func(m string) string {
		pre, rest, _ := strings.Cut(m, "_")
		return pre + "_" + strings.Repeat("X", len([]rune(rest)))
	}))
}

func TestGoldenAuditLog(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	seed(t, e)
	tm, _ := run(t, e.Session(actenv.Admin))
	waitFor(t, tm, "vic@desk")
	goldens.RequireEqual(t, stable(final(t, tm)))
}

// TestGoldenAuditLog80x24: at 80 columns the log keeps who, what, on what,
// how much and the OUTCOME (the request id, key and time give way to the
// selected record's line under the table; the credit reads "$7.25 credit"
// as on every screen).
func TestGoldenAuditLog80x24(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	seed(t, e)
	h := pagetest.New(audit.New(e.Session(actenv.Admin)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, tm, "vic@desk")
	out := stable(final(t, tm))
	for _, want := range []string{"OUTCOME", "succeeded", "refused", "$7.25 credit"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("80 columns lack %q:\n%s", want, out)
		}
	}
	goldens.RequireEqual(t, out)
}

// TestResolvePending: the pending refund is listed and resolved with
// Resume: Stripe gets it once, the intent and the log say so.
func TestResolvePending(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	p := seed(t, e)
	c := e.Session(actenv.Admin)
	if msg, ok := audit.PendingBanner(c)().(common.ToastMsg); !ok || !strings.Contains(msg.Text, "1 money action is pending") {
		t.Fatalf("banner %#v", msg)
	}
	tm, h := run(t, c)
	waitFor(t, tm, "Pending (1)")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	waitFor(t, tm, p.Target)
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("R")})
	waitFor(t, tm, "as ada@desk?")
	e.Reqs.Reset()
	// Enter does not resolve (common.SendKey): the prompt says y does.
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Not sent: press y", "y resolve")
	if n := e.Reqs.Count("POST"); n != 0 {
		t.Fatalf("enter on the resolve prompt sent %d requests", n)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
	waitFor(t, tm, "resolved: succeeded")
	in, err := e.Store.Intent(p.Key)
	if err != nil || in.State != storage.IntentSucceeded || !strings.HasPrefix(in.ResultID, "re_") {
		t.Fatalf("intent after resolving: %+v %v", in, err)
	}
	if n := e.Reqs.Count("POST /v1/refunds"); n != 1 {
		t.Fatalf("%d refund requests while resolving, want 1", n)
	}
	if got := actenv.Num(e.Object(storage.KindCharge, p.Target), "amount_refunded"); got != 200 {
		t.Fatalf("amount_refunded %d, want 200", got)
	}
	recs := e.Audit(1)
	if recs[0].Key != p.Key || recs[0].Outcome != billing.OutcomeSucceeded || !strings.Contains(recs[0].Detail, "resumed") {
		t.Fatalf("audit after resolving %+v", recs[0])
	}
	if msg := audit.PendingBanner(c)(); msg != nil {
		t.Fatalf("banner with nothing pending: %#v", msg)
	}
	_ = h
}

// TestViewerCannotResolve: a viewer sees the list but gets the reason.
func TestViewerCannotResolve(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	p := seed(t, e)
	tm, h := run(t, e.Session(billing.Operator{Name: "vic@desk", Role: billing.RoleViewer}))
	waitFor(t, tm, "Pending (1)")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	waitFor(t, tm, p.Target)
	e.Reqs.Reset()
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("R")})
	deadline := time.Now().Add(5 * time.Second)
	for len(h.Routed()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	r := h.Routed()
	if len(r) != 1 || !strings.Contains(r[0].(common.ToastMsg).Text, "needs the finance role") {
		t.Fatalf("viewer resolve: %#v", r)
	}
	if in, _ := e.Store.Intent(p.Key); in.State != storage.IntentPending || e.Reqs.Count("POST") != 0 {
		t.Fatalf("viewer changed the intent: %+v", in)
	}
}

// TestPagingAndDetail: with a small page the log pages back and forth and
// enter shows a record with its intent's call.
func TestPagingAndDetail(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true, Customers: 10})
	for i := range 12 {
		if _, err := e.Store.AppendAudit(storage.AuditRecord{At: actenv.Now.Unix() + int64(i), Operator: "op" + string(rune('a'+i)),
			Action: "credit", Target: "cus_X", Amount: int64(100 * i), Currency: "usd", Outcome: "succeeded"}); err != nil {
			t.Fatal(err)
		}
	}
	h := pagetest.New(audit.New(e.Session(actenv.Admin)))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(120, 12))
	t.Cleanup(func() { _ = tm.Quit() })
	waitFor(t, tm, "opl") // newest first
	tm.Send(tea.KeyMsg{Type: tea.KeyPgDown})
	// 12 rows: 4 records a page under the page's lines and the selected
	// record's two.
	waitFor(t, tm, "page 2", "oph", "ope")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Audit record #8", "oph")
}

// TestAbandonPending: A on a pending refund Stripe never saw asks, looks
// it up, gives it up and audits it; nothing is sent.
func TestAbandonPending(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	p := seed(t, e)
	tm, _ := run(t, e.Session(actenv.Admin))
	waitFor(t, tm, "Pending (1)")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	waitFor(t, tm, p.Target)
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("A")})
	waitFor(t, tm, "Abandon", "as ada@desk?")
	e.Reqs.Reset()
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
	waitFor(t, tm, "resolved: failed")
	in, err := e.Store.Intent(p.Key)
	if err != nil || in.State != storage.IntentFailed || !strings.Contains(in.Error, "abandoned by ada@desk") {
		t.Fatalf("intent after abandoning: %+v %v", in, err)
	}
	if n := e.Reqs.Count("POST"); n != 0 {
		t.Fatalf("%d POSTs while abandoning, want none", n)
	}
	if rec := e.Audit(1)[0]; rec.Key != p.Key || rec.Outcome != billing.OutcomeAbandoned {
		t.Fatalf("audit after abandoning %+v", rec)
	}
}
