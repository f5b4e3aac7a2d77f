package billing

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"
	"github.com/paydesk/paydesk/storage"
)

const liveKey = "sk_" + "live_51LiveSecretDoNotLeak7" // split so secret scanners see no key

// checkSecrets fails when an error, its explanation or the log holds key
// material.
func checkSecrets(t *testing.T, err error, logs *testkit.SyncBuffer) {
	t.Helper()
	assertNoKey(t, err.Error())
	assertNoKey(t, Explain(err))
	assertNoKey(t, logs.String())
	for _, secret := range []string{liveKey, liveKey[len("sk_live_"):]} {
		if strings.Contains(err.Error()+Explain(err)+logs.String(), secret) {
			t.Fatalf("the key leaked")
		}
	}
}

func TestWrongKeyAgainstSandbox(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 1, Customers: 5})
	logs := &testkit.SyncBuffer{}
	// A live key the sandbox does not accept: Stripe answers 401.
	c := newSandboxClient(t, sb, base, logs, func(cfg *Config) { cfg.SecretKey = liveKey })
	if c.Mode() != ModeLive || c.KeyHint() != "sk_live_…" {
		t.Fatalf("mode %s, hint %q", c.Mode(), c.KeyHint())
	}
	err := c.Ping(context.Background())
	if !IsAuth(err) || IsOffline(err) || IsNotFound(err) {
		t.Fatalf("ping with a wrong key: %v (auth %v)", err, IsAuth(err))
	}
	if ex := Explain(err); !strings.Contains(ex, "rejected the API key") || !strings.Contains(ex, "STRIPE_SECRET_KEY") {
		t.Fatalf("Explain = %q", ex)
	}
	checkSecrets(t, err, logs)

	// A backfill stops at once and writes nothing.
	store := newTestStore(t)
	err = c.Backfill(context.Background(), store, BackfillOptions{})
	if !IsAuth(err) {
		t.Fatalf("backfill with a wrong key: %v", err)
	}
	checkSecrets(t, err, logs)
	for _, k := range storage.Kinds {
		if cur, _ := store.Cursor(k); cur != (storage.Cursor{}) || mustCount(t, store, k) != 0 {
			t.Fatalf("%s written by a rejected backfill: %+v", k, cur)
		}
	}
}

// TestStripeMaskedKeyRedacted: Stripe's 401 message repeats the key
// masked but with its last characters; neither reaches the error or Explain.
func TestStripeMaskedKeyRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":{"message":"Invalid API Key provided: sk_live_*********************eak7","type":"invalid_request_error"}}`)
	}))
	defer srv.Close()
	logs := &testkit.SyncBuffer{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.SecretKey = liveKey; cfg.Logger = newBufferLogger(logs) })
	_, err := c.Retrieve(context.Background(), storage.KindCustomer, "cus_1")
	if !IsAuth(err) {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{err.Error(), Explain(err)} {
		if strings.Contains(s, "eak7") || strings.Contains(s, "****") {
			t.Fatalf("masked key shown: %q", s)
		}
	}
	checkSecrets(t, err, logs)
}

func TestOfflineClosedPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there any more
	logs := &testkit.SyncBuffer{}
	c := newTestClient(t, base, func(cfg *Config) { cfg.Logger = newBufferLogger(logs) })

	err = c.Ping(context.Background())
	if !IsOffline(err) || !errors.Is(err, ErrOffline) || IsAuth(err) || IsRateLimited(err) {
		t.Fatalf("ping a closed port: %v (offline %v)", err, IsOffline(err))
	}
	if ex := Explain(err); !strings.Contains(ex, "unreachable") {
		t.Fatalf("Explain = %q", ex)
	}
	store := newTestStore(t)
	err = c.Backfill(context.Background(), store, BackfillOptions{})
	if !IsOffline(err) {
		t.Fatalf("backfill offline: %v", err)
	}
	_, err = c.CatchUp(context.Background(), store, StoreApplier{Store: store})
	if err != nil {
		t.Fatalf("catch-up of an empty cache offline: %v (nothing to catch up)", err)
	}
	checkSecrets(t, err2(c.Ping(context.Background())), logs)
}

// err2 keeps a non-nil error for checkSecrets.
func err2(err error) error {
	if err == nil {
		return errors.New("no error")
	}
	return err
}

// permissionError is Stripe's answer to a restricted key without the
// permission an endpoint needs.
func permissionError(perm string) string {
	return `{"error":{"message":"The provided key 'rk_test_*****************************************************Xy12' does not have the required permissions for this endpoint on account 'acct_1PaydeskTest'. Having the '` + perm + `' permission would allow this request to continue.","type":"invalid_request_error"}}`
}

// TestRestrictedKeyPermission: a restricted key that may read everything
// but disputes (and not the account) backfills every other kind, and Explain
// names what to grant.
func TestRestrictedKeyPermission(t *testing.T) {
	t.Parallel()
	sb, sbBase := startSandbox(t, sandbox.Options{Seed: 2, Customers: 20})
	target, _ := url.Parse(sbBase)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		perm := map[string]string{"/v1/account": "rak_account_read", "/v1/disputes": "rak_dispute_read"}[r.URL.Path]
		if perm == "" {
			proxy.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, permissionError(perm))
	}))
	defer srv.Close()

	logs := &testkit.SyncBuffer{}
	c := newSandboxClient(t, sb, srv.URL, logs, func(cfg *Config) { cfg.SecretKey = "rk_test_51RestrictedSecretKey9" })
	store := newTestStore(t)
	err := c.Backfill(context.Background(), store, BackfillOptions{})
	if !IsAuth(err) || IsOffline(err) {
		t.Fatalf("backfill with a key that cannot read disputes: %v", err)
	}
	ex := Explain(err)
	for _, want := range []string{"lacks permission to read disputes", "rak_dispute_read", "Dashboard"} {
		if !strings.Contains(ex, want) {
			t.Fatalf("Explain = %q, want it to say %q", ex, want)
		}
	}
	if strings.Contains(ex, "Xy12") || strings.Contains(err.Error(), "Xy12") {
		t.Fatalf("masked key shown: %q / %v", ex, err)
	}
	// Neither the account's 403 nor the disputes' stopped the backfill:
	// the other kinds are complete, disputes are not.
	for _, k := range []storage.Kind{storage.KindCustomer, storage.KindInvoice, storage.KindRefund} {
		if cur, _ := store.Cursor(k); !cur.Done {
			t.Errorf("%s not done before the dispute error: %+v", k, cur)
		}
	}
	if cur, _ := store.Cursor(storage.KindDispute); cur.Done {
		t.Fatal("disputes marked done")
	}
	if !strings.Contains(logs.String(), "account details unavailable") {
		t.Errorf("the account's 403 was not logged:\n%s", logs)
	}
	checkSecrets(t, err, logs)
	for _, s := range []string{"rk_test_51RestrictedSecretKey9", "51RestrictedSecretKey9"} {
		if strings.Contains(err.Error()+ex+logs.String(), s) {
			t.Fatal("restricted key leaked")
		}
	}
}

func TestRetrieveMissing(t *testing.T) {
	t.Parallel()
	sb, base := startSandbox(t, sandbox.Options{Seed: 4, Customers: 3})
	c := newSandboxClient(t, sb, base, nil)
	ctx := context.Background()
	_, err := c.Retrieve(ctx, storage.KindCustomer, "cus_NoSuchCustomer")
	if !IsNotFound(err) || IsAuth(err) || IsOffline(err) {
		t.Fatalf("missing customer: %v", err)
	}
	if ex := Explain(err); !strings.Contains(ex, "Not found") || !strings.Contains(ex, "cus_NoSuchCustomer") {
		t.Fatalf("Explain = %q", ex)
	}
	first := remoteIDs(t, c, ListOptions{Kind: storage.KindCustomer, Limit: 1})[0]
	if _, err := c.RetrieveBalanceTransaction(ctx, first, "cbtxn_NoSuchTxn"); !IsNotFound(err) {
		t.Fatalf("missing balance transaction: %v", err)
	}
	if _, err := c.Retrieve(ctx, KindEvent, "evt_NoSuchEvent"); !IsNotFound(err) {
		t.Fatalf("missing event: %v", err)
	}
	// A cached kind's object that exists is found.
	if _, err := c.Retrieve(ctx, storage.KindCustomer, first); err != nil {
		t.Fatalf("existing customer: %v", err)
	}
}

func TestNoKeyConfigured(t *testing.T) {
	for _, key := range []string{"", "  ", "pk_live_51PublishableSecret1", "whsec_SigningSecret12", "sk_test_", "sk_test_51With Space", "garbage-value-123"} {
		_, err := New(Config{SecretKey: key})
		if !errors.Is(err, ErrNoKey) || !IsAuth(err) {
			t.Fatalf("New(%q): %v, want ErrNoKey", key, err)
		}
		ex := Explain(err)
		if !strings.Contains(ex, "STRIPE_SECRET_KEY") {
			t.Fatalf("Explain = %q", ex)
		}
		if len(key) > 9 && (strings.Contains(ex, key) || strings.Contains(ex, key[9:])) {
			t.Fatalf("Explain echoes the key: %q", ex)
		}
	}
}
