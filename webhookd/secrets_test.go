package webhookd

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// Good and bad requests, then every place the daemon writes text — slog
// lines, the delivery log, bus notices, response bodies, /metrics — must
// hold neither a secret nor any signature value that was sent.
func TestSecretsNeverInOutput(t *testing.T) {
	e := newEnv(t, withSecrets(testOldSecret, testSecret))
	sub := e.store.Subscribe(256)
	defer sub.Close()
	now := testNow()
	var sent []string // every Stripe-Signature value and v1 hex sent
	var replies []string
	post := func(body []byte, header string) {
		sent = append(sent, header)
		for _, item := range strings.Split(header, ",") {
			if k, v, ok := strings.Cut(item, "="); ok && (k == "v1" || k == "v0") && len(v) >= 16 {
				sent = append(sent, v)
			}
		}
		r := send(t, nil, http.MethodPost, e.url, body, sigHdr(header))
		replies = append(replies, r.body)
	}
	good := eventJSON("evt_s1", "cus_s", now.Unix(), storage.APIVersion, "S")
	post(good, signedHeader(good, testSecret, now))
	post(good, signedHeader(good, testOldSecret, now))              // duplicate
	post(good, signedHeader(good, testBadSecret, now))              // bad signature
	post(good, signedHeader(good, testSecret, now.Add(-time.Hour))) // stale
	post(good, signedHeader(good, testSecret, now.Add(time.Hour)))  // future
	post(good, signedHeader(good, testSecret, now)+",v0="+strings.Repeat("ab", 32))
	post([]byte("not json"), signedHeader([]byte("not json"), testSecret, now))
	post(good, "t=1,v1="+hex.EncodeToString(Sign(testSecret, 1, good))+",t=2") // duplicate t
	post(good, "t="+strings.Repeat("9", 20)+",v1="+hex.EncodeToString(Sign(testSecret, now.Unix(), good)))
	mismatch := eventJSON("evt_s2", "cus_s2", now.Unix(), "2024-04-10", "S2")
	post(mismatch, signedHeader(mismatch, testOldSecret, now))
	if _, err := e.srv.ApplyEvent(eventJSON("evt_s3", "cus_s3", now.Unix(), storage.APIVersion, "S3"), SourceCatchUp); err != nil {
		t.Fatal(err)
	}

	ds, err := e.store.Deliveries(0, 100)
	if err != nil || len(ds) != 11 {
		t.Fatalf("%d deliveries, %v", len(ds), err)
	}
	deliveries, _ := json.Marshal(ds)
	var notices []storage.Change
	for range 11 {
		n, ok := sub.Next()
		if !ok {
			t.Fatal("bus closed")
		}
		notices = append(notices, n)
	}
	bus, _ := json.Marshal(notices)
	metrics := send(t, nil, http.MethodGet, e.base+"/metrics", nil, nil).body
	logs := e.logs.String()
	if strings.Count(logs, "\n") < 11 {
		t.Fatalf("expected a log line per request, got:\n%s", logs)
	}
	outputs := map[string]string{"slog": logs, "delivery log": string(deliveries), "bus": string(bus),
		"replies": strings.Join(replies, "\n"), "metrics": metrics}
	for where, text := range outputs {
		if strings.Contains(text, "whsec_") {
			t.Errorf("%s contains whsec_", where)
		}
		for _, s := range []string{testSecret, testOldSecret, testBadSecret, strings.TrimPrefix(testSecret, "whsec_")} {
			if strings.Contains(text, s) {
				t.Errorf("%s contains a secret", where)
			}
		}
		for _, v := range sent {
			if strings.Contains(text, v) {
				t.Errorf("%s contains a sent signature value %.12s…", where, v)
			}
		}
	}
}
