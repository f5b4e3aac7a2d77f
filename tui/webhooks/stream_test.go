package webhooks_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
	"github.com/paydesk/paydesk/tui/webhooks"
	"github.com/paydesk/paydesk/webhookd"
)

// Test signing secrets: syntactically real, used nowhere else.
const (
	streamSecret = "whsec_test_inspector_7c1e5b2d9a4f6e8c0b3d"
	forgerSecret = "whsec_test_forger_0000000000000000000000"
)

func post(t *testing.T, url string, body []byte, secret string, ts time.Time) int {
	t.Helper()
	sig := webhookd.Sign(secret, ts.Unix(), body)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhookd.SignatureHeader, "t="+strconv.FormatInt(ts.Unix(), 10)+",v1="+fmt.Sprintf("%x", sig))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestStreamFromReceiver POSTs a stream of signed events to a real
// webhookd.Server on 127.0.0.1:0, plus forged and stale ones, forwards the
// bus to the page as the root does, and checks that the tail shows every
// request, newest first, in the order sent, with the right verdicts.
func TestStreamFromReceiver(t *testing.T) {
	store, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), webhookd.StoreOptions(storage.Options{Now: testclock.Running()}))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv, err := webhookd.New(webhookd.Config{Now: streamNow, Secrets: []string{streamSecret}, Logger: slog.New(slog.DiscardHandler)}, store)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	url := "http://" + ln.Addr().String() + webhookd.DefaultPath

	c := pagetest.Session(store, streamNow())
	c.Clocks.Account = streamNow
	c.Receiving = true
	h := pagetest.New(webhooks.New(c))
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(pagetest.Width, pagetest.Height))
	sub := store.Subscribe(1024)
	go func() {
		for {
			n, ok := sub.Next()
			if !ok {
				return
			}
			tm.Send(common.LiveMsg{Change: n}) // as the root broadcasts it
		}
	}()
	defer sub.Close()
	waitFor(t, tm, "no deliveries yet")

	type sent struct {
		eventID string
		verdict storage.Verdict
		reason  string
	}
	var want []sent
	base := streamNow().Unix()
	for i := range 12 {
		id := fmt.Sprintf("evt_stream_%02d", i)
		inv := object("in_A", map[string]any{"attempt_count": i})
		body := event(id, "invoice.updated", time.Unix(base+int64(i), 0), inv, storage.APIVersion)
		switch {
		case i == 4: // forged: signed with a secret the receiver does not know
			if code := post(t, url, body, forgerSecret, streamNow()); code != http.StatusBadRequest {
				t.Fatalf("forged: %d", code)
			}
			want = append(want, sent{"", storage.VerdictRejected, "bad_signature"})
		case i == 7: // replayed by an attacker 10 minutes later
			if code := post(t, url, body, streamSecret, streamNow().Add(-10*time.Minute)); code != http.StatusBadRequest {
				t.Fatalf("stale: %d", code)
			}
			want = append(want, sent{id, storage.VerdictRejected, "stale_timestamp"})
		case i == 9: // Stripe retries an event already applied
			prev := fmt.Sprintf("evt_stream_%02d", 8)
			body = event(prev, "invoice.updated", time.Unix(base+8, 0), object("in_A", map[string]any{"attempt_count": 8}), storage.APIVersion)
			if code := post(t, url, body, streamSecret, streamNow()); code != http.StatusOK {
				t.Fatalf("duplicate: %d", code)
			}
			want = append(want, sent{prev, storage.VerdictDuplicate, ""})
		default:
			if code := post(t, url, body, streamSecret, streamNow()); code != http.StatusOK {
				t.Fatalf("post %d: %d", i, code)
			}
			want = append(want, sent{id, storage.VerdictApplied, ""})
		}
	}
	waitFor(t, tm, "12 shown")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	rows := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*pagetest.Harness).Top().(*webhooks.Page).Rows()
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		d := rows[len(rows)-1-i] // the tail is newest first
		if d.EventID != w.eventID || d.Verdict != w.verdict || !bytes.HasPrefix([]byte(d.Reason), []byte(w.reason)) {
			t.Errorf("request %d: row %+v, want %+v", i, d, w)
		}
		if i > 0 && d.Seq <= rows[len(rows)-i].Seq {
			t.Errorf("request %d: seq %d not after %d", i, d.Seq, rows[len(rows)-i].Seq)
		}
	}
}

// streamNow is the clock of the stream test, the receiver's included: the
// suite's anchor, moving with elapsed time so the tolerance behaves.
var streamNow = testclock.Running()
