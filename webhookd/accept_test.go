package webhookd

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

func TestAcceptedEventIsCachedLoggedAndPublished(t *testing.T) {
	e := newEnv(t)
	sub := e.store.Subscribe(8)
	defer sub.Close()
	body := eventJSON("evt_ok_1", "cus_ok", testNow().Unix(), storage.APIVersion, "Ada")
	r := postSigned(t, e, body, testSecret)
	if r.status != 200 || !strings.Contains(r.body, `"applied"`) {
		t.Fatalf("reply %d %s", r.status, r.body)
	}
	env, err := e.store.Get(storage.KindCustomer, "cus_ok")
	if err != nil || env.Name != "Ada" || env.Stale {
		t.Fatalf("cached %+v, %v", env, err)
	}
	raw, err := e.store.Event("evt_ok_1")
	if err != nil || string(raw) != string(body) {
		t.Fatalf("stored event differs: %v", err)
	}
	d := lastDelivery(t, e.store)
	want := storage.Delivery{Seq: d.Seq, At: d.At, EventID: "evt_ok_1", Type: "customer.updated", Kind: storage.KindCustomer,
		ObjectID: "cus_ok", APIVersion: storage.APIVersion, Verdict: storage.VerdictApplied, Status: 200, LatencyUS: d.LatencyUS,
		Source: SourceWebhook, RemoteAddr: d.RemoteAddr, Bytes: len(body), Secret: 1}
	if d != want || d.Seq == 0 || !strings.HasPrefix(d.RemoteAddr, "127.0.0.1:") {
		t.Fatalf("delivery\n got  %+v\n want %+v", d, want)
	}
	n, ok := sub.Next()
	if !ok || n.Delivery != d || n.Result.Verdict != storage.VerdictApplied || n.Result.ObjectID != "cus_ok" {
		t.Fatalf("notice %+v", n)
	}
}

func TestRollingSecrets(t *testing.T) {
	e := newEnv(t, withSecrets(testOldSecret, testSecret))
	now := testNow().Unix()
	for i, c := range []struct {
		secret string
		idx    int
	}{{testOldSecret, 1}, {testSecret, 2}} {
		body := eventJSON(fmt.Sprintf("evt_roll_%d", i), fmt.Sprintf("cus_roll_%d", i), now, storage.APIVersion, "Roll")
		if r := postSigned(t, e, body, c.secret); r.status != 200 {
			t.Fatalf("secret %d refused: %d %s", c.idx, r.status, r.body)
		}
		if d := lastDelivery(t, e.store); d.Secret != c.idx || d.Verdict != storage.VerdictApplied {
			t.Fatalf("delivery %+v, want secret_idx %d", d, c.idx)
		}
	}
	// During a roll Stripe signs with both secrets: one header, two v1.
	body := eventJSON("evt_roll_both", "cus_roll_both", now, storage.APIVersion, "Both")
	h := Signature{Timestamp: now, V1: [][]byte{Sign(testBadSecret, now, body), Sign(testSecret, now, body)}}.Format()
	if r := send(t, nil, http.MethodPost, e.url, body, sigHdr(h)); r.status != 200 {
		t.Fatalf("two-v1 header refused: %d %s", r.status, r.body)
	}

	// After the roll the old secret is removed: refused.
	e2 := newEnv(t, withSecrets(testSecret))
	body = eventJSON("evt_roll_old", "cus_roll_old", now, storage.APIVersion, "Old")
	if r := postSigned(t, e2, body, testOldSecret); r.status != 400 {
		t.Fatalf("removed secret accepted: %d", r.status)
	}
	if d := lastDelivery(t, e2.store); !strings.HasPrefix(d.Reason, CodeBadSignature) {
		t.Fatalf("reason %q", d.Reason)
	}
	if _, err := e2.store.Get(storage.KindCustomer, "cus_roll_old"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("refused event applied: %v", err)
	}
}

func TestDuplicatesSequential(t *testing.T) {
	e := newEnv(t)
	body := eventJSON("evt_dup", "cus_dup", testNow().Unix(), storage.APIVersion, "Dup")
	var verdicts []storage.Verdict
	for range 3 {
		if r := postSigned(t, e, body, testSecret); r.status != 200 {
			t.Fatalf("retry answered %d", r.status)
		}
		verdicts = append(verdicts, lastDelivery(t, e.store).Verdict)
	}
	if fmt.Sprint(verdicts) != "[applied duplicate duplicate]" {
		t.Fatalf("verdicts %v", verdicts)
	}
	evs, _ := e.store.RecentEvents(0, 10)
	if len(evs) != 1 {
		t.Fatalf("%d events stored, want 1", len(evs))
	}
}

func TestDuplicatesConcurrent(t *testing.T) {
	e := newEnv(t, withBatch())
	body := eventJSON("evt_dup20", "cus_dup20", testNow().Unix(), storage.APIVersion, "Twenty")
	header := signedHeader(body, testSecret, testNow())
	const n = 20
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = send(t, nil, http.MethodPost, e.url, body, sigHdr(header)).status
		}()
	}
	close(start)
	wg.Wait()
	for i, s := range statuses {
		if s != 200 {
			t.Fatalf("sender %d got %d", i, s)
		}
	}
	ds, err := e.store.Deliveries(0, 100)
	if err != nil || len(ds) != n {
		t.Fatalf("%d deliveries, %v", len(ds), err)
	}
	count := map[storage.Verdict]int{}
	for _, d := range ds {
		count[d.Verdict]++
	}
	if count[storage.VerdictApplied] != 1 || count[storage.VerdictDuplicate] != n-1 {
		t.Fatalf("verdicts %v", count)
	}
	if evs, _ := e.store.RecentEvents(0, 100); len(evs) != 1 {
		t.Fatalf("%d events stored", len(evs))
	}
	if c, _ := e.store.Count(storage.KindCustomer); c != 1 {
		t.Fatalf("%d customers", c)
	}
}

func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

func TestReorderedEventsConvergeToNewest(t *testing.T) {
	now := testNow().Unix()
	versions := []struct{ id, name string }{{"evt_v1", "First"}, {"evt_v2", "Second"}, {"evt_v3", "Third"}}
	perms := permutations(len(versions))
	if len(perms) != 6 {
		t.Fatalf("%d permutations", len(perms))
	}
	e := newEnv(t)
	for pi, p := range perms {
		objID := fmt.Sprintf("cus_order_%d", pi)
		for _, i := range p {
			v := versions[i]
			body := eventJSON(fmt.Sprintf("%s_%d", v.id, pi), objID, now-100+int64(i)*10, storage.APIVersion, v.name)
			if r := postSigned(t, e, body, testSecret); r.status != 200 {
				t.Fatalf("perm %v: %d", p, r.status)
			}
			d := lastDelivery(t, e.store)
			if d.Verdict != storage.VerdictApplied && d.Verdict != storage.VerdictOlder {
				t.Fatalf("perm %v event %d verdict %s", p, i, d.Verdict)
			}
		}
		env, err := e.store.Get(storage.KindCustomer, objID)
		if err != nil || env.Name != "Third" || env.EventCreated != now-80 {
			t.Fatalf("perm %v converged to %q@%d, %v; want Third", p, env.Name, env.EventCreated, err)
		}
	}
}

func TestAPIVersionMismatchAcceptedAndStale(t *testing.T) {
	e := newEnv(t)
	now := testNow().Unix()
	if r := postSigned(t, e, eventJSON("evt_cur", "cus_ver", now-5, storage.APIVersion, "Current"), testSecret); r.status != 200 {
		t.Fatal(r.status)
	}
	body := eventJSON("evt_newver", "cus_ver", now, "2024-04-10", "FromNewerAPI")
	r := postSigned(t, e, body, testSecret)
	if r.status != 200 {
		t.Fatalf("version mismatch answered %d %s (Stripe would retry for days)", r.status, r.body)
	}
	d := lastDelivery(t, e.store)
	if d.Verdict != storage.VerdictVersionMismatch || d.APIVersion != "2024-04-10" || !strings.Contains(d.Reason, "2024-04-10") {
		t.Fatalf("delivery %+v", d)
	}
	if _, err := e.store.Event("evt_newver"); err != nil {
		t.Fatalf("mismatched event not stored: %v", err)
	}
	env, err := e.store.Get(storage.KindCustomer, "cus_ver")
	if err != nil || !env.Stale {
		t.Fatalf("object not marked stale: %+v %v", env, err)
	}
	stale, _ := e.store.Stale(10)
	if len(stale) != 1 || stale[0].ID != "cus_ver" {
		t.Fatalf("stale list %+v", stale)
	}
	// A brand-new object in another version is stored, stale.
	if r := postSigned(t, e, eventJSON("evt_newver2", "cus_ver_new", now, "2024-04-10", "New"), testSecret); r.status != 200 {
		t.Fatal(r.status)
	}
	if env, err := e.store.Get(storage.KindCustomer, "cus_ver_new"); err != nil || !env.Stale {
		t.Fatalf("new mismatched object: %+v %v", env, err)
	}
}

func TestStorageFailureAnswers500(t *testing.T) {
	e := newEnv(t)
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	body := eventJSON("evt_fail", "cus_fail", testNow().Unix(), storage.APIVersion, "Fail")
	r := postSigned(t, e, body, testSecret)
	if r.status != 500 || !strings.Contains(r.body, CodeStorage) {
		t.Fatalf("reply %d %s, want 500 storage_error", r.status, r.body)
	}
	if !strings.Contains(e.logs.String(), `"level":"ERROR"`) {
		t.Fatalf("storage failure not logged at error level")
	}
	if got := send(t, nil, http.MethodGet, e.base+"/healthz", nil, nil); got.status != 503 {
		t.Fatalf("healthz %d with a closed cache", got.status)
	}
}
