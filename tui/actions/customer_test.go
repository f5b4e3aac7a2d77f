package actions_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/sandbox/lostanswer"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/goldens"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
	"github.com/paydesk/paydesk/tui/resources"
)

var (
	supportOp = billing.Operator{Name: "sue@desk", Role: billing.RoleSupport}
	financeOp = billing.Operator{Name: "fin@desk", Role: billing.RoleFinance}
)

// syncBuffer is a terminal output that commands write to from their
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// capture points the session's terminal output (where OSC 52 goes) at a
// buffer.
func capture(c *common.Common) *syncBuffer {
	out := &syncBuffer{}
	r := lipgloss.NewRenderer(out, termenv.WithProfile(termenv.Ascii))
	r.SetColorProfile(termenv.Ascii)
	c.Renderer = r
	return out
}

func osc52(text string) string { return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) }

func liveCustomer(e *actenv.Env) storage.Envelope {
	return e.Find(storage.KindCustomer, "live", func(m map[string]any) bool { return !actenv.Bool(m, "deleted") })
}

// editCustomer opens the edit form as op, types a new email and an
// internal note, and waits for the confirmation.
func editCustomer(t *testing.T, c *common.Common, cus storage.Envelope, w, h int) (*actions.Flow, *teatest.TestModel) {
	t.Helper()
	var f = open(t, c, billing.ActionCustomerEdit, cus)
	tm := runAt(t, f, w, h)
	focus(t, f, "email")
	clearField(tm)
	typeText(tm, "nope")
	press(tm, tea.KeyEnter)
	// The form refuses a malformed email before anything is prepared.
	waitFor(t, tm, "is not an email address")
	if f.Focused() != "email" || f.State() != "form" {
		t.Fatalf("a malformed email left the field: %s %s", f.Focused(), f.State())
	}
	clearField(tm)
	typeText(tm, "ada@example.com")
	tabTo(t, tm, f, "note")
	typeText(tm, "prefers email")
	submitForm(t, tm, f)
	waitState(t, f, "confirm")
	return f, tm
}

// TestCustomerEditFlow: support edits a customer from its page: a bad
// email is refused on the form, the confirmation shows each changed field
// before → after and sends only those, the sandbox holds them, the audit
// names the operator.
func TestCustomerEditFlow(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{})
	cus := liveCustomer(e)
	f, tm := editCustomer(t, e.Session(supportOp), cus, pagetest.Width, pagetest.Height)
	p := f.Plan()
	scr := strings.Join(strings.Fields(f.Screen()), " ")
	old := actenv.Str(e.Object(storage.KindCustomer, cus.ID), "email")
	if !strings.Contains(scr, "Email "+old+" → ada@example.com") || !strings.Contains(scr, "Internal note — → prefers email") {
		t.Fatalf("confirmation:\n%s", f.Screen())
	}
	if p.Call.Get("name") != "" || p.Call.Get("email") != "ada@example.com" || p.Call.Get("metadata[paydesk_note]") != "prefers email" {
		t.Fatalf("call %s", p.Call)
	}
	typeText(tm, "y")
	waitState(t, f, "done")
	got := e.Object(storage.KindCustomer, cus.ID)
	if actenv.Str(got, "email") != "ada@example.com" || actenv.Str(got, "metadata.paydesk_note") != "prefers email" {
		t.Fatalf("sandbox customer %v", got)
	}
	if recs := e.Audit(1); len(recs) != 1 || recs[0].Action != string(billing.ActionCustomerEdit) || recs[0].Operator != supportOp.Name {
		t.Fatalf("audit %+v", recs)
	}
	// The customer's page shows what was edited: before, the internal note
	// (and the address) could be set but never seen.
	e.WaitCache(storage.KindCustomer, cus.ID, "the note", func(m map[string]any) bool { return actenv.Str(m, "metadata.paydesk_note") == "prefers email" })
	page := resources.Open(e.Session(supportOp), storage.KindCustomer, cus.ID)
	page.SetSize(pagetest.Width, 60)
	page.Init()
	if v := strings.Join(strings.Fields(page.View()), " "); !strings.Contains(v, "Internal note prefers email") {
		t.Fatalf("customer page without the note:\n%s", page.View())
	}
}

func TestGoldenCustomerEditConfirmation(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	_, tm := editCustomer(t, e.Session(supportOp), liveCustomer(e), pagetest.Width, pagetest.Height)
	goldens.RequireEqual(t, stable(final(t, tm)))
}

func TestGoldenCustomerEditConfirmation80x24(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	_, tm := editCustomer(t, e.Session(supportOp), liveCustomer(e), 80, 24)
	goldens.RequireEqual(t, stable(final(t, tm)))
}

// TestConsoleCustomerEditReRunAfterLostAnswer: an edit whose answer was
// lost, asked for again from another console session, is found applied
// on Stripe (its intent metadata) and not sent again.
func TestConsoleCustomerEditReRunAfterLostAnswer(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := liveCustomer(e)
	c, px := lossySession(t, e, supportOp)
	f, tm := editCustomer(t, c, cus, pagetest.Width, pagetest.Height)
	first := f.Plan().Key
	px.Set(lostanswer.DropAnswer, nil)
	typeText(tm, "y")
	waitSendFailed(t, f)
	px.Set(lostanswer.Pass, nil)
	if !strings.Contains(f.Screen(), "pending") {
		t.Fatalf("after the lost answer:\n%s", f.Screen())
	}
	again := open(t, c, billing.ActionCustomerEdit, cus)
	tm2 := runAt(t, again, pagetest.Width, pagetest.Height)
	focus(t, again, "email")
	clearField(tm2)
	typeText(tm2, "ada@example.com")
	tabTo(t, tm2, again, "note")
	typeText(tm2, "prefers email")
	submitForm(t, tm2, again)
	waitState(t, again, "done")
	scr := strings.Join(strings.Fields(again.Screen()), " ")
	if !strings.Contains(scr, "went through on Stripe") || !strings.Contains(scr, first) {
		t.Fatalf("re-run page:\n%s", scr)
	}
	if n := px.Effects("POST", "/v1/customers/"+cus.ID); n != 1 {
		t.Fatalf("%d customer updates on the sandbox, want 1", n)
	}
}

// TestPortalLinkCopied: W creates an update-payment-method link; the
// done page shows the URL and the session's terminal got it as an OSC 52
// clipboard escape; a viewer has no such key.
func TestPortalLinkCopied(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := liveCustomer(e)
	c := e.Session(supportOp)
	out := capture(c)
	var f = openKey(t, c, "W", cus)
	tm := runAt(t, f, pagetest.Width, pagetest.Height)
	focus(t, f, "return_url")
	typeText(tm, "https://example.com/account")
	submitForm(t, tm, f)
	waitState(t, f, "confirm")
	if got := f.Plan().Call.Get("flow_data[type]"); got != "payment_method_update" {
		t.Fatalf("call %s", f.Plan().Call)
	}
	typeText(tm, "y")
	waitState(t, f, "done")
	url := billing.PortalURL(f.Result().Raw)
	if url == "" {
		t.Fatalf("no URL in %s", f.Result().Raw)
	}
	waitFor(t, tm, "copied to the clipboard")
	if !strings.Contains(f.Screen(), url) {
		t.Fatalf("done page lacks the URL %s:\n%s", url, f.Screen())
	}
	deadlineOSC(t, out, osc52(url))
	if recs := e.Audit(1); len(recs) != 1 || recs[0].Action != string(billing.ActionPortalLink) || recs[0].Target != cus.ID || recs[0].Operator != supportOp.Name {
		t.Fatalf("audit %+v", recs)
	}
	if ok, _ := e.Session(billing.Operator{Name: "vic@desk", Role: billing.RoleViewer}).CanAct(billing.ActionPortalLink); ok {
		t.Fatal("a viewer may create portal links")
	}
}

// TestHostedLinkCopied: H on an open invoice copies its hosted URL (OSC
// 52) and shows it; a draft has none and H is not offered on it.
func TestHostedLinkCopied(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	inv := e.Find(storage.KindInvoice, "open", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "open" && strings.HasPrefix(actenv.Str(m, "hosted_invoice_url"), "https://")
	})
	url := actenv.Str(e.Object(storage.KindInvoice, inv.ID), "hosted_invoice_url")
	c := e.Session(supportOp)
	out := capture(c)
	p := openPage(t, c, "H", inv)
	tm := runAt(t, p, pagetest.Width, pagetest.Height)
	waitFor(t, tm, "select the address below")
	deadlineOSC(t, out, osc52(url))
	if !strings.Contains(p.View(), url) {
		t.Fatalf("page lacks the URL:\n%s", p.View())
	}
	draft := []byte(`{"id":"in_draft","object":"invoice","status":"draft","hosted_invoice_url":null}`)
	if why := billing.NotApplicable(billing.ActionInvoiceLink, storage.KindInvoice, draft); !strings.Contains(why, "no hosted page") {
		t.Fatalf("H on a draft: %q", why)
	}
}

// openPage builds the page behind key on obj's kind, as the detail page's
// key does.
func openPage(t *testing.T, c *common.Common, key string, obj storage.Envelope) common.Page {
	t.Helper()
	for _, s := range actions.Specs() {
		if s.Key == key && s.Kind == obj.Kind {
			p, err := s.Open(c, obj)
			if err != nil {
				t.Fatalf("open %s: %v", key, err)
			}
			return p
		}
	}
	t.Fatalf("no key %s on %s", key, obj.Kind)
	return nil
}

func openKey(t *testing.T, c *common.Common, key string, obj storage.Envelope) *actions.Flow {
	t.Helper()
	return openPage(t, c, key, obj).(*actions.Flow)
}

// deadlineOSC waits until the terminal output holds want.
func deadlineOSC(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("terminal output lacks %q: %q", want, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
