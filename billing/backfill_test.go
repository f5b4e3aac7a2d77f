package billing

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
)

// assertMirrors checks that the cache holds exactly what the sandbox lists
// for every kind: same count, every listed id present.
func assertMirrors(t *testing.T, c *Client, store *storage.Store) {
	t.Helper()
	for _, kind := range storage.Kinds {
		var ids []string
		if kind == storage.KindBalanceTransaction {
			var customers int
			ids, customers = remoteBalanceTxns(t, c)
			if customers == 0 || len(ids) == 0 {
				t.Fatalf("the seeded sandbox has no customer with a balance: the test proves nothing")
			}
		} else {
			ids = remoteIDs(t, c, ListOptions{Kind: kind})
		}
		n, err := store.Count(kind)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d cached, %d listed", kind, n, len(ids))
		if n != len(ids) {
			t.Errorf("%s: cache holds %d, the sandbox lists %d", kind, n, len(ids))
		}
		for _, id := range ids {
			if _, err := store.Get(kind, id); err != nil {
				t.Errorf("%s %s listed by the sandbox but not cached: %v", kind, id, err)
				break
			}
		}
	}
}

func TestBackfillSandbox(t *testing.T) {
	sb, base := startSandbox(t, sandbox.Options{Seed: 7, Customers: 300})
	logs := &syncBuffer{}
	c := newSandboxClient(t, sb, base, logs)
	store := newTestStore(t)

	var done []storage.Kind
	err := c.Backfill(context.Background(), store, BackfillOptions{OnProgress: func(p Progress) {
		if p.Done {
			done = append(done, p.Kind)
		}
	}})
	if err != nil {
		t.Fatalf("backfill: %v", err)
	}
	if !slices.Equal(done, storage.Kinds) {
		t.Fatalf("kinds reported done: %v, want %v in that order", done, storage.Kinds)
	}
	for _, k := range storage.Kinds {
		cur, err := store.Cursor(k)
		if err != nil || !cur.Done {
			t.Fatalf("cursor %s = %+v, %v; want done", k, cur, err)
		}
	}
	assertMirrors(t, c, store)

	// Every customer with a balance has its transactions, and they add up
	// to the balance.
	page, err := store.List(storage.Query{Kind: storage.KindCustomer, Balance: storage.BalanceNonZero, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Fatal("no cached customer has a balance")
	}
	for _, cu := range page.Items {
		txns, err := store.List(storage.Query{Kind: storage.KindBalanceTransaction, Customer: cu.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		sum := int64(0)
		for _, tx := range txns.Items {
			sum += tx.Amount
		}
		if len(txns.Items) == 0 || sum != cu.Amount {
			t.Errorf("customer %s balance %d: %d cached transactions summing to %d", cu.ID, cu.Amount, len(txns.Items), sum)
		}
	}

	// Objects are cached byte for byte as Stripe sends them.
	newest, err := store.List(storage.Query{Kind: storage.KindInvoice, Limit: 1})
	if err != nil || len(newest.Items) != 1 {
		t.Fatalf("newest invoice: %v", err)
	}
	fresh, err := c.Retrieve(context.Background(), storage.KindInvoice, newest.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(fresh) != string(newest.Items[0].Raw) {
		t.Errorf("cached invoice differs from the API's:\n%s\n%s", newest.Items[0].Raw, fresh)
	}

	acc, err := store.Account()
	if err != nil {
		t.Fatal(err)
	}
	now := sb.Now().Unix()
	if acc.Mode != "test" || acc.BackfillEnd == 0 || acc.LastSyncAt == 0 || acc.BackfillEnd > now {
		t.Fatalf("account = %+v", acc)
	}
	// The seeded sandbox has no events yet: the mark is the backfill's start.
	mark, err := store.LastEvent()
	if err != nil {
		t.Fatal(err)
	}
	if mark.Created == 0 || mark.Created > now || now-mark.Created > 60 {
		t.Fatalf("event mark = %+v, want the backfill's start near %d", mark, now)
	}
	if err := store.Check(); err != nil {
		t.Fatalf("bbolt check: %v", err)
	}
	assertNoKey(t, logs.String())
}

// TestBackfillResume interrupts a backfill after the first page of invoices,
// reopens the cache, and resumes: finished kinds are not listed again, the
// invoices continue after the stored cursor, and the result equals a fresh
// full backfill.
func TestBackfillResume(t *testing.T) {
	sb, base := startSandbox(t, sandbox.Options{Seed: 3, Customers: 300})
	path := filepath.Join(t.TempDir(), "cache.db")
	store, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	first := newSandboxClient(t, sb, base, nil)
	err = first.Backfill(ctx, store, BackfillOptions{OnProgress: func(p Progress) {
		if p.Kind == storage.KindInvoice && p.Pages == 1 {
			cancel()
		}
	}})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted backfill: %v, want context.Canceled", err)
	}
	if Explain(err) != "Cancelled." {
		t.Fatalf("Explain = %q", Explain(err))
	}
	cut, err := store.Cursor(storage.KindInvoice)
	if err != nil {
		t.Fatal(err)
	}
	if cut.Done || cut.After == "" || cut.Fetched != PageSize {
		t.Fatalf("invoice cursor after one page = %+v", cut)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err = storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if again, _ := store.Cursor(storage.KindInvoice); again != cut {
		t.Fatalf("cursor after reopen = %+v, want %+v", again, cut)
	}

	ct := newCountingTransport()
	second := newSandboxClient(t, sb, base, nil, withTransport(ct))
	var skipped []storage.Kind
	err = second.Backfill(context.Background(), store, BackfillOptions{OnProgress: func(p Progress) {
		if p.Skipped {
			skipped = append(skipped, p.Kind)
		}
	}})
	if err != nil {
		t.Fatalf("resumed backfill: %v", err)
	}
	finished := []storage.Kind{storage.KindProduct, storage.KindPrice, storage.KindCustomer, storage.KindSubscription}
	if !slices.Equal(skipped, finished) {
		t.Fatalf("skipped kinds %v, want %v", skipped, finished)
	}
	for _, k := range finished {
		if n := ct.count(listPaths[k]); n != 0 {
			t.Errorf("%s listed %d times again after it was finished", k, n)
		}
	}
	q := ct.firstQuery("/v1/invoices")
	if !strings.Contains(q, "starting_after="+cut.After) {
		t.Fatalf("first invoice request %q does not continue after %s", q, cut.After)
	}
	if n := ct.count("/v1/invoices"); n == 0 {
		t.Fatal("invoices not listed")
	}
	cur, _ := store.Cursor(storage.KindInvoice)
	if !cur.Done {
		t.Fatalf("invoice cursor %+v not done", cur)
	}

	// The same account backfilled in one go gives the same cache.
	fresh := newTestStore(t)
	if err := newSandboxClient(t, sb, base, nil).Backfill(context.Background(), fresh, BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, k := range storage.Kinds {
		got, _ := store.Count(k)
		want, _ := fresh.Count(k)
		if got != want || want == 0 {
			t.Errorf("%s: resumed cache holds %d, a fresh backfill %d", k, got, want)
		}
	}
	if cur.Fetched != mustCount(t, fresh, storage.KindInvoice) {
		t.Errorf("invoice cursor counted %d fetched, the account has %d", cur.Fetched, mustCount(t, fresh, storage.KindInvoice))
	}
	assertMirrors(t, second, store)
}

func mustCount(t *testing.T, s *storage.Store, k storage.Kind) int {
	t.Helper()
	n, err := s.Count(k)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// keyMaterialRE matches a secret or restricted key with at least one
// character of its secret part ("sk_test_…" names a kind of key, not a key).
var keyMaterialRE = regexp.MustCompile(`(?:sk|rk)_(?:live|test)_[A-Za-z0-9*]`)

// assertNoKey fails when s holds secret or restricted key material.
func assertNoKey(t *testing.T, s string) {
	t.Helper()
	if m := keyMaterialRE.FindString(s); m != "" || strings.Contains(s, testKey[len("sk_test_"):]) {
		t.Fatalf("key material leaked (%q) in:\n%s", m, s)
	}
}
