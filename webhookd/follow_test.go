package webhookd

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testkit"
	"github.com/paydesk/paydesk/storage"
)

// waitLines polls out until it holds n lines or the deadline passes.
func waitLines(t *testing.T, out *testkit.SyncBuffer, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if out.String() == "" {
			lines = nil
		}
		if len(lines) >= n {
			return lines
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d lines after 10 s, want %d:\n%s", len(lines), n, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func runFollow(t *testing.T, e *testEnv, f storage.DeliveryFilter, jsonOut bool) (*testkit.SyncBuffer, func()) {
	t.Helper()
	out := &testkit.SyncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Follow(ctx, e.store, f, out, jsonOut) }()
	return out, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("follow: %v", err)
		}
	}
}

// TestFollowText: the backlog, then live deliveries in order, forged ones as
// rejected with their reason, and never a secret or a signature.
func TestFollowText(t *testing.T) {
	e := newEnv(t)
	now := testNow().Unix()
	for i := range 3 {
		if r := postSigned(t, e, eventJSON(fmt.Sprintf("evt_old%d", i), fmt.Sprintf("cus_old%d", i), now, storage.APIVersion, "Old"), testSecret); r.status != http.StatusOK {
			t.Fatalf("backlog post %d: %d %s", i, r.status, r.body)
		}
	}
	out, stop := runFollow(t, e, storage.DeliveryFilter{}, false)
	waitLines(t, out, 3)
	dup := eventJSON("evt_new0", "cus_new0", now, storage.APIVersion, "New")
	bodies := []struct {
		body   []byte
		secret string
	}{
		{dup, testSecret},
		{eventJSON("evt_forged", "cus_evil", now, storage.APIVersion, "Evil"), testBadSecret},
		{dup, testSecret},
		{eventJSON("evt_new1", "cus_new1", now, storage.APIVersion, "New"), testSecret},
	}
	for _, b := range bodies {
		postSigned(t, e, b.body, b.secret)
	}
	lines := waitLines(t, out, 7)
	stop()
	want := []struct{ verdict, obj, reason string }{
		{"applied", "cus_old0", ""}, {"applied", "cus_old1", ""}, {"applied", "cus_old2", ""},
		{"applied", "cus_new0", ""}, {"rejected", "-", "bad_signature"}, {"duplicate", "cus_new0", ""}, {"applied", "cus_new1", ""},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	for i, w := range want {
		f := strings.Fields(lines[i])
		if f[1] != w.verdict || (w.obj != "-" && f[3] != w.obj) || !strings.Contains(lines[i], w.reason) {
			t.Errorf("line %d = %q, want verdict %s object %s reason %q", i, lines[i], w.verdict, w.obj, w.reason)
		}
	}
	for _, secret := range []string{testSecret, testBadSecret, "whsec_", "v1="} {
		if strings.Contains(out.String(), secret) {
			t.Fatalf("output holds %q", secret)
		}
	}
}

// TestFollowJSONFiltered: --json with a type glob and a verdict; the
// rejected request logged between the two matches never prints (the log is
// read in seq order, so it would have come before evt_c).
func TestFollowJSONFiltered(t *testing.T) {
	e := newEnv(t)
	now := testNow().Unix()
	postSigned(t, e, eventJSON("evt_a", "cus_a", now, storage.APIVersion, "A"), testSecret)
	out, stop := runFollow(t, e, storage.DeliveryFilter{Type: "customer.*", Verdict: storage.VerdictApplied}, true)
	waitLines(t, out, 1)
	postSigned(t, e, eventJSON("evt_b", "cus_b", now, storage.APIVersion, "B"), testBadSecret) // rejected: filtered out
	postSigned(t, e, eventJSON("evt_c", "cus_c", now, storage.APIVersion, "C"), testSecret)
	lines := waitLines(t, out, 2)
	stop()
	if len(lines) != 2 {
		t.Fatalf("lines: %v", lines)
	}
	for i, id := range []string{"evt_a", "evt_c"} {
		var l map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &l); err != nil {
			t.Fatalf("line %d not JSON: %v", i, err)
		}
		if l["event_id"] != id || l["verdict"] != "applied" || l["type"] != "customer.updated" || l["remote"] != nil {
			t.Fatalf("line %d: %v", i, l)
		}
	}
	if err := Follow(context.Background(), e.store, storage.DeliveryFilter{Type: "["}, &testkit.SyncBuffer{}, false); err == nil {
		t.Fatal("bad glob accepted")
	}
}
