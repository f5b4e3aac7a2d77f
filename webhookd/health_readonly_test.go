package webhookd

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/rofile"
)

// TestHealthzUnhealthyWhileFileReadOnly makes the open cache file
// read-only under the receiver: every delivery gets 500 and /healthz says
// 503 with the reason (it used to answer 200); once the file is writable
// again the retry commits and /healthz is 200.
func TestHealthzUnhealthyWhileFileReadOnly(t *testing.T) {
	e := newEnv(t)
	now := time.Now().Unix()
	health := func() reply { return send(t, nil, http.MethodGet, e.base+"/healthz", nil, nil) }
	if r := postSigned(t, e, eventJSON("evt_before", "cus_before", now, storage.APIVersion, "Before"), testSecret); r.status != 200 {
		t.Fatalf("first delivery %d %s", r.status, r.body)
	}
	rofile.Set(t, e.store.Path(), true)
	body := eventJSON("evt_ro", "cus_ro", now, storage.APIVersion, "Read only")
	if r := postSigned(t, e, body, testSecret); r.status != 500 || !strings.Contains(r.body, CodeStorage) {
		t.Fatalf("delivery to a read-only cache: %d %s, want 500", r.status, r.body)
	}
	if h := health(); h.status != 503 || !strings.Contains(h.body, "unhealthy: cache writes fail") {
		t.Fatalf("healthz %d %q while the file is read-only", h.status, h.body)
	}
	rofile.Clear(e.store.Path())
	if r := postSigned(t, e, body, testSecret); r.status != 200 || !strings.Contains(r.body, `"applied"`) {
		t.Fatalf("retried delivery: %d %s", r.status, r.body)
	}
	if h := health(); h.status != 200 {
		t.Fatalf("healthz %d %q after a write committed", h.status, h.body)
	}
}
