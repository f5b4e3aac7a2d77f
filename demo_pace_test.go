package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/billing/sandbox/testclock"
)

// TestDemoPaceKeepsWorkWaiting: after ten minutes of the demo clock at its
// default pace (demoTick, demoStep) the seeded account still has disputes
// needing a response before their deadline, open invoices with a retry
// pending and failed payments within Dunning's 7-day window, so a
// newcomer reaching any view finds work waiting.
func TestDemoPaceKeepsWorkWaiting(t *testing.T) {
	anchor := testclock.Anchor()
	sb, err := sandbox.New(sandbox.Options{Seed: 1, Customers: 500, Now: func() time.Time { return anchor }, WebhookClock: func() time.Time { return anchor }})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	start := waiting(t, sb, base)
	for range int(10 * time.Minute / demoTick) {
		sb.Advance(demoStep)
	}
	after := waiting(t, sb, base)
	t.Logf("start %+v; after 10 minutes (%s of account time) %+v", start, time.Duration(int(10*time.Minute/demoTick))*demoStep, after)
	if after.disputes*2 < start.disputes || after.retries*2 < start.retries || after.failed*2 < start.failed {
		t.Fatalf("less than half of the work is left waiting after 10 minutes: start %+v, after %+v", start, after)
	}
}

// work counts what a newcomer finds waiting: disputes needing a response
// before their deadline, open invoices with a retry pending, failed
// payments in the last 7 days.
type work struct{ disputes, retries, failed int }

func waiting(t *testing.T, sb *sandbox.Server, base string) work {
	t.Helper()
	now := sb.Now().Unix()
	var w work
	list(t, base, sb.APIKey(), "/v1/disputes", func(o map[string]any) {
		st, _ := o["status"].(string)
		ed, _ := o["evidence_details"].(map[string]any)
		due, _ := ed["due_by"].(float64)
		if (st == "needs_response" || st == "warning_needs_response") && int64(due) > now {
			w.disputes++
		}
	})
	list(t, base, sb.APIKey(), "/v1/invoices", func(o map[string]any) {
		next, _ := o["next_payment_attempt"].(float64)
		if o["status"] == "open" && int64(next) > now {
			w.retries++
		}
	})
	list(t, base, sb.APIKey(), "/v1/charges", func(o map[string]any) {
		created, _ := o["created"].(float64)
		if o["status"] == "failed" && int64(created) > now-7*86400 {
			w.failed++
		}
	})
	return w
}

// list walks a sandbox list endpoint page by page (loopback HTTP).
func list(t *testing.T, base, key, path string, each func(map[string]any)) {
	t.Helper()
	after := ""
	for {
		url := base + path + "?limit=100"
		if after != "" {
			url += "&starting_after=" + after
		}
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Data    []map[string]any `json:"data"`
			HasMore bool             `json:"has_more"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, o := range page.Data {
			each(o)
		}
		if !page.HasMore || len(page.Data) == 0 {
			return
		}
		after, _ = page.Data[len(page.Data)-1]["id"].(string)
	}
}
