package storage

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func rawOf(t testing.TB, m map[string]any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// seedSearch caches a customer with a phone, her subscription, a charge
// paid with a card ending 4242, a guest charge in JPY and an invoice.
func seedSearch(t testing.TB, s *Store) {
	t.Helper()
	objs := []map[string]any{
		{"id": "cus_chen", "object": "customer", "created": 1000, "email": "chen@suzuki.jp", "name": "Chen Suzuki",
			"phone": "+81 90-1234-5678", "metadata": map[string]string{"crm": "ACME-7731"}},
		{"id": "sub_chen", "object": "subscription", "created": 1100, "customer": "cus_chen", "status": "active",
			"items": map[string]any{"data": []any{map[string]any{"quantity": 1, "price": map[string]any{"unit_amount": 1250, "currency": "usd"}}}}},
		{"id": "ch_card", "object": "charge", "created": 1200, "customer": "cus_chen", "amount": 1250, "currency": "usd",
			"status": "succeeded", "description": "Annual renewal for workspace Orbit",
			"payment_method_details": map[string]any{"card": map[string]any{"last4": "4242", "brand": "visa"}}},
		{"id": "ch_guest", "object": "charge", "created": 5000, "amount": 500, "currency": "jpy", "status": "succeeded",
			"billing_details": map[string]any{"email": "walkin@example.com", "name": "Guest Person", "phone": "555 0100"},
			"metadata":        map[string]string{"order": "ORD-99812"}},
		{"id": "ch_old", "object": "charge", "created": 100, "customer": "cus_chen", "amount": 1250, "currency": "usd", "status": "succeeded"},
		{"id": "in_chen", "object": "invoice", "created": 1300, "customer": "cus_chen", "status": "open",
			"amount_due": 1250, "currency": "usd", "number": "ABCD-0042"},
	}
	for _, o := range objs {
		if err := s.PutObject(rawOf(t, o), 10); err != nil {
			t.Fatal(err)
		}
	}
}

func envIDs(envs []Envelope) []string {
	var out []string
	for _, e := range envs {
		out = append(out, e.ID)
	}
	return out
}

func TestSearchTermsEveryForm(t *testing.T) {
	s := openTest(t, Options{})
	seedSearch(t, s)
	cases := []struct {
		name, q string
		want    []string
	}{
		{"email", "chen@suz", []string{"cus_chen", "sub_chen", "in_chen", "ch_card", "ch_old"}},
		{"name word on children", "suzuki", []string{"cus_chen", "sub_chen", "in_chen", "ch_card", "ch_old"}},
		{"phone with country code", "819012345678", []string{"cus_chen", "sub_chen", "in_chen", "ch_card", "ch_old"}},
		{"phone without country code", "9012345678", []string{"cus_chen", "sub_chen", "in_chen", "ch_card", "ch_old"}},
		{"last4", "4242", []string{"ch_card"}},
		{"description word", "orbit", []string{"ch_card"}},
		{"metadata value", "acme-77", []string{"cus_chen"}},
		{"metadata of a guest payment", "ord-998", []string{"ch_guest"}},
		{"guest billing email", "walkin@", []string{"ch_guest"}},
		{"invoice number", "abcd-00", []string{"in_chen"}},
		{"id prefix", "ch_gu", []string{"ch_guest"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.SearchTerms(Kinds, c.q, 10)
			if err != nil {
				t.Fatal(err)
			}
			g, w := envIDs(got), slices.Clone(c.want)
			slices.Sort(g)
			slices.Sort(w)
			if !slices.Equal(g, w) {
				t.Fatalf("%q: got %v, want %v", c.q, g, w)
			}
		})
	}
}

// TestListSearchMatchesCustomerName is the Subscriptions "/chen" case: a
// list filters by its customer's name and email, with and without a status.
func TestListSearchMatchesCustomerName(t *testing.T) {
	s := openTest(t, Options{})
	seedSearch(t, s)
	for _, q := range []Query{
		{Kind: KindSubscription, Search: "chen"},
		{Kind: KindSubscription, Search: "CHEN@", Status: "active"},
	} {
		p, err := s.List(q)
		if err != nil {
			t.Fatal(err)
		}
		if got := envIDs(p.Items); !slices.Equal(got, []string{"sub_chen"}) {
			t.Fatalf("%+v: %v", q, got)
		}
	}
}

// TestCustomerRenameReindexesChildren: the children's inherited terms follow
// the customer's name, old terms go.
func TestCustomerRenameReindexesChildren(t *testing.T) {
	s := openTest(t, Options{})
	seedSearch(t, s)
	renamed := rawOf(t, map[string]any{"id": "cus_chen", "object": "customer", "created": 1000,
		"email": "chen@suzuki.jp", "name": "Chen Tanaka"})
	if _, err := s.ApplyEvent(eventJSON("evt_rename", "customer.updated", 20, renamed), nil); err != nil {
		t.Fatal(err)
	}
	p, err := s.List(Query{Kind: KindSubscription, Search: "tanaka"})
	if err != nil || !slices.Equal(envIDs(p.Items), []string{"sub_chen"}) {
		t.Fatalf("new name: %v %v", envIDs(p.Items), err)
	}
	p, err = s.List(Query{Kind: KindSubscription, Search: "suzuki"})
	if err != nil || len(p.Items) != 0 {
		t.Fatalf("old name still matches: %v %v", envIDs(p.Items), err)
	}
	// A child cached before its customer picks the name up when the
	// customer arrives.
	if err := s.PutObject(rawOf(t, map[string]any{"id": "sub_early", "object": "subscription", "created": 1, "customer": "cus_late", "status": "active"}), 10); err != nil {
		t.Fatal(err)
	}
	if err := s.PutObject(rawOf(t, map[string]any{"id": "cus_late", "object": "customer", "created": 1, "name": "Late Arrival"}), 10); err != nil {
		t.Fatal(err)
	}
	p, err = s.List(Query{Kind: KindSubscription, Search: "arrival"})
	if err != nil || !slices.Equal(envIDs(p.Items), []string{"sub_early"}) {
		t.Fatalf("late customer: %v %v", envIDs(p.Items), err)
	}
}

func TestFindAmountsPerCurrencyAndDates(t *testing.T) {
	s := openTest(t, Options{})
	seedSearch(t, s)
	usd := []AmountMatch{{Currency: "usd", Amount: 1250}}
	got, err := s.FindAmounts(Kinds, usd, 0, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Newest first within a kind; the customer's balance is never an amount match.
	if want := []string{"sub_chen", "in_chen", "ch_card", "ch_old"}; !slices.Equal(envIDs(got), want) {
		t.Fatalf("usd 12.50: %v, want %v", envIDs(got), want)
	}
	got, _ = s.FindAmounts([]Kind{KindCharge}, usd, 1000, 2000, 10)
	if !slices.Equal(envIDs(got), []string{"ch_card"}) {
		t.Fatalf("date range: %v", envIDs(got))
	}
	got, _ = s.FindAmounts([]Kind{KindCharge}, []AmountMatch{{Currency: "usd", Amount: 500}}, 0, 0, 10)
	if len(got) != 0 {
		t.Fatalf("500 in usd matched the jpy charge: %v", envIDs(got))
	}
	got, _ = s.FindAmounts([]Kind{KindCharge}, []AmountMatch{{Currency: "JPY", Amount: 500}}, 0, 0, 10)
	if !slices.Equal(envIDs(got), []string{"ch_guest"}) {
		t.Fatalf("jpy 500: %v", envIDs(got))
	}
	cur, err := s.Currencies()
	if err != nil || !slices.Equal(cur, []string{"jpy", "usd"}) {
		t.Fatalf("currencies %v %v", cur, err)
	}
}

// TestMigrateSearchV4 builds a file as schema v3 left it (the old search
// terms only, no terms or amount_cur buckets) and checks that opening it
// finds objects by the new terms and by amount.
func TestMigrateSearchV4(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedSearch(t, s)
	if err := s.PutObject(disputeJSON("dp_open", "needs_response", 100, 9000), 10); err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		r := root(tx)
		// v3 knew no dispute deadline.
		dset, err := kindBuckets(r, KindDispute, false)
		if err != nil {
			return err
		}
		env, _, err := getEnvelope(dset, "dp_open")
		if err != nil {
			return err
		}
		if err := dset.statusAt.Delete(groupKey(env.Status, env.StatusAt, env.ID)); err != nil {
			return err
		}
		env.StatusAt = 0
		if err := dset.objects.Put([]byte(env.ID), encodeEnvelope(&env)); err != nil {
			return err
		}
		for _, k := range Kinds {
			idx := r.Bucket(bucketIdx).Bucket([]byte(k))
			for _, name := range [][]byte{idxTerms, idxAmountCur, idxSearch} {
				if err := idx.DeleteBucket(name); err != nil {
					return err
				}
			}
			set := &kindBucketSet{objects: r.Bucket(bucketObjects).Bucket([]byte(k))}
			if set.search, err = idx.CreateBucket(idxSearch); err != nil {
				return err
			}
			err := set.objects.ForEach(func(_, v []byte) error {
				e, err := decodeEnvelope(v)
				if err != nil {
					return err
				}
				for _, term := range e.searchTerms() {
					if err := set.search.Put(searchKey(term, e.ID), nil); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return r.Bucket(bucketMeta).Put(metaSchema, be64(3))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SearchTerms([]Kind{KindCharge}, "4242", 10); len(got) != 0 {
		t.Fatalf("v3 file already finds last4: %v", envIDs(got))
	}
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Schema(); v != SchemaVersion {
		t.Fatalf("schema %d, want %d", v, SchemaVersion)
	}
	if got, _ := s.SearchTerms([]Kind{KindCharge}, "4242", 10); !slices.Equal(envIDs(got), []string{"ch_card"}) {
		t.Fatalf("last4 after migration: %v", envIDs(got))
	}
	if got, _ := s.SearchTerms([]Kind{KindSubscription}, "suzuki", 10); !slices.Equal(envIDs(got), []string{"sub_chen"}) {
		t.Fatalf("customer name on a subscription after migration: %v", envIDs(got))
	}
	if got, _ := s.FindAmounts([]Kind{KindCharge}, []AmountMatch{{Currency: "jpy", Amount: 500}}, 0, 0, 10); !slices.Equal(envIDs(got), []string{"ch_guest"}) {
		t.Fatalf("amount after migration: %v", envIDs(got))
	}
	if p, _ := s.List(Query{Kind: KindDispute, Status: "needs_response", Sort: SortStatusAt}); len(p.Items) != 1 || p.Items[0].StatusAt != 9000 {
		t.Fatalf("dispute deadline after migration: %+v", p.Items)
	}
	// The old terms were replaced, not duplicated: deleting the invoice
	// leaves nothing behind.
	del := rawOf(t, map[string]any{"id": "in_chen", "object": "invoice", "created": 1300, "customer": "cus_chen", "deleted": true})
	if _, err := s.ApplyEvent(eventJSON("evt_del", "invoice.deleted", 30, del), nil); err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		set, err := kindOf(tx, KindInvoice)
		if err != nil {
			return err
		}
		if k, _ := set.search.Cursor().First(); k != nil {
			t.Errorf("search key left after delete: %q", k)
		}
		if k, _ := set.amountCur.Cursor().First(); k != nil {
			t.Errorf("amount key left after delete: %q", k)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func disputeJSON(id, status string, created, due int64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"id": id, "object": "dispute", "created": created, "status": status,
		"amount": 1000, "currency": "usd", "charge": "ch_x", "evidence_details": map[string]any{"due_by": due}})
	return b
}

// TestDisputesSoonestDeadlineFirst: needs-response disputes list by their
// evidence deadline, soonest first, whatever order they were created in;
// a status without deadlines lists newest first.
func TestDisputesSoonestDeadlineFirst(t *testing.T) {
	s := openTest(t, Options{})
	for _, d := range []json.RawMessage{
		disputeJSON("dp_late", "needs_response", 100, 9000),
		disputeJSON("dp_soon", "needs_response", 300, 5000),
		disputeJSON("dp_mid", "needs_response", 200, 7000),
		disputeJSON("dp_won", "won", 400, 1000),
		disputeJSON("dp_won2", "won", 500, 1000),
	} {
		if err := s.PutObject(d, 10); err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.List(Query{Kind: KindDispute, Status: "needs_response", Sort: SortStatusAt, Asc: true})
	if err != nil || !slices.Equal(envIDs(p.Items), []string{"dp_soon", "dp_mid", "dp_late"}) {
		t.Fatalf("deadline order: %v %v", envIDs(p.Items), err)
	}
	p, err = s.List(Query{Kind: KindDispute, Status: "won", Sort: SortStatusAt, Asc: true})
	if err != nil || !slices.Equal(envIDs(p.Items), []string{"dp_won", "dp_won2"}) {
		t.Fatalf("won (no deadline) falls back to created: %v %v", envIDs(p.Items), err)
	}
	// Responding moves it out of the deadline list.
	if err := s.PutObject(disputeJSON("dp_soon", "under_review", 300, 5000), 20); err != nil {
		t.Fatal(err)
	}
	p, _ = s.List(Query{Kind: KindDispute, Status: "needs_response", Sort: SortStatusAt, Asc: true})
	if !slices.Equal(envIDs(p.Items), []string{"dp_mid", "dp_late"}) {
		t.Fatalf("after response: %v", envIDs(p.Items))
	}
}

func TestPaymentMethodsCached(t *testing.T) {
	s := openTest(t, Options{})
	if _, err := s.PaymentMethods("cus_1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("never read: %v", err)
	}
	pm := json.RawMessage(`{"id":"pm_1","object":"payment_method","card":{"brand":"visa","last4":"4242","exp_month":1,"exp_year":2027}}`)
	if err := s.PutPaymentMethods("cus_1", []json.RawMessage{pm}, 77); err != nil {
		t.Fatal(err)
	}
	if err := s.PutObject(customerJSON("cus_pm", 1, "pm@x.io", "Card Holder", 0), 10); err != nil {
		t.Fatal(err)
	}
	pm2 := json.RawMessage(`{"id":"pm_2","object":"payment_method","card":{"brand":"amex","last4":"8431","exp_month":1,"exp_year":2027}}`)
	if err := s.PutPaymentMethods("cus_pm", []json.RawMessage{pm2}, 77); err != nil {
		t.Fatal(err)
	}
	if found, _ := s.SearchTerms([]Kind{KindCustomer}, "8431", 5); !slices.Equal(envIDs(found), []string{"cus_pm"}) {
		t.Fatalf("customer by its card's last4: %v", envIDs(found))
	}
	// A later write of the customer keeps the card's last4; a new card list replaces it.
	if err := s.PutObject(customerJSON("cus_pm", 1, "pm@x.io", "Card Holder Renamed", 0), 20); err != nil {
		t.Fatal(err)
	}
	if found, _ := s.SearchTerms([]Kind{KindCustomer}, "8431", 5); len(found) != 1 {
		t.Fatalf("last4 lost on rewrite: %v", envIDs(found))
	}
	if err := s.PutPaymentMethods("cus_pm", nil, 90); err != nil {
		t.Fatal(err)
	}
	if found, _ := s.SearchTerms([]Kind{KindCustomer}, "8431", 5); len(found) != 0 {
		t.Fatalf("removed card still found: %v", envIDs(found))
	}
	got, err := s.PaymentMethods("cus_1")
	if err != nil || got.FetchedAt != 77 || len(got.Data) != 1 || string(got.Data[0]) != string(pm) {
		t.Fatalf("%+v %v", got, err)
	}
	if err := s.PutPaymentMethods("cus_1", nil, 80); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PaymentMethods("cus_1"); len(got.Data) != 0 || got.FetchedAt != 80 {
		t.Fatalf("replaced: %+v", got)
	}
}

// TestOddTermSourcesKeepTheObject: metadata of another shape loses only
// its terms; the object is cached and found by its other terms.
func TestOddTermSourcesKeepTheObject(t *testing.T) {
	s := openTest(t, Options{})
	raw := json.RawMessage(`{"id":"cus_odd","object":"customer","created":1,"email":"odd@x.io","metadata":{"n":5},"phone":{"x":1}}`)
	if err := s.PutObject(raw, 10); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SearchTerms([]Kind{KindCustomer}, "odd@", 5); !slices.Equal(envIDs(got), []string{"cus_odd"}) {
		t.Fatalf("%v", envIDs(got))
	}
}
