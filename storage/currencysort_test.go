package storage

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func customerIn(id, currency string, balance int64) json.RawMessage {
	m := map[string]any{"id": id, "object": "customer", "created": 100, "email": id + "@example.test", "balance": balance}
	if currency != "" {
		m["currency"] = currency
	}
	b, _ := json.Marshal(m)
	return b
}

func listIDs(t *testing.T, s *Store, q Query) []string {
	t.Helper()
	p, err := s.List(q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range p.Items {
		ids = append(ids, e.ID)
	}
	return ids
}

// seedCurrencies caches balances in yen and dollars: ¥15,000 is not more
// than $120.00, and a never-billed customer has no currency.
func seedCurrencies(t *testing.T, s *Store) {
	t.Helper()
	for _, raw := range []json.RawMessage{
		customerIn("cus_usd120", "usd", 12000), customerIn("cus_jpy15000", "jpy", 15000),
		customerIn("cus_usd5", "usd", 500), customerIn("cus_never", "", 0),
		customerIn("cus_jpycredit", "jpy", -3000), customerIn("cus_usdcredit", "usd", -100),
	} {
		if err := s.PutObject(raw, 10); err != nil {
			t.Fatal(err)
		}
	}
}

func checkCurrencyOrders(t *testing.T, s *Store) {
	t.Helper()
	got := listIDs(t, s, Query{Kind: KindCustomer, Sort: SortCurrencyAmount, Limit: 10})
	want := []string{"cus_jpy15000", "cus_jpycredit", "cus_usd120", "cus_usd5", "cus_usdcredit", "cus_never"}
	if !slices.Equal(got, want) {
		t.Fatalf("by amount within currency:\n got  %v\n want %v", got, want)
	}
	// Paging keeps the order.
	p1, _ := s.List(Query{Kind: KindCustomer, Sort: SortCurrencyAmount, Limit: 3})
	p2 := listIDs(t, s, Query{Kind: KindCustomer, Sort: SortCurrencyAmount, Limit: 3, After: p1.Next})
	if !slices.Equal(p2, want[3:]) {
		t.Fatalf("second page %v, want %v", p2, want[3:])
	}
	if got := listIDs(t, s, Query{Kind: KindCustomer, Balance: BalanceOwed, Limit: 10}); !slices.Equal(got, []string{"cus_usd120", "cus_usd5", "cus_jpy15000"}) {
		t.Fatalf("owed, largest first within currency: %v", got)
	}
	if got := listIDs(t, s, Query{Kind: KindCustomer, Balance: BalanceCredit, Asc: true, Limit: 10}); !slices.Equal(got, []string{"cus_jpycredit", "cus_usdcredit"}) {
		t.Fatalf("credit: %v", got)
	}
}

func TestAmountSortsWithinCurrency(t *testing.T) {
	s := openTest(t, Options{})
	seedCurrencies(t, s)
	checkCurrencyOrders(t, s)
}

// TestMigrateCurrencyAmountV4: a schema v3 file (no currency index, balance
// keys without currency) is indexed by currency when opened.
func TestMigrateCurrencyAmountV4(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedCurrencies(t, s)
	err = s.db.Update(func(tx *bolt.Tx) error {
		r := root(tx)
		for _, k := range Kinds {
			if err := r.Bucket(bucketIdx).Bucket([]byte(k)).DeleteBucket(idxCurrencyAmount); err != nil {
				return err
			}
		}
		idx := r.Bucket(bucketIdx).Bucket([]byte(KindCustomer))
		_ = idx.DeleteBucket(idxBalance)
		b, err := idx.CreateBucket(idxBalance)
		if err != nil {
			return err
		}
		for id, bal := range map[string]int64{"cus_usd120": 12000, "cus_jpy15000": 15000, "cus_usd5": 500, "cus_jpycredit": -3000, "cus_usdcredit": -100} {
			class := byte(balanceOwed)
			if bal < 0 {
				class = balanceCredit
			}
			if err := b.Put(append(append([]byte{class}, be64(uint64(bal)^(1<<63))...), id...), nil); err != nil {
				return err
			}
		}
		return r.Bucket(bucketMeta).Put(metaSchema, be64(3))
	})
	if err != nil {
		t.Fatal(err)
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
	checkCurrencyOrders(t, s)
}
