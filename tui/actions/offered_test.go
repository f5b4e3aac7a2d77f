package actions_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/resources"
)

// helpKeys are the keys a page's footer offers.
func helpKeys(p interface{ ShortHelp() []key.Binding }) []string {
	var out []string
	for _, b := range p.ShortHelp() {
		out = append(out, b.Help().Key)
	}
	return out
}

// TestKeysOnlyWhereStripeAllows: a detail page offers a money action's key
// only when its object's state allows it (Stripe's rules, from the one
// description per action); pressed anyway, the key says why instead of
// opening a form that fails later.
func TestKeysOnlyWhereStripeAllows(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 80, NoWebhooks: true})
	c := e.Session(actenv.Admin)
	if err := actions.Register(c.Actions); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	by := func(kind storage.Kind, st string) storage.Envelope {
		return e.Find(kind, st, func(m map[string]any) bool { return actenv.Str(m, "status") == st })
	}
	// A charge refunded in full, then read back into the cache.
	ch := e.Find(storage.KindCharge, "refundable", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "succeeded" && actenv.Num(m, "amount_refunded") == 0 && !actenv.Bool(m, "disputed")
	})
	p, err := e.Acts.PrepareRefund(ctx, actenv.Admin, billing.RefundRequest{Target: ch.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Acts.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := e.Client.Refetch(ctx, e.Store, storage.KindCharge, ch.ID); err != nil {
		t.Fatal(err)
	}
	refunded, err := e.Store.Get(storage.KindCharge, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		env        storage.Envelope
		want, none []string
	}{
		{by(storage.KindInvoice, "open"), []string{"Y", "V", "U", "S"}, nil},
		{by(storage.KindInvoice, "paid"), nil, []string{"Y", "V", "U", "S"}},
		{by(storage.KindSubscription, "active"), []string{"P", "X", "Z"}, nil},
		{by(storage.KindSubscription, "canceled"), nil, []string{"P", "X", "Z"}},
		{by(storage.KindCharge, "failed"), nil, []string{"R"}},
		{refunded, nil, []string{"R"}},
		{e.Find(storage.KindCharge, "disputed", func(m map[string]any) bool {
			return actenv.Str(m, "status") == "succeeded" && actenv.Bool(m, "disputed") && actenv.Num(m, "amount_refunded") == 0
		}), nil, []string{"R"}}, // Stripe refuses it: charge_disputed
	}
	for _, tc := range cases {
		name := string(tc.env.Kind) + " " + tc.env.Status
		var offered []string
		for _, s := range c.Actions.ForObject(tc.env) {
			offered = append(offered, s.Key)
		}
		for _, k := range tc.want {
			if !slices.Contains(offered, k) {
				t.Errorf("%s %s: %s not offered (%v)", name, tc.env.ID, k, offered)
			}
		}
		for _, k := range tc.none {
			if slices.Contains(offered, k) {
				t.Errorf("%s %s: %s offered (%v)", name, tc.env.ID, k, offered)
			}
			for _, s := range c.Actions.For(tc.env.Kind) {
				if s.Key != k {
					continue
				}
				msg, ok := s.Start(c, tc.env)().(common.ToastMsg)
				if !ok || !strings.Contains(msg.Text, "not possible") {
					t.Errorf("%s %s: %s pressed anyway gave %#v", name, tc.env.ID, k, msg)
				}
			}
		}
		if tc.env.Kind == storage.KindInvoice || tc.env.Kind == storage.KindSubscription {
			page := resources.Open(c, tc.env.Kind, tc.env.ID)
			page.Init()
			keys := helpKeys(page)
			for _, k := range tc.none {
				if slices.Contains(keys, k) {
					t.Errorf("%s %s: footer offers %s (%v)", name, tc.env.ID, k, keys)
				}
			}
			for _, k := range tc.want {
				if !slices.Contains(keys, k) {
					t.Errorf("%s %s: footer lacks %s (%v)", name, tc.env.ID, k, keys)
				}
			}
			// The page's Actions section agrees with the footer: an
			// action the state rules out is listed as "not now", why.
			page.SetSize(160, 200)
			view := page.View()
			for _, s := range c.Actions.For(tc.env.Kind) {
				notNow := strings.Contains(view, s.Key+"  "+s.Label+" — not now: ")
				if !slices.Contains(offered, s.Key) != notNow {
					t.Errorf("%s %s: Actions section lists %s as not now = %v:\n%s", name, tc.env.ID, s.Key, notNow, view)
				}
			}
		}
	}
}
