package webhookd

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

type badCase struct {
	name       string
	method     string
	body       []byte
	headers    map[string][]string
	wantStatus int
	wantCode   string
}

func sigHdr(h string) map[string][]string { return map[string][]string{SignatureHeader: {h}} }

// badRequests builds every refused request; event ids are unique per case so
// the test can prove none of them reached the events bucket.
func badRequests(now time.Time) []badCase {
	ts := now.Unix()
	n := 0
	ev := func() []byte {
		n++
		return eventJSON(fmt.Sprintf("evt_bad_%02d", n), "cus_target", ts, storage.APIVersion, "Mallory")
	}
	v1 := func(body []byte, secret string, t int64) string { return hex.EncodeToString(Sign(secret, t, body)) }
	good := func(body []byte) string { return "t=" + strconv.FormatInt(ts, 10) + ",v1=" + v1(body, testSecret, ts) }
	signed := func(body []byte) map[string][]string { return sigHdr(good(body)) }

	var cases []badCase
	add := func(name, method string, body []byte, h map[string][]string, status int, code string) {
		cases = append(cases, badCase{name, method, body, h, status, code})
	}
	b := ev()
	add("GET", http.MethodGet, nil, signed(b), 405, CodeMethodNotAllowed)
	b = ev()
	add("PUT", http.MethodPut, b, signed(b), 405, CodeMethodNotAllowed)
	add("DELETE", http.MethodDelete, nil, nil, 405, CodeMethodNotAllowed)
	add("missing header", http.MethodPost, ev(), nil, 400, CodeNoSignature)
	add("empty header", http.MethodPost, ev(), sigHdr(""), 400, CodeNoSignature)
	add("no body no header", http.MethodPost, nil, nil, 400, CodeNoSignature)
	add("garbled header", http.MethodPost, ev(), sigHdr("garbage"), 400, CodeMalformedHeader)
	b = ev()
	add("wrong secret", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)+",v1="+v1(b, testBadSecret, ts)), 400, CodeBadSignature)
	b = ev()
	tampered := []byte(strings.Replace(string(b), `"balance":0`, `"balance":-100000`, 1))
	add("tampered body", http.MethodPost, tampered, signed(b), 400, CodeBadSignature)
	b = ev()
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	reser, _ := json.MarshalIndent(m, "", " ")
	add("re-serialized JSON", http.MethodPost, reser, signed(b), 400, CodeBadSignature)
	b = ev()
	add("signature for another timestamp", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts+1, 10)+",v1="+v1(b, testSecret, ts)), 400, CodeBadSignature)
	b = ev()
	add("secret without whsec_ prefix", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)+",v1="+v1(b, strings.TrimPrefix(testSecret, "whsec_"), ts)), 400, CodeBadSignature)
	b = ev()
	add("stale 301 s", http.MethodPost, b, sigHdr(signedHeader(b, testSecret, now.Add(-301*time.Second))), 400, CodeStaleTimestamp)
	b = ev()
	add("future 301 s", http.MethodPost, b, sigHdr(signedHeader(b, testSecret, now.Add(301*time.Second))), 400, CodeFutureTimestamp)
	big := []byte(`{"id":"evt_big","object":"event","pad":"` + strings.Repeat("x", DefaultMaxBody) + `"}`)
	add("oversized body", http.MethodPost, big, signed(big), 413, CodeBodyTooLarge)
	add("empty body signed", http.MethodPost, []byte{}, signed([]byte{}), 400, CodeMalformedJSON)
	notJSON := []byte("hello=world&id=evt_x")
	add("form body signed", http.MethodPost, notJSON, signed(notJSON), 400, CodeMalformedJSON)
	b = ev()
	trunc := b[:len(b)/2]
	add("truncated JSON signed", http.MethodPost, trunc, signed(trunc), 400, CodeMalformedJSON)
	b = ev()
	add("duplicate t", http.MethodPost, b, sigHdr(good(b)+",t="+strconv.FormatInt(ts, 10)), 400, CodeMalformedHeader)
	b = ev()
	add("non-hex v1", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)+",v1="+strings.Repeat("zz", 32)), 400, CodeMalformedHeader)
	b = ev()
	add("short v1", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)+",v1="+v1(b, testSecret, ts)[:40]), 400, CodeMalformedHeader)
	b = ev()
	add("huge header", http.MethodPost, b, sigHdr(good(b)+strings.Repeat(",v0=abcdef", 500)), 400, CodeMalformedHeader)
	b = ev()
	add("v0 only", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)+",v0="+v1(b, testSecret, ts)), 400, CodeNoV1)
	b = ev()
	add("unknown scheme only", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)+",v2="+v1(b, testSecret, ts)), 400, CodeNoV1)
	b = ev()
	add("missing t", http.MethodPost, b, sigHdr("v1="+v1(b, testSecret, ts)), 400, CodeMalformedHeader)
	b = ev()
	add("missing v1", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)), 400, CodeNoV1)
	b = ev()
	add("uppercase T", http.MethodPost, b, sigHdr("T="+strconv.FormatInt(ts, 10)+",v1="+v1(b, testSecret, ts)), 400, CodeMalformedHeader)
	b = ev()
	add("non-numeric t", http.MethodPost, b, sigHdr("t=yesterday,v1="+v1(b, testSecret, ts)), 400, CodeMalformedHeader)
	b = ev()
	add("signed t with plus", http.MethodPost, b, sigHdr("t=+"+strconv.FormatInt(ts, 10)+",v1="+v1(b, testSecret, ts)), 400, CodeMalformedHeader)
	b = ev()
	add("zero t", http.MethodPost, b, sigHdr("t=0,v1="+v1(b, testSecret, 0)), 400, CodeMalformedHeader)
	b = ev()
	add("space after comma", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)+", v1="+v1(b, testSecret, ts)), 400, CodeMalformedHeader)
	b = ev()
	add("spaces around =", http.MethodPost, b, sigHdr("t = "+strconv.FormatInt(ts, 10)+",v1="+v1(b, testSecret, ts)), 400, CodeMalformedHeader)
	b = ev()
	add("tab between items", http.MethodPost, b, sigHdr("t="+strconv.FormatInt(ts, 10)+",\tv1="+v1(b, testSecret, ts)), 400, CodeMalformedHeader)
	b = ev()
	add("trailing comma", http.MethodPost, b, sigHdr(good(b)+","), 400, CodeMalformedHeader)
	b = ev()
	add("empty v1 value", http.MethodPost, b, sigHdr(good(b)+",v1="), 400, CodeMalformedHeader)
	b = ev()
	add("two signature headers", http.MethodPost, b, map[string][]string{SignatureHeader: {good(b), good(b)}}, 400, CodeMalformedHeader)
	arr := []byte(`[{"id":"evt_in_array","object":"event"}]`)
	add("JSON array", http.MethodPost, arr, signed(arr), 400, CodeNotAnEvent)
	noID := []byte(`{"object":"event","type":"customer.updated","created":` + strconv.FormatInt(ts, 10) + `,"data":{"object":{"id":"cus_target","object":"customer"}}}`)
	add("event without id", http.MethodPost, noID, signed(noID), 400, CodeNotAnEvent)
	noObj := []byte(`{"id":"evt_no_object","object":"event","type":"customer.updated","created":` + strconv.FormatInt(ts, 10) + `,"data":{}}`)
	add("event without data.object", http.MethodPost, noObj, signed(noObj), 400, CodeNotAnEvent)
	strObj := []byte(`{"id":"evt_str_object","object":"event","type":"customer.updated","created":` + strconv.FormatInt(ts, 10) + `,"data":{"object":"cus_target"}}`)
	add("data.object is a string", http.MethodPost, strObj, signed(strObj), 400, CodeNotAnEvent)
	bare := []byte(`{"id":"cus_target","object":"customer","name":"Mallory","created":` + strconv.FormatInt(ts, 10) + `}`)
	add("bare object, not an event", http.MethodPost, bare, signed(bare), 400, CodeNotAnEvent)
	noType := []byte(`{"id":"evt_no_type","object":"event","created":` + strconv.FormatInt(ts, 10) + `,"data":{"object":{"id":"cus_target","object":"customer"}}}`)
	add("event without type", http.MethodPost, noType, signed(noType), 400, CodeNotAnEvent)
	return cases
}

func TestBadRequestsRejectedAndLogged(t *testing.T) {
	// The receiver's clock stands still at now, so "301 s in the future"
	// stays 301 s however long the machine takes to send the cases.
	now := testNow()
	e := newEnv(t, func(c *Config, _ *storage.Options) { c.Now = func() time.Time { return now } })
	// A known good state first, so "unchanged" means something.
	seedBody := eventJSON("evt_seed", "cus_target", now.Unix()-10, storage.APIVersion, "Alice")
	if r := postSigned(t, e, seedBody, testSecret); r.status != 200 {
		t.Fatalf("seed event: %d %s", r.status, r.body)
	}
	before := cacheState(t, e.store)
	sub := e.store.Subscribe(1024)
	defer sub.Close()

	cases := badRequests(now)
	if len(cases) < 25 {
		t.Fatalf("only %d bad requests", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := send(t, nil, c.method, e.url, c.body, c.headers)
			if r.status != c.wantStatus {
				t.Fatalf("status %d, want %d (body %s)", r.status, c.wantStatus, r.body)
			}
			if !strings.Contains(r.body, c.wantCode) {
				t.Errorf("response %q lacks %s", r.body, c.wantCode)
			}
			if c.wantStatus == 405 && r.header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q", r.header.Get("Allow"))
			}
			d := lastDelivery(t, e.store)
			if d.Verdict != storage.VerdictRejected || !strings.HasPrefix(d.Reason, c.wantCode+": ") || d.Status != c.wantStatus {
				t.Fatalf("delivery = verdict %s reason %q status %d; want rejected %s %d", d.Verdict, d.Reason, d.Status, c.wantCode, c.wantStatus)
			}
			if d.Source != SourceWebhook || d.RemoteAddr == "" || d.At == 0 {
				t.Errorf("delivery lacks source/remote/time: %+v", d)
			}
			if c.method == http.MethodPost && d.Bytes == 0 && len(c.body) > 0 {
				t.Errorf("delivery size not recorded: %+v", d)
			}
			n, ok := sub.Next()
			if !ok || n.Delivery.Verdict != storage.VerdictRejected || n.Delivery.Seq != d.Seq {
				t.Errorf("bus notice %+v, want the rejected delivery %d", n.Delivery, d.Seq)
			}
			if after := cacheState(t, e.store); after != before {
				t.Fatalf("cache changed:\n before %s\n after  %s", before, after)
			}
		})
	}
	// No case's event reached the events bucket.
	for i := 1; i <= len(cases); i++ {
		id := fmt.Sprintf("evt_bad_%02d", i)
		if _, err := e.store.Event(id); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("event %s stored: %v", id, err)
		}
	}
	env, err := e.store.Get(storage.KindCustomer, "cus_target")
	if err != nil || env.Name != "Alice" {
		t.Fatalf("target customer = %q, %v; want Alice untouched", env.Name, err)
	}
	// The rejection counter saw every case.
	var total int
	for code, n := range e.srv.metrics.rejected {
		total += int(n)
		_ = code
	}
	if total != len(cases) {
		t.Errorf("rejected metric total %d, want %d", total, len(cases))
	}
}

// A stale but genuine event names itself in the delivery log (it was
// signed), so the operator sees which event a skewed clock refused.
func TestStaleGenuineEventNamesItself(t *testing.T) {
	e := newEnv(t)
	body := eventJSON("evt_late", "cus_late", testNow().Unix(), storage.APIVersion, "Late")
	r := send(t, nil, http.MethodPost, e.url, body, sigHdr(signedHeader(body, testSecret, testNow().Add(-412*time.Second))))
	if r.status != 400 {
		t.Fatalf("status %d", r.status)
	}
	d := lastDelivery(t, e.store)
	if d.EventID != "evt_late" || !strings.HasPrefix(d.Reason, "stale_timestamp: 41") || d.Secret != 1 {
		t.Fatalf("delivery %+v", d)
	}
}
