package resources_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/paydesk/paydesk/billing/dunning"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/billing/sandbox/realdata"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/cli"
	"github.com/paydesk/paydesk/tui/common"
	tuidunning "github.com/paydesk/paydesk/tui/dunning"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
	"github.com/paydesk/paydesk/tui/resources"
	"github.com/paydesk/paydesk/tui/table"
	"github.com/paydesk/paydesk/tui/webhooks"
	"github.com/paydesk/paydesk/webhookd"
)

// corpusNow is the fixed clock of the corpus: webhookd's tolerance, the
// signatures and the pages all read it.
var corpusNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

const corpusSecret = "whsec_corpus_test_secret"

// corpus is a cache fed only through a real webhookd on loopback (and,
// for a deleted object's stub, the refetch write), and a console session
// on it with the money actions registered.
type corpus struct {
	store *storage.Store
	url   string
	c     *common.Common
}

func newCorpus(t *testing.T) *corpus {
	t.Helper()
	st, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{Now: func() time.Time { return corpusNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := webhookd.New(webhookd.Config{Secrets: []string{corpusSecret}, Now: func() time.Time { return corpusNow },
		Logger: slog.New(slog.DiscardHandler)}, st)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(t.Context()) })
	c := pagetest.Session(st, corpusNow)
	c.Actions = &common.Actions{}
	if err := actions.Register(c.Actions); err != nil {
		t.Fatal(err)
	}
	return &corpus{store: st, url: "http://" + ln.Addr().String() + webhookd.DefaultPath, c: c}
}

// deliver POSTs each event signed (or writes a refetched object) and
// requires a 2xx for every one: Stripe retries anything else for days.
func (k *corpus) deliver(t *testing.T, ds []realdata.Delivery) []storage.Delivery {
	t.Helper()
	var out []storage.Delivery
	for _, d := range ds {
		if d.Refetch {
			if err := k.store.PutObject(d.Body, corpusNow.Unix()); err != nil {
				t.Fatalf("%s: refetch write: %v", d.Name, err)
			}
			continue
		}
		sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: d.Body, Secret: corpusSecret, Timestamp: corpusNow}).Header
		req, _ := http.NewRequest(http.MethodPost, k.url, bytes.NewReader(d.Body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(webhookd.SignatureHeader, sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s: answered %d %s", d.Name, resp.StatusCode, body)
		}
		ds, err := k.store.Deliveries(0, 1)
		if err != nil || len(ds) != 1 {
			t.Fatalf("%s: delivery log: %v", d.Name, err)
		}
		out = append(out, ds[0])
	}
	return out
}

func (k *corpus) deliverCase(t *testing.T, name string) []storage.Delivery {
	t.Helper()
	ds, err := realdata.Case(name)
	if err != nil {
		t.Fatal(err)
	}
	return k.deliver(t, ds)
}

// page draws the page of kind/id tall enough to show every section.
func (k *corpus) page(kind storage.Kind, id string) string {
	p := resources.Open(k.c, kind, id)
	p.SetSize(160, 400)
	p.Init()
	return p.View()
}

// list draws a resource table view, with sort s (index into its Sorts).
func (k *corpus) list(d *table.Descriptor, sortIdx int) string {
	m := table.New(k.c, d)
	m.SetSize(160, 60)
	m.Init()
	for i := 0; i < sortIdx; i++ {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
	}
	return m.View()
}

// listAll draws d's table with its "all" status filter (Disputes start on
// needs_response).
func (k *corpus) listAll(d *table.Descriptor) string {
	m := table.New(k.c, d)
	m.SetSize(160, 60)
	m.Init()
	for range d.Filters {
		if strings.Contains(m.View(), "status:all") || len(d.Filters) == 0 {
			break
		}
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
	}
	return m.View()
}

// ls is `paydesk ls KIND` over the cache.
func (k *corpus) ls(t *testing.T, kind storage.Kind, sort storage.Sort) string {
	t.Helper()
	p, err := k.store.List(storage.Query{Kind: kind, Limit: 100, Sort: sort})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := cli.Table(&b, kind, p.Items, time.UTC); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// get is `paydesk get ID`.
func (k *corpus) get(t *testing.T, id string) string {
	t.Helper()
	env, err := k.store.Find(id)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := cli.Object(&b, env, false, func(int64) string { return "T" }); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s: missing %q in\n%s", what, w, text)
		}
	}
}

func mustNotContain(t *testing.T, what, text string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(text, w) {
			t.Errorf("%s: has %q in\n%s", what, w, text)
		}
	}
}

// spaced matches a label and value separated by alignment spaces.
func spaced(label, value string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(label) + ` +` + regexp.QuoteMeta(value))
}

func mustMatch(t *testing.T, what, text string, res ...*regexp.Regexp) {
	t.Helper()
	for _, re := range res {
		if !re.MatchString(text) {
			t.Errorf("%s: no %s in\n%s", what, re, text)
		}
	}
}

// TestDeletedCustomerShownDeleted: after customer.deleted (full last
// state) and then the deleted stub a refetch answers, every surface says
// deleted in Stripe with the last known name, offers no action, and the
// balance is not "credit applied to the next invoice".
func TestDeletedCustomerShownDeleted(t *testing.T) {
	k := newCorpus(t)
	inv, err := realdata.Event("evt_case_del_inv", "invoice.finalized", 1795000050, []byte(`{"id":"in_case_del_01","object":"invoice",
		"customer":"cus_CaseDel0000001","currency":"usd","status":"open","created":1795000050,"number":"DEL-0001","amount_due":1200,
		"amount_paid":0,"amount_remaining":1200,"subtotal":1200,"total":1200,"lines":{"object":"list","data":[],"has_more":false}}`))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := realdata.Case("deleted-customer")
	if err != nil {
		t.Fatal(err)
	}
	k.deliver(t, append([]realdata.Delivery{ds[0], {Name: "invoice", Kind: "invoice", Body: inv}}, ds[1:]...))
	check := func(stage string) {
		// Related objects keep naming the customer, marked deleted.
		mustMatch(t, stage+" invoice page", k.page(storage.KindInvoice, "in_case_del_01"),
			regexp.MustCompile(`Customer +Jane Roe <jane\.roe@example\.test> \(cus_CaseDel0000001\) deleted in Stripe`))
		page := k.page(storage.KindCustomer, "cus_CaseDel0000001")
		mustContain(t, stage+" page", page, "deleted in Stripe", "Jane Roe", "jane.roe@example.test", "none: deleted in Stripe")
		mustNotContain(t, stage+" page", page, "applied to the next invoice", "adjust credit")
		get := k.get(t, "cus_CaseDel0000001")
		mustContain(t, stage+" get", get, "deleted in Stripe", "Jane Roe")
		mustNotContain(t, stage+" get", get, "fresh")
		mustNotContain(t, stage+" list", k.list(resources.Customers(), 0), "cus_CaseDel0000001")
	}
	check("customer.deleted")
	k.deliver(t, []realdata.Delivery{{Name: "stub", Refetch: true, Body: []byte(`{"id":"cus_CaseDel0000001","object":"customer","deleted":true}`)}})
	check("deleted stub")
}

// invoiceSums checks Stripe's arithmetic on the raw invoice: lines add up
// to the subtotal, subtotal - discounts + exclusive tax = total, amount
// due - paid = remaining; and returns the figures.
type invoiceFigures struct {
	Currency        string `json:"currency"`
	Subtotal        int64  `json:"subtotal"`
	Total           int64  `json:"total"`
	AmountDue       int64  `json:"amount_due"`
	AmountPaid      int64  `json:"amount_paid"`
	AmountRemaining int64  `json:"amount_remaining"`
	StartingBalance int64  `json:"starting_balance"`
	EndingBalance   *int64 `json:"ending_balance"`
	Lines           struct {
		HasMore bool `json:"has_more"`
		Data    []struct {
			Amount int64 `json:"amount"`
		} `json:"data"`
	} `json:"lines"`
	Discounts []struct {
		Amount int64 `json:"amount"`
	} `json:"total_discount_amounts"`
	Taxes []struct {
		Amount    int64 `json:"amount"`
		Inclusive bool  `json:"inclusive"`
	} `json:"total_tax_amounts"`
}

func checkInvoiceMath(t *testing.T, k *corpus, id string) invoiceFigures {
	t.Helper()
	env, err := k.store.Get(storage.KindInvoice, id)
	if err != nil {
		t.Fatal(err)
	}
	var f invoiceFigures
	if err := json.Unmarshal(env.Raw, &f); err != nil {
		t.Fatal(err)
	}
	var lines, disc, tax int64
	for _, l := range f.Lines.Data {
		lines += l.Amount
	}
	for _, d := range f.Discounts {
		disc += d.Amount
	}
	for _, x := range f.Taxes {
		if !x.Inclusive {
			tax += x.Amount
		}
	}
	if !f.Lines.HasMore && lines != f.Subtotal {
		t.Errorf("%s: lines %d != subtotal %d", id, lines, f.Subtotal)
	}
	if f.Subtotal-disc+tax != f.Total {
		t.Errorf("%s: subtotal %d - discounts %d + tax %d != total %d", id, f.Subtotal, disc, tax, f.Total)
	}
	if f.AmountDue-f.AmountPaid != f.AmountRemaining {
		t.Errorf("%s: due %d - paid %d != remaining %d", id, f.AmountDue, f.AmountPaid, f.AmountRemaining)
	}
	page := k.page(storage.KindInvoice, id)
	m := func(v int64) string { return money.Format(v, f.Currency) }
	mustMatch(t, id+" page", page, spaced("Subtotal", m(f.Subtotal)), spaced("Total", m(f.Total)),
		spaced("Amount due", m(f.AmountDue)), spaced("Paid", m(f.AmountPaid)), spaced("Remaining", m(f.AmountRemaining)))
	for _, d := range f.Discounts {
		mustMatch(t, id+" page", page, spaced("Discount", "-"+m(d.Amount)))
	}
	for _, x := range f.Taxes {
		mustMatch(t, id+" page", page, spaced("Tax", m(x.Amount)))
	}
	return f
}

// TestInvoiceMathShown: the 10% coupon and tax case shows Stripe's own
// math, and the customer (not cached) is named from the invoice.
func TestInvoiceMathShown(t *testing.T) {
	k := newCorpus(t)
	k.deliverCase(t, "invoice-discount-tax")
	f := checkInvoiceMath(t, k, "in_case_disc_tax_01")
	if f.Total != 24512 || f.Subtotal != 25230 {
		t.Fatalf("case figures changed: %+v", f)
	}
	page := k.page(storage.KindInvoice, "in_case_disc_tax_01")
	mustMatch(t, "invoice page", page, spaced("Subtotal", "$252.30"), spaced("Discount", "-$25.23  10% off"),
		spaced("Tax", "$18.05  txr_case_01 on $227.07"), spaced("Total", "$245.12"), spaced("Remaining", "$0.00"))
	mustContain(t, "invoice page", page, "Sam Sample <sam.sample@example.test>")
}

// TestThinEventAnsweredAndRecorded: a signed thin event is answered 2xx
// and recorded with its related object.
func TestThinEventAnsweredAndRecorded(t *testing.T) {
	k := newCorpus(t)
	got := k.deliverCase(t, "thin-event")
	d := got[0]
	if d.Verdict != storage.VerdictRecorded || d.ObjectID != "mtr_test_0001" || d.Type != "v1.billing.meter.error_report_triggered" || d.Status != 200 {
		t.Fatalf("thin event receipt: %+v", d)
	}
}

// TestMeteredAndTieredNotZero: a subscription on a metered and a tiered
// price never shows $0.00: the page, the list and ls say metered/tiered,
// the tiers are listed, and at-risk MRR says it leaves them out.
func TestMeteredAndTieredNotZero(t *testing.T) {
	k := newCorpus(t)
	k.deliverCase(t, "metered-subscription")
	page := k.page(storage.KindSubscription, "sub_case_metered")
	mustContain(t, "subscription page", page, "metered + tiered per period", "Tiers of Seats (graduated)", "11 and up")
	mustMatch(t, "subscription page", page, regexp.MustCompile(`API calls +metered`), regexp.MustCompile(`Seats +tiered`),
		regexp.MustCompile(`1-10 +\$5\.00`), regexp.MustCompile(`11 and up +\$3\.00 +\$10\.00`))
	mustNotContain(t, "subscription page", page, "$0.00")
	list := k.list(resources.Subscriptions(), 0)
	mustContain(t, "subscriptions list", list, "metered")
	mustNotContain(t, "subscriptions list", list, "$0.00")
	ls := k.ls(t, storage.KindSubscription, storage.SortCreated)
	mustContain(t, "ls subscription", ls, "metered")
	mustNotContain(t, "ls subscription", ls, "$0.00")
	lsPrice := k.ls(t, storage.KindPrice, storage.SortCreated)
	mustContain(t, "ls price", lsPrice, "metered", "tiered")
	mustNotContain(t, "ls price", lsPrice, "$0.00")
	r, err := dunning.Compute(k.store, dunning.Windows[0], corpusNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.AtRisk.Count != 1 || r.AtRisk.Unpriced != 1 {
		t.Fatalf("at-risk: %+v, want 1 subscription marked as leaving usage-based items out", r.AtRisk)
	}
	dp := tuidunning.New(k.c)
	dp.SetSize(160, 50)
	var p common.Page = dp
	if cmd := dp.Init(); cmd != nil {
		p, _ = p.Update(cmd())
	}
	mustMatch(t, "dunning view", p.View(), regexp.MustCompile(`At-risk MRR +1 subscription .*excludes metered/tiered items of 1 subscription`))
}

// TestConnectEventKeptApart: a connected account's charge is answered 2xx,
// recorded with its account and not applied to the platform's cache.
func TestConnectEventKeptApart(t *testing.T) {
	k := newCorpus(t)
	d := k.deliverCase(t, "connect-charge")[0]
	if d.Verdict != storage.VerdictRecorded || d.Account != "acct_1CaseConnect01" {
		t.Fatalf("connect receipt: %+v", d)
	}
	if _, err := k.store.Get(storage.KindCharge, "ch_case_connect"); err == nil {
		t.Fatal("the connected account's charge was applied as the platform's")
	}
	receipt := webhooks.NewDetail(k.c, d)
	receipt.SetSize(160, 40)
	receipt.Init()
	mustContain(t, "webhook receipt", receipt.View(), "connected account acct_1CaseConnect01", "recorded")
}

// TestLateLinksAndClosedDisputes: disputes cached before their charges
// appear on the customer page once the charges arrive; a closed dispute
// shows no due date.
func TestLateLinksAndClosedDisputes(t *testing.T) {
	k := newCorpus(t)
	k.deliverCase(t, "late-dispute")
	page := k.page(storage.KindCustomer, "cus_case_late")
	mustContain(t, "customer page", page, "dp_case_late", "dp_case_closed")
	mustNotContain(t, "customer page", page, "y ago")
	mustMatch(t, "customer page", page, regexp.MustCompile(`dp_case_closed +won +\$70\.00 +fraudulent +-`))
	mustMatch(t, "disputes list", k.list(resources.Disputes(), 0), regexp.MustCompile(`dp_case_late .*lee\.late@example\.test`)) // the late-linked customer, by email
}

// TestGuestAndCustomerExtras: a charge without a customer says guest
// payment with its billing details; a customer's discount, test clock and
// legacy default_source card are shown; a never-billed balance is "-".
func TestGuestAndCustomerExtras(t *testing.T) {
	k := newCorpus(t)
	k.deliverCase(t, "guest-charge")
	k.deliverCase(t, "customer-extras")
	mustContain(t, "charge page", k.page(storage.KindCharge, "ch_case_guest"), "Gale Guest <guest.buyer@example.test>", "guest payment")
	page := k.page(storage.KindCustomer, "cus_case_extras")
	mustContain(t, "customer page", page, "Loyalty 20%  20% off, repeating", "clock_case_0001", "Visa •••• 1881 exp 11/2030 (card_case_legacy)")
	never := k.page(storage.KindCustomer, "cus_case_never")
	mustMatch(t, "never-billed page", never, spaced("Balance", "-"))
	mustNotContain(t, "never-billed page", never, "0.00")
	ls := k.ls(t, storage.KindCustomer, storage.SortCreated)
	mustMatch(t, "ls customer", ls, regexp.MustCompile(`cus_case_never .* - +20`))
	mustNotContain(t, "ls customer", ls, " 0.00")
}

// TestStripeMockFixturesCorpus delivers stripe-mock's embedded fixture of
// every cached kind, then every hand-written case, through the webhook
// path; each object is rendered by its page, its list and the CLI, and
// every invoice passes the math check. Then stripe-mock's deleted stubs
// are written as a refetch answers them: those objects show deleted.
func TestStripeMockFixturesCorpus(t *testing.T) {
	k := newCorpus(t)
	fx, err := realdata.FixtureDeliveries(corpusNow.Unix() - 3600)
	if err != nil {
		t.Fatal(err)
	}
	all := append([]realdata.Delivery(nil), fx...)
	for _, d := range k.deliver(t, fx) {
		if d.Verdict != storage.VerdictApplied {
			t.Errorf("fixture %s %s: %s (%s), want applied", d.Kind, d.ObjectID, d.Verdict, d.Reason)
		}
	}
	for _, name := range realdata.CaseNames() {
		ds, err := realdata.Case(name)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ds...)
		k.deliver(t, ds)
	}
	views := map[storage.Kind]*table.Descriptor{
		storage.KindCustomer: resources.Customers(), storage.KindSubscription: resources.Subscriptions(),
		storage.KindInvoice: resources.Invoices(), storage.KindDispute: resources.Disputes(),
		storage.KindCharge: resources.Charges(), storage.KindRefund: resources.Refunds(),
		storage.KindBalanceTransaction: resources.BalanceTransactions(),
		storage.KindCoupon:             resources.Coupons(), storage.KindPromotionCode: resources.PromotionCodes(),
	}
	for _, kind := range storage.Kinds {
		p, err := k.store.List(storage.Query{Kind: kind, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) == 0 {
			t.Errorf("no %s in the corpus cache", kind)
			continue
		}
		ls := k.ls(t, kind, storage.SortCreated)
		var list string
		if d := views[kind]; d != nil {
			list = k.listAll(d)
		}
		for _, e := range p.Items {
			page := k.page(kind, e.ID)
			mustContain(t, string(kind)+" page", page, e.ID)
			mustNotContain(t, string(kind)+" page", page, "is not in the cache", "cannot read")
			mustContain(t, "ls "+string(kind), ls, e.ID)
			if list != "" && len(e.ID) <= 18 {
				mustContain(t, string(kind)+" list", list, e.ID)
			}
			mustContain(t, "get "+e.ID, k.get(t, e.ID), "fresh")
			if kind == storage.KindInvoice {
				checkInvoiceMath(t, k, e.ID)
			}
		}
	}
	del, err := realdata.DeletedFixtures()
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, del...)
	k.deliver(t, del)
	for _, d := range del {
		var o struct{ ID, Object string }
		_ = json.Unmarshal(d.Body, &o)
		env, err := k.store.Get(storage.Kind(o.Object), o.ID)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		if !env.Deleted {
			t.Errorf("%s: not marked deleted", d.Name)
		}
		mustContain(t, d.Name+" get", k.get(t, o.ID), "deleted in Stripe")
		mustContain(t, d.Name+" page", k.page(storage.Kind(o.Object), o.ID), "deleted in Stripe")
	}
	// The stub of a cached customer keeps its last known details.
	fxObjs, _ := realdata.Fixtures()
	var cu struct{ ID, Email string }
	_ = json.Unmarshal(fxObjs["customer"], &cu)
	mustContain(t, "deleted fixture customer page", k.page(storage.KindCustomer, cu.ID), "deleted in Stripe", cu.Email)

	counts := realdata.CountByKind(all)
	kinds := make([]string, 0, len(counts))
	for kd := range counts {
		kinds = append(kinds, kd)
	}
	sort.Strings(kinds)
	var b strings.Builder
	for _, kd := range kinds {
		fmt.Fprintf(&b, " %s=%d", kd, counts[kd])
	}
	t.Logf("corpus: %d deliveries (%d stripe-mock fixtures, %d deleted stubs, %d case events); by kind:%s",
		len(all), len(fx), len(del), len(all)-len(fx)-len(del), b.String())
}

// TestAmountSortWithinCurrency: sorted by amount, the Customers view and
// `ls --sort amount` rank balances within their currency (yen, then
// dollars, largest first) instead of ¥15,000 against $120.00.
func TestAmountSortWithinCurrency(t *testing.T) {
	k := newCorpus(t)
	k.deliverCase(t, "customer-extras")
	order := func(what, text string, ids ...string) {
		t.Helper()
		last := -1
		for _, id := range ids {
			i := strings.Index(text, id)
			if i < 0 || i < last {
				t.Fatalf("%s: want %v in this order:\n%s", what, ids, text)
			}
			last = i
		}
	}
	want := []string{"cus_case_yen", "cus_case_extras", "cus_case_usd2", "cus_case_usd ", "cus_case_usd3", "cus_case_never"}
	order("customers by balance", k.list(resources.Customers(), 1), want...)
	order("ls --sort amount", k.ls(t, storage.KindCustomer, storage.SortCurrencyAmount), want...)
	order("credit view, credit first", k.list(resources.Credit(), 1), "cus_case_yen", "cus_case_usd3", "cus_case_usd ", "cus_case_usd2")
}
