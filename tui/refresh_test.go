package tui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
	"github.com/paydesk/paydesk/tui/resources"
)

// TestLiveRefreshPages: a notice refreshes the detail page of the object
// it changed and brings a customer whose balance became non-zero onto the
// Credit view's first page.
func TestLiveRefreshPages(t *testing.T) {
	f, err := fixture.Build(fixture.Options{Seed: 11, Customers: 12, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	c := session(nil, func(c *common.Common) { c.Store = f.Store })
	apply := func(raw []byte) common.LiveMsg {
		t.Helper()
		res, err := f.Store.ApplyEvent(raw, nil)
		if err != nil || !res.Changed() {
			t.Fatalf("apply: %+v %v", res, err)
		}
		return common.LiveMsg{Change: storage.Change{Result: res}}
	}
	p, _ := f.Store.List(storage.Query{Kind: storage.KindCustomer, Limit: 12})
	var target storage.Envelope
	for _, e := range p.Items {
		if e.Amount == 0 {
			target = e
			break
		}
	}

	m := start(c, 120, 36)
	drive(m, keyMsg("5"))
	if strings.Contains(m.View(), target.ID) {
		t.Fatal("a zero-balance customer is on the Credit view")
	}
	drive(m, apply(liveEvent(t, "evt_r1", "customer.updated", 60, withField(t, target.Raw, "balance", -123456))))
	if !strings.Contains(m.View(), target.ID) || !strings.Contains(m.View(), "$1,234.56 credit") {
		t.Fatalf("the new credit did not reach the Credit view:\n%s", m.View())
	}

	drive(m, keyMsg("1"), keyMsg("/"))
	drive(m, keyMsg(target.ID)) // one paste: one search
	drive(m, keyMsg("enter"))
	drive(m, keyMsg("enter"))
	d, ok := m.Active().(*resources.Detail)
	if !ok || d.ID() != target.ID {
		t.Fatalf("active page %T, want the detail of %s", m.Active(), target.ID)
	}
	cur, _ := f.Store.RawOf(storage.KindCustomer, target.ID)
	drive(m, apply(liveEvent(t, "evt_r2", "customer.updated", 120, withField(t, cur, "name", "Renamed Live"))))
	d.SetSize(120, 200) // the whole page, events included
	if !strings.Contains(d.View(), "Renamed Live") || !strings.Contains(d.View(), "evt_r2") {
		t.Fatalf("the detail page did not follow the event:\n%s", d.View())
	}
}

func TestNoticeToasts(t *testing.T) {
	n := func(typ string, v storage.Verdict) storage.Change {
		return storage.Change{Result: storage.ApplyResult{Type: typ, ObjectID: "dp_1", Customer: "cus_1", Verdict: v}}
	}
	if ts, ok := noticeToast(n("charge.dispute.created", storage.VerdictApplied)); !ok || ts.Text != "new dispute: dp_1 (cus_1)" || ts.Level != common.ToastError {
		t.Fatalf("dispute toast %+v %v", ts, ok)
	}
	if _, ok := noticeToast(n("charge.dispute.created", storage.VerdictDuplicate)); ok {
		t.Fatal("a duplicate delivery toasted again")
	}
	if _, ok := noticeToast(n("customer.updated", storage.VerdictApplied)); ok {
		t.Fatal("customer.updated toasted")
	}
}

// TestSubscriptionStatusHistory: the subscription page reads status
// changes from the cached events' previous_attributes.
func TestSubscriptionStatusHistory(t *testing.T) {
	f, err := fixture.Build(fixture.Options{Seed: 11, Customers: 12, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	p, _ := f.Store.List(storage.Query{Kind: storage.KindSubscription, Status: "past_due", Limit: 1})
	if len(p.Items) == 0 {
		t.Fatal("no past_due subscription in the fixture")
	}
	sub := p.Items[0]
	obj := withField(t, sub.Raw, "status", "active")
	ev := []byte(`{"id":"evt_h1","object":"event","api_version":"` + storage.APIVersion + `","type":"customer.subscription.updated","created":` +
		strconv.FormatInt(fixture.Now.Unix()+30, 10) + `,"livemode":false,"data":{"object":` + string(obj) + `,"previous_attributes":{"status":"past_due"}}}`)
	if res, err := f.Store.ApplyEvent(ev, nil); err != nil || !res.Changed() {
		t.Fatalf("apply: %+v %v", res, err)
	}
	c := session(nil, func(c *common.Common) { c.Store = f.Store })
	d := resources.NewSubscription(c, sub.ID)
	d.SetSize(120, 200)
	d.Init()
	v := d.View()
	if !strings.Contains(v, "past_due → active") || !strings.Contains(v, "customer.subscription.updated") {
		t.Fatalf("no status history:\n%s", v)
	}
}
