package find

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/internal/stripemock"
	"github.com/paydesk/paydesk/storage"
)

func mockClient(t *testing.T) *billing.Client {
	t.Helper()
	base := stripemock.Start(t)
	c, err := billing.New(billing.Config{
		SecretKey: "sk_test_51FindContractKeyXYZ", APIBase: base, UploadsBase: base,
		RateLimit: 1e6, MaxNetworkRetries: -1, Clocks: billing.Clocks{Account: func() time.Time { return testNow }},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStripeQueriesContract sends every Search API query the global search
// can build to stripe-mock (Stripe's OpenAPI spec): each is accepted and
// answers objects of its kind.
func TestStripeQueriesContract(t *testing.T) {
	c := mockClient(t)
	s := seeded(t)
	seen := map[storage.Kind]bool{}
	for _, line := range []string{"chen@example.com", "4242", "+1 415 555 0134", "Chen Suzuki", "7F3A2B-0007", "$12.50 2026-11-01..2026-11-30", "¥500"} {
		q := Parse(line, time.UTC)
		var amounts []storage.AmountMatch
		if q.Amount != nil {
			var err error
			if amounts, err = amountMatches(s, q.Amount); err != nil {
				t.Fatal(err)
			}
		}
		sqs := StripeQueries(q, amounts)
		if len(sqs) == 0 {
			t.Fatalf("%q: no Stripe query", line)
		}
		for _, sq := range sqs {
			raws, err := c.Search(context.Background(), sq.Kind, sq.Query, 5)
			if err != nil {
				t.Fatalf("%s %s: %v", sq.Kind, sq.Query, err)
			}
			for _, raw := range raws {
				var head struct{ Object string }
				if err := json.Unmarshal(raw, &head); err != nil || head.Object != string(sq.Kind) {
					t.Fatalf("%s %s: object %q (%v)", sq.Kind, sq.Query, head.Object, err)
				}
			}
			seen[sq.Kind] = true
		}
	}
	for k := range map[storage.Kind]bool{storage.KindCustomer: true, storage.KindCharge: true, storage.KindInvoice: true, storage.KindPaymentIntent: true} {
		if !seen[k] {
			t.Errorf("no query reached the %s Search API", k)
		}
	}
	if _, err := c.Search(context.Background(), storage.KindRefund, "x", 5); err == nil {
		t.Fatal("a kind without a Search API was sent")
	}
}

// TestStripeAnswersIntoCache: when the cache has no hit, Stripe's answer is
// written to the cache and grouped like a cache answer; a whole id is
// retrieved.
func TestStripeAnswersIntoCache(t *testing.T) {
	c := mockClient(t)
	s := seeded(t)
	q := Parse("nobody@nowhere.test", time.UTC)
	if r, _ := Cache(s, q, 8); r.Count() != 0 {
		t.Fatalf("cache already has %v", hitIDs(r))
	}
	r, err := Stripe(context.Background(), c, s, q, 8)
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != "stripe" || len(r.Groups) != 1 || r.Groups[0].Kind != storage.KindCustomer {
		t.Fatalf("stripe result %+v", r.Groups)
	}
	id := r.Groups[0].Items[0].ID
	if _, err := s.Get(storage.KindCustomer, id); err != nil {
		t.Fatalf("%s not cached: %v", id, err)
	}
	r, err = Stripe(context.Background(), c, s, Parse("in_NotCachedYet1", time.UTC), 8)
	if err != nil || r.Count() != 1 || r.Groups[0].Kind != storage.KindInvoice {
		t.Fatalf("id retrieve: %+v %v", r.Groups, err)
	}
}

func TestStripeQueryQuoting(t *testing.T) {
	q := Parse(`a"b\c@x.io`, time.UTC)
	got := StripeQueries(q, nil)
	if len(got) != 1 || got[0].Query != `email~"a\"b\\c@x.io"` {
		t.Fatalf("%+v", got)
	}
}
