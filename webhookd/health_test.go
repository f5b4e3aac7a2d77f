package webhookd

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/damage"
)

// TestHealthzUnhealthyWhileWritesFail damages the open cache file's pages
// underneath the receiver: the delivery gets 500 (Stripe retries), nothing
// of it is written, /healthz says 503 with the reason; once the file is
// whole again the retried delivery commits and /healthz is 200 again.
func TestHealthzUnhealthyWhileWritesFail(t *testing.T) {
	e := newEnv(t)
	now := time.Now().Unix()
	if r := postSigned(t, e, eventJSON("evt_ok", "cus_ok", now, storage.APIVersion, "Ok"), testSecret); r.status != 200 {
		t.Fatalf("first delivery %d %s", r.status, r.body)
	}
	health := func() reply { return send(t, nil, http.MethodGet, e.base+"/healthz", nil, nil) }
	if h := health(); h.status != 200 {
		t.Fatalf("healthz %d %q before any failure", h.status, h.body)
	}

	path := e.store.Path()
	clean, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps := damage.PageSize(clean)
	bad := append([]byte(nil), clean...)
	for p := 2; p < damage.HighWater(clean); p++ {
		bad[p*ps] ^= 0xff // the page's id no longer matches its place
	}
	if _, err := f.WriteAt(bad[:damage.HighWater(clean)*ps], 0); err != nil {
		t.Fatal(err)
	}
	body := eventJSON("evt_retry", "cus_retry", now, storage.APIVersion, "Retry")
	if r := postSigned(t, e, body, testSecret); r.status != 500 || !strings.Contains(r.body, CodeStorage) {
		t.Fatalf("delivery on a damaged cache: %d %s, want 500 %s", r.status, r.body, CodeStorage)
	}
	if h := health(); h.status != 503 || !strings.Contains(h.body, "unhealthy: cache writes fail") || !strings.Contains(h.body, "damaged") {
		t.Fatalf("healthz %d %q while writes fail", h.status, h.body)
	}

	if _, err := f.WriteAt(clean[:damage.HighWater(clean)*ps], 0); err != nil {
		t.Fatal(err)
	}
	if r := postSigned(t, e, body, testSecret); r.status != 200 || !strings.Contains(r.body, `"applied"`) {
		t.Fatalf("retried delivery: %d %s, want 200 applied (nothing of the failed try was kept)", r.status, r.body)
	}
	if h := health(); h.status != 200 || h.body != "ok\n" {
		t.Fatalf("healthz %d %q after a write committed", h.status, h.body)
	}
}
