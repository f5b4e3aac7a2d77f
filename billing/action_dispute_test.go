package billing

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

func (e *actionEnv) openDispute() string {
	return e.find(storage.KindDispute, "needing a response", func(m map[string]any) bool {
		return (str(m, "status") == "needs_response" || str(m, "status") == "warning_needs_response") &&
			!boolean(m, "evidence_details.past_due") && num(m, "evidence_details.submission_count") == 0
	})
}

func writeFile(t *testing.T, name string, size int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	body := []byte("%PDF-1.4\n" + strings.Repeat("x", size))
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestActionDisputeEvidenceEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true, customers: 150})
	ctx := context.Background()
	dp := e.openDispute()
	receipt := writeFile(t, "receipt.pdf", 2048)

	// Draft: text and a file, submit=false.
	p := mustPlan(t)(e.acts.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: dp,
		Text:  map[string]string{"product_description": "Annual plan, used daily", "customer_email_address": "ada@example.com"},
		Files: map[string]string{"receipt": receipt}}))
	if p.ConfirmTwice || p.Call.Get("submit") != "false" || len(p.Call.Uploads) != 1 || p.Call.Uploads[0].Size != int64(len("%PDF-1.4\n")+2048) {
		t.Fatalf("draft plan %s %+v", p.Call, p.Call.Uploads)
	}
	if !strings.Contains(lineValue(p, "Action"), "draft") || !strings.Contains(lineValue(p, "evidence receipt"), "receipt.pdf") {
		t.Fatalf("lines %+v", p.Lines)
	}
	r := mustExec(t, e.acts, p)
	got := e.obj(storage.KindDispute, dp)
	fileID := str(got, "evidence.receipt")
	if !strings.HasPrefix(fileID, "file_") || str(got, "evidence.product_description") != "Annual plan, used daily" ||
		num(got, "evidence_details.submission_count") != 0 || !strings.Contains(str(got, "status"), "needs_response") {
		t.Fatalf("sandbox dispute after the draft: %v / %v", lookupPath(got, "evidence"), lookupPath(got, "evidence_details"))
	}
	raw, err := e.acts.get(ctx, "/v1/files/"+fileID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if str(f, "purpose") != "dispute_evidence" || str(f, "filename") != "receipt.pdf" {
		t.Fatalf("uploaded file %v", f)
	}
	e.waitCache(storage.KindDispute, dp, "draft evidence", func(m map[string]any) bool { return str(m, "evidence.receipt") == fileID })
	e.checkAudit(p, r, OutcomeSucceeded)
	in, _ := e.store.Intent(p.Key)
	if !strings.Contains(string(in.Params), fileID) {
		t.Fatalf("the intent does not record the uploaded file id: %s", in.Params)
	}
	// A second Enter neither uploads nor updates again.
	e.reqs.Reset()
	if r2 := mustExec(t, e.acts, p); !r2.Replayed || len(e.reqs.All()) != 0 {
		t.Fatalf("second execute %+v %v", r2, e.reqs.All())
	}

	// Submit, after the second confirmation.
	s := mustPlan(t)(e.acts.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: dp,
		Text: map[string]string{"uncategorized_text": "See the attached receipt."}, Submit: true}))
	if !s.ConfirmTwice || s.Call.Get("submit") != "true" || !strings.Contains(lineValue(s, "Action"), "SUBMIT") {
		t.Fatalf("submit plan %s", s.Call)
	}
	// The submission lists what it sends: the draft saved on Stripe and
	// what is typed now (before, only the fields typed now).
	for _, want := range []string{"customer_email_address", "product_description", "receipt (" + fileID + ")", "uncategorized_text"} {
		if !strings.Contains(lineValue(s, "Submits"), want) {
			t.Fatalf("Submits %q lacks %q", lineValue(s, "Submits"), want)
		}
	}
	r = mustExec(t, e.acts, s)
	got = e.obj(storage.KindDispute, dp)
	if num(got, "evidence_details.submission_count") != 1 || !strings.Contains(str(got, "status"), "under_review") {
		t.Fatalf("after submit %v %s", lookupPath(got, "evidence_details"), str(got, "status"))
	}
	e.waitCache(storage.KindDispute, dp, "submitted", func(m map[string]any) bool { return strings.Contains(str(m, "status"), "under_review") })
	e.checkAudit(s, r, OutcomeSucceeded)

	// Blocked after submission, before anything is sent.
	e.reqs.Reset()
	fe := wantField(t, errOf(e.acts.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: dp, Text: map[string]string{"uncategorized_text": "more"}})), "dispute")
	if !strings.Contains(fe.Message, "already submitted") || e.reqs.Count("POST") != 0 {
		t.Fatalf("after submission: %q %v", fe.Message, e.reqs.All())
	}
	// Stripe's own refusal (a plan prepared before the submission) is
	// explained in words.
	_, _, err = e.acts.do(ctx, Call{Method: "POST", Path: "/v1/disputes/" + dp, Form: []Param{{"evidence[uncategorized_text]", "late"}}}, "pd_"+randHex(12))
	if msg := ExplainAction(err); !strings.Contains(msg, "already submitted") {
		t.Fatalf("ExplainAction(%v) = %q", err, msg)
	}
}

func TestActionDisputeEvidenceValidation(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	dp := e.openDispute()
	due := time.Unix(num(e.obj(storage.KindDispute, dp), "evidence_details.due_by"), 0)
	req := func(text, files map[string]string) EvidenceRequest {
		return EvidenceRequest{Dispute: dp, Text: text, Files: files}
	}
	wantField(t, errOf(e.acts.PrepareEvidence(ctx, support, req(map[string]string{"favourite_colour": "blue"}, nil))), "favourite_colour")
	wantField(t, errOf(e.acts.PrepareEvidence(ctx, support, req(map[string]string{"uncategorized_text": strings.Repeat("a", MaxEvidenceText+1)}, nil))), "uncategorized_text")
	wantField(t, errOf(e.acts.PrepareEvidence(ctx, support, req(nil, map[string]string{"receipt": filepath.Join(t.TempDir(), "missing.pdf")}))), "receipt")
	wantField(t, errOf(e.acts.PrepareEvidence(ctx, support, req(nil, map[string]string{"receipt": writeFile(t, "notes.txt", 10)}))), "receipt")
	wantField(t, errOf(e.acts.PrepareEvidence(ctx, support, req(nil, map[string]string{"uncategorized_text": writeFile(t, "a.pdf", 10)}))), "uncategorized_text")
	wantField(t, errOf(e.acts.PrepareEvidence(ctx, support, req(nil, map[string]string{"receipt": writeFile(t, "big.pdf", MaxEvidenceFile)}))), "receipt")
	wantField(t, errOf(e.acts.PrepareEvidence(ctx, support, req(nil, nil))), "evidence")
	// Past due_by: refused on the operator's clock even while Stripe still
	// shows the dispute open.
	late := NewActions(e.client, e.store, Clocks{Wall: func() time.Time { return due.Add(time.Hour) }})
	fe := wantField(t, errOf(late.PrepareEvidence(ctx, support, req(map[string]string{"uncategorized_text": "x"}, nil))), "dispute")
	if !strings.Contains(fe.Message, "deadline passed") {
		t.Fatalf("past due message %q", fe.Message)
	}
	if _, err := e.acts.PrepareEvidence(ctx, viewer, req(map[string]string{"uncategorized_text": "x"}, nil)); err == nil {
		t.Fatal("a viewer may not answer disputes")
	}
	if e.reqs.Count("POST") != 0 {
		t.Fatal("validation sent a POST")
	}
}

// An upload whose answer is lost is replayed with its derived key: one file.
func TestActionDisputeUploadDroppedOneFile(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	dp := e.openDispute()
	p := mustPlan(t)(e.acts.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: dp,
		Files: map[string]string{"customer_communication": writeFile(t, "emails.pdf", 100)}}))
	e.drop.Arm("POST /v1/files", 1)
	r, err := e.acts.Execute(ctx, p)
	if !IsOffline(err) || r.State != storage.IntentPending {
		t.Fatalf("dropped upload: %+v %v", r, err)
	}
	if n := e.reqs.Count("POST /v1/disputes"); n != 0 {
		t.Fatal("the dispute was updated without its file")
	}
	mustExec(t, e.acts, p)
	raw, err := e.acts.get(ctx, "/v1/files", []Param{{"purpose", "dispute_evidence"}, {"limit", "100"}})
	if err != nil {
		t.Fatal(err)
	}
	var files struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &files); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files.Data {
		if str(f, "filename") == "emails.pdf" {
			n++
		}
	}
	if n != 1 || e.reqs.Count("POST /v1/files") != 2 {
		t.Fatalf("%d files named emails.pdf after %d uploads, want 1", n, e.reqs.Count("POST /v1/files"))
	}
	if !strings.HasPrefix(str(e.obj(storage.KindDispute, dp), "evidence.customer_communication"), "file_") {
		t.Fatal("evidence does not name the file")
	}
}

// TestEvidenceFileGoesWhereTheAPIGoes: with only an API base configured
// (the demo, stripe-mock, STRIPE_API_BASE), evidence files are uploaded to
// that base, not to Stripe's files host, and the evidence is sent.
func TestEvidenceFileGoesWhereTheAPIGoes(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	c, err := New(Config{SecretKey: testKey, APIBase: e.base, RateLimit: 1e6, MaxNetworkRetries: -1,
		Logger: e.client.log})
	if err != nil {
		t.Fatal(err)
	}
	a := NewActions(c, e.store, Clocks{})
	dp := e.openDispute()
	p := mustPlan(t)(a.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: dp,
		Files: map[string]string{"receipt": writeFile(t, "receipt.pdf", 512)}}))
	e.reqs.Reset()
	mustExec(t, a, p)
	if e.reqs.Count("POST /v1/files") != 1 || !strings.HasPrefix(str(e.obj(storage.KindDispute, dp), "evidence.receipt"), "file_") {
		t.Fatalf("upload did not reach the sandbox: %v", e.reqs.All())
	}
}
