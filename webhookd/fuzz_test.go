package webhookd

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76/webhook"
)

var knownCodes = map[string]bool{
	CodeMethodNotAllowed: true, CodeBodyTooLarge: true, CodeBodyRead: true, CodeNoSignature: true,
	CodeMalformedHeader: true, CodeNoV1: true, CodeBadSignature: true, CodeStaleTimestamp: true,
	CodeFutureTimestamp: true, CodeMalformedJSON: true, CodeNotAnEvent: true, CodeStorage: true,
}

// FuzzParseSignatureHeader: never panics; a parsed header is well formed and
// survives Format; a refusal carries a known code and never echoes a v1.
func FuzzParseSignatureHeader(f *testing.F) {
	f.Add("t=1700000000,v1=" + strings.Repeat("ab", 32))
	f.Add("t=1700000000,v1=" + strings.Repeat("ab", 32) + ",v0=" + strings.Repeat("cd", 32))
	f.Add("t=1,t=2,v1=" + strings.Repeat("00", 32))
	f.Add("v1=zz")
	f.Fuzz(func(t *testing.T, h string) {
		sig, err := ParseSignatureHeader(h)
		if err != nil {
			code := RejectionCode(err)
			if !knownCodes[code] {
				t.Fatalf("unknown rejection %v", err)
			}
			if strings.Contains(err.Error(), "v1=") {
				t.Fatalf("rejection echoes header content: %v", err)
			}
			return
		}
		if sig.Timestamp <= 0 || len(sig.V1) == 0 || len(sig.V1) > maxV1 {
			t.Fatalf("accepted odd header %q: %+v", h, sig)
		}
		for _, v := range sig.V1 {
			if len(v) != v1Bytes {
				t.Fatalf("v1 of %d bytes", len(v))
			}
		}
		again, err := ParseSignatureHeader(sig.Format())
		if err != nil || again.Timestamp != sig.Timestamp || len(again.V1) != len(sig.V1) {
			t.Fatalf("Format round trip: %+v %v", again, err)
		}
		for i := range sig.V1 {
			if !bytes.Equal(again.V1[i], sig.V1[i]) {
				t.Fatalf("v1 %d changed", i)
			}
		}
	})
}

// FuzzHandler drives the whole receiver over loopback HTTP with a real
// bbolt file. mode 0 sends header as is; mode 1 signs body correctly now;
// mode 2 signs correctly and appends header to the signature. Invariants:
// exactly one receipt per request; 200 only for an event stripe-go also
// finds correctly signed,
// which is then stored; otherwise nothing applied.
func FuzzHandler(f *testing.F) {
	ts := testNow().Unix()
	f.Add(eventJSON("evt_fz_1", "cus_fz", ts, storage.APIVersion, "Fz"), "", uint8(1))
	f.Add(eventJSON("evt_fz_2", "cus_fz", ts, "2024-04-10", "Fz"), ",v0=00", uint8(2))
	f.Add([]byte(`{"id":"evt_fz_3","object":"event","type":"x.y","created":1,"data":{"object":{}}}`), "", uint8(1))
	f.Add([]byte(`[]`), "", uint8(1))
	f.Add([]byte(`{}`), "t=1,v1="+strings.Repeat("0", 64), uint8(0))
	f.Add([]byte("garbage"), "t=abc", uint8(0))
	e := newEnv(f)
	client := &http.Client{Timeout: 10 * time.Second}
	f.Fuzz(func(t *testing.T, body []byte, header string, mode uint8) {
		now := testNow()
		switch mode % 3 {
		case 1:
			header = "t=" + itoa(now.Unix()) + ",v1=" + hex.EncodeToString(Sign(testSecret, now.Unix(), body))
		case 2:
			header = "t=" + itoa(now.Unix()) + ",v1=" + hex.EncodeToString(Sign(testSecret, now.Unix(), body)) + header
		}
		if strings.IndexFunc(header, func(r rune) bool { return (r < ' ' && r != '\t') || r == 0x7f }) >= 0 {
			return // net/http's client refuses to send such a header value
		}
		beforeDel := lastSeq(t, e.store)
		beforeEv, _ := e.store.RecentEvents(0, 1)
		r := send(t, client, http.MethodPost, e.url, body, sigHdr(header))
		after := lastDelivery(t, e.store)
		if after.Seq != beforeDel+1 {
			t.Fatalf("receipt seq %d after %d", after.Seq, beforeDel)
		}
		if strings.Contains(after.Reason, "whsec_") {
			t.Fatalf("reason leaks a secret")
		}
		switch r.status {
		case 200:
			// Independent oracle: stripe-go must agree the signature is
			// genuine. It measures tolerance on the wall clock, not on the
			// receiver's (the test anchor), so it judges the signature only
			// and the tolerance is checked here against the receiver's clock.
			if err := webhook.ValidatePayloadIgnoringTolerance(body, header, testSecret); err != nil {
				t.Fatalf("accepted a request stripe-go refuses (%v): %q", err, header)
			}
			if age := now.Unix() - signedAt(header); age > int64(DefaultTolerance/time.Second) || -age > int64(DefaultTolerance/time.Second) {
				t.Fatalf("accepted a signature %d s from the receiver's clock: %q", age, header)
			}
			if after.EventID == "" || after.Verdict == storage.VerdictRejected {
				t.Fatalf("200 with receipt %+v", after)
			}
			if _, err := e.store.Event(after.EventID); err != nil {
				t.Fatalf("acknowledged event %s not stored: %v", after.EventID, err)
			}
		case 400, 413:
			if after.Verdict != storage.VerdictRejected || !knownCodes[strings.SplitN(after.Reason, ":", 2)[0]] {
				t.Fatalf("%d with receipt %+v", r.status, after)
			}
			afterEv, _ := e.store.RecentEvents(0, 1)
			if len(afterEv) != len(beforeEv) || (len(afterEv) == 1 && afterEv[0].Seq != beforeEv[0].Seq) {
				t.Fatalf("rejected request changed the event store")
			}
		default:
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	})
}

// signedAt is the first t= of a Stripe-Signature header (0 when none parses).
func signedAt(header string) int64 {
	for _, part := range strings.Split(header, ",") {
		if v, ok := strings.CutPrefix(part, "t="); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err == nil {
				return n
			}
		}
	}
	return 0
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func lastSeq(t testing.TB, st *storage.Store) uint64 {
	ds, err := st.Deliveries(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 {
		return 0
	}
	return ds[0].Seq
}
