package actions_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/sandbox/lostanswer"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// lossySession is a console session whose money actions reach the env's
// sandbox through a lostanswer proxy, on the env's cache.
func lossySession(t *testing.T, e *actenv.Env, op billing.Operator) (*common.Common, *lostanswer.Proxy) {
	t.Helper()
	px, err := lostanswer.Start(e.Base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = px.Close() })
	client, err := billing.New(billing.Config{SecretKey: e.Sandbox.APIKey(), APIBase: px.URL, RateLimit: 10000,
		MaxNetworkRetries: -1, Clocks: billing.Clocks{Account: actenv.Clock}, Logger: slog.New(slog.DiscardHandler),
		HTTPClient: &http.Client{Timeout: 20 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Session(op)
	c.Billing, c.Money = client, billing.NewActions(client, e.Store, billing.Clocks{Wall: actenv.Clock})
	return c, px
}

// creditConfirm opens the credit form on cus in session c, types amount
// and a description and waits for the confirmation.
func creditConfirm(t *testing.T, e *actenv.Env, c *common.Common, cus storage.Envelope, amount string) (*actions.Flow, func()) {
	t.Helper()
	f := open(t, c, billing.ActionCredit, cus)
	tm, _ := run(t, e, f)
	focus(t, f, "direction")
	press(tm, tea.KeyEnter)
	focus(t, f, "amount")
	typeText(tm, amount)
	press(tm, tea.KeyEnter)
	focus(t, f, "description")
	typeText(tm, "late delivery")
	press(tm, tea.KeyEnter)
	return f, func() { typeText(tm, "y") }
}

// TestConsoleCreditReRunAfterLostAnswer: a credit whose answer was lost,
// asked for again from another console session on the same customer, is
// never sent as a new adjustment: found applied, the page says so; never
// seen by Stripe, the confirmation is the earlier request with its
// original key and says why.
func TestConsoleCreditReRunAfterLostAnswer(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	cus := e.Find(storage.KindCustomer, "usd", func(m map[string]any) bool { return actenv.Str(m, "currency") == "usd" })
	support := billing.Operator{Name: "sue@desk", Role: billing.RoleSupport}
	balances := "/v1/customers/" + cus.ID + "/balance_transactions"

	// The answer is lost after Stripe acted.
	c, px := lossySession(t, e, support)
	f, enter := creditConfirm(t, e, c, cus, "12.50")
	waitState(t, f, "confirm")
	first := f.Plan().Key
	px.Set(lostanswer.DropAnswer, nil)
	enter()
	waitSendFailed(t, f)
	px.Set(lostanswer.Pass, nil)
	if !strings.Contains(f.Screen(), "pending") {
		t.Fatalf("after the lost answer:\n%s", f.Screen())
	}
	// Another session asks for the same credit.
	f2, _ := creditConfirm(t, e, c, cus, "12.50")
	waitState(t, f2, "done")
	scr := strings.Join(strings.Fields(f2.Screen()), " ") // wrapping aside
	if !strings.Contains(scr, "went through on Stripe") || !strings.Contains(scr, first) || !strings.Contains(scr, "nothing was sent again") {
		t.Fatalf("re-run page:\n%s", scr)
	}
	if n := px.Effects("POST", balances); n != 1 {
		t.Fatalf("%d balance adjustments on the sandbox, want 1", n)
	}

	// The request never reaches Stripe.
	f3, enter3 := creditConfirm(t, e, c, cus, "4.00")
	waitState(t, f3, "confirm")
	cut := f3.Plan().Key
	px.Set(lostanswer.CutRequest, nil)
	enter3()
	waitSendFailed(t, f3)
	px.Set(lostanswer.Pass, nil)
	f4, enter4 := creditConfirm(t, e, c, cus, "4.00")
	waitState(t, f4, "confirm")
	scr = strings.Join(strings.Fields(f4.Screen()), " ")
	if f4.Plan().Key != cut || !f4.Plan().Earlier || !strings.Contains(scr, cut+" (original)") || !strings.Contains(scr, "lost its answer") {
		t.Fatalf("re-run confirmation (earlier key %s):\n%s", cut, scr)
	}
	enter4()
	waitState(t, f4, "done")
	if n := px.Effects("POST", balances); n != 2 {
		t.Fatalf("%d balance adjustments on the sandbox, want 2 (one per credit)", n)
	}
}
