package billing

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// addUnknownParam puts a parameter Stripe's spec does not define on any request.
func addUnknownParam(p stripe.ParamsContainer) {
	if lp, ok := p.(stripe.ListParamsContainer); ok {
		lp.GetListParams().Filters.AddFilter("not_a_param", "", "x")
		return
	}
	p.GetParams().AddExtra("not_a_param", "x")
}

// contractCalls are every read billing sends to Stripe; check inspects the
// decoded answer.
func contractCalls() []struct {
	name string
	call func(context.Context, *Client) ([]json.RawMessage, error)
	want string // the "object" every returned object must have
} {
	type entry = struct {
		name string
		call func(context.Context, *Client) ([]json.RawMessage, error)
		want string
	}
	var out []entry
	list := func(o ListOptions) func(context.Context, *Client) ([]json.RawMessage, error) {
		return func(ctx context.Context, c *Client) ([]json.RawMessage, error) {
			p, err := c.ListPage(ctx, o)
			return p.Data, err
		}
	}
	one := func(f func(context.Context, *Client) (json.RawMessage, error)) func(context.Context, *Client) ([]json.RawMessage, error) {
		return func(ctx context.Context, c *Client) ([]json.RawMessage, error) {
			raw, err := f(ctx, c)
			if err != nil {
				return nil, err
			}
			return []json.RawMessage{raw}, nil
		}
	}
	ids := map[storage.Kind]string{
		storage.KindCustomer: "cus_1", storage.KindProduct: "prod_1", storage.KindPrice: "price_1",
		storage.KindSubscription: "sub_1", storage.KindInvoice: "in_1", storage.KindPaymentIntent: "pi_1",
		storage.KindCharge: "ch_1", storage.KindRefund: "re_1", storage.KindDispute: "dp_1",
		storage.KindCoupon: "co_1", storage.KindPromotionCode: "promo_1",
		storage.KindCreditNote: "cn_1",
	}
	for _, k := range storage.Kinds {
		o := ListOptions{Kind: k, After: "x_after"}
		if k == storage.KindBalanceTransaction {
			o.Customer = "cus_1"
		}
		out = append(out, entry{"list " + string(k), list(o), string(k)})
		if k == storage.KindBalanceTransaction {
			out = append(out, entry{"retrieve " + string(k), one(func(ctx context.Context, c *Client) (json.RawMessage, error) {
				return c.RetrieveBalanceTransaction(ctx, "cus_1", "cbtxn_1")
			}), string(k)})
			continue
		}
		kind := k
		out = append(out, entry{"retrieve " + string(k), one(func(ctx context.Context, c *Client) (json.RawMessage, error) {
			return c.Retrieve(ctx, kind, ids[kind])
		}), string(k)})
	}
	out = append(out,
		entry{"list events (ping, newest)", list(ListOptions{Kind: KindEvent, Limit: 1}), "event"},
		entry{"list events ending_before", list(ListOptions{Kind: KindEvent, Before: "evt_1"}), "event"},
		entry{"list events created[gte]", list(ListOptions{Kind: KindEvent, CreatedGTE: 1700000000}), "event"},
		entry{"retrieve event", one(func(ctx context.Context, c *Client) (json.RawMessage, error) {
			return c.Retrieve(ctx, KindEvent, "evt_1")
		}), "event"},
		entry{"account", func(ctx context.Context, c *Client) ([]json.RawMessage, error) {
			a, err := c.Account(ctx)
			if err != nil {
				return nil, err
			}
			raw, _ := json.Marshal(map[string]string{"object": "account", "id": a.ID})
			return []json.RawMessage{raw}, nil
		}, "account"},
	)
	return out
}

// TestContract sends every call billing makes to stripe-mock (Stripe's
// OpenAPI spec): each succeeds and decodes, and the same call with one
// unknown parameter is rejected with 400, proving the requests are shaped
// as the spec demands and unknown shapes do not pass silently.
func TestContract(t *testing.T) {
	base := stripemock.Start(t)
	ctx := context.Background()
	for _, cc := range contractCalls() {
		t.Run(cc.name, func(t *testing.T) {
			c := newTestClient(t, base)
			objs, err := cc.call(ctx, c)
			if err != nil {
				t.Fatalf("call failed: %v", err)
			}
			if len(objs) == 0 {
				t.Fatalf("no objects decoded")
			}
			for _, raw := range objs {
				var head struct {
					ID     string `json:"id"`
					Object string `json:"object"`
				}
				if err := json.Unmarshal(raw, &head); err != nil {
					t.Fatalf("decode: %v", err)
				}
				if head.Object != cc.want || head.ID == "" {
					t.Fatalf("got object %q id %q, want object %q with an id", head.Object, head.ID, cc.want)
				}
			}

			bad := newTestClient(t, base)
			bad.paramHook = addUnknownParam
			_, err = cc.call(ctx, bad)
			se := stripeError(err)
			if se == nil || se.HTTPStatusCode != http.StatusBadRequest {
				t.Fatalf("unknown parameter: got %v, want a 400 from stripe-mock", err)
			}
			if !strings.Contains(Explain(err), "Stripe rejected the request") {
				t.Fatalf("Explain = %q", Explain(err))
			}
		})
	}
}

// TestContractRawBytesVerbatim checks that list pages keep each object's
// bytes exactly as the server sent them (the cache stores raw JSON).
func TestContractRawBytesVerbatim(t *testing.T) {
	base := stripemock.Start(t)
	c := newTestClient(t, base)
	p, err := c.ListPage(context.Background(), ListOptions{Kind: storage.KindCustomer})
	if err != nil {
		t.Fatal(err)
	}
	var whole rawResource
	if err := c.call(http.MethodGet, "/v1/customers?limit=100", &stripe.Params{}, &whole); err != nil {
		t.Fatal(err)
	}
	body := string(whole.LastResponse.RawJSON)
	for _, raw := range p.Data {
		if !strings.Contains(body, string(raw)) {
			t.Fatalf("object bytes are not a verbatim slice of the response:\n%s", raw)
		}
	}
}

// TestBackfillAgainstStripeMock runs a whole backfill against the spec's
// fixtures: every kind completes, the account id and mode are recorded and
// the event mark is set.
func TestBackfillAgainstStripeMock(t *testing.T) {
	base := stripemock.Start(t)
	c := newTestClient(t, base)
	store := newTestStore(t)
	var seen []storage.Kind
	err := c.Backfill(context.Background(), store, BackfillOptions{OnProgress: func(p Progress) {
		if p.Done {
			seen = append(seen, p.Kind)
		}
	}})
	if err != nil {
		t.Fatalf("backfill: %v", err)
	}
	if len(seen) != len(storage.Kinds) {
		t.Fatalf("kinds done: %v, want all of %v", seen, storage.Kinds)
	}
	acc, err := store.Account()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(acc.ID, "acct_") || acc.Mode != "test" || acc.BackfillEnd == 0 {
		t.Fatalf("account = %+v", acc)
	}
	if n, _ := store.Count(storage.KindCustomer); n != 1 {
		t.Fatalf("customers cached = %d, want stripe-mock's 1 fixture", n)
	}
	mark, _ := store.LastEvent()
	if mark.ID == "" {
		t.Fatalf("event mark not set: %+v", mark)
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	if errors.Is(err, ErrOffline) {
		t.Fatal("unreachable")
	}
}
