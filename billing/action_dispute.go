package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// EvidenceTextFields are the text fields of Stripe's dispute evidence.
var EvidenceTextFields = []string{"access_activity_log", "billing_address", "cancellation_policy_disclosure",
	"cancellation_rebuttal", "customer_email_address", "customer_name", "customer_purchase_ip",
	"duplicate_charge_explanation", "duplicate_charge_id", "product_description", "refund_policy_disclosure",
	"refund_refusal_explanation", "service_date", "shipping_address", "shipping_carrier", "shipping_date",
	"shipping_tracking_number", "uncategorized_text"}

// EvidenceFileFields are the evidence fields that hold an uploaded file.
var EvidenceFileFields = []string{"cancellation_policy", "customer_communication", "customer_signature",
	"duplicate_charge_documentation", "receipt", "refund_policy", "service_documentation",
	"shipping_documentation", "uncategorized_file"}

// Evidence limits: Stripe's text limit per field and a per-file cap under
// its combined 5 MB evidence limit.
const (
	MaxEvidenceText = 20000
	MaxEvidenceFile = 5 << 20
)

var evidenceFileTypes = map[string]bool{".pdf": true, ".png": true, ".jpg": true, ".jpeg": true}

// EvidenceRequest is what the dispute form collects.
type EvidenceRequest struct {
	Dispute string
	// Text maps EvidenceTextFields to their values (an empty value clears
	// the field).
	Text map[string]string
	// Files maps EvidenceFileFields to local paths, uploaded with purpose
	// dispute_evidence when the plan is executed.
	Files map[string]string
	// Submit sends the evidence to the bank (final, once); otherwise it is
	// saved as a draft (submit=false) that can still be edited.
	Submit bool
}

// PrepareEvidence validates dispute evidence against the dispute's fresh
// state: it refuses disputes already submitted or closed and those past
// their due_by. A submission is marked ConfirmTwice.
func (a *Actions) PrepareEvidence(ctx context.Context, op Operator, req EvidenceRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionDisputeEvidence, req.Dispute, &err)
	p, err := a.start(ctx, op, ActionDisputeEvidence, strings.TrimSpace(req.Dispute), "dispute")
	if err != nil || p.Earlier {
		return p, err
	}
	dp, err := a.fresh(ctx, p, storage.KindDispute, p.Target, "status", "evidence_details.submission_count", "evidence_details.due_by")
	if err != nil {
		return nil, err
	}
	status := str(dp, "status")
	count := num(dp, "evidence_details.submission_count")
	due := time.Unix(num(dp, "evidence_details.due_by"), 0)
	switch {
	case status != "needs_response" && status != "warning_needs_response":
		if count > 0 {
			return nil, fieldErrf("dispute", "evidence for %s was already submitted (status %s): it cannot be changed", p.Target, status)
		}
		return nil, fieldErrf("dispute", "dispute %s is %s: it no longer takes evidence", p.Target, status)
	case boolean(dp, "evidence_details.past_due") || (num(dp, "evidence_details.due_by") > 0 && a.stripeNow().After(due)):
		return nil, fieldErrf("dispute", "the response deadline passed on %s", due.UTC().Format(time.DateTime))
	}
	params := &stripe.DisputeParams{Submit: stripe.Bool(req.Submit)}
	var lines []Line
	for _, k := range sortedFields(req.Text) {
		v := req.Text[k]
		if !contains(EvidenceTextFields, k) {
			return nil, fieldErrf(k, "Stripe has no evidence text field %q", k)
		}
		if err := CheckText(k, "evidence "+k, v, true); err != nil {
			return nil, err
		}
		if len(v) > MaxEvidenceText {
			return nil, fieldErrf(k, "at most %d characters (%d typed)", MaxEvidenceText, len(v))
		}
		params.AddExtra("evidence["+k+"]", v)
		lines = append(lines, Line{"evidence " + k, clip(v, 70)})
	}
	var uploads []Upload
	for _, k := range sortedFields(req.Files) {
		path := strings.TrimSpace(req.Files[k])
		if !contains(EvidenceFileFields, k) {
			return nil, fieldErrf(k, "Stripe has no evidence file field %q", k)
		}
		up, err := checkEvidenceFile(k, path)
		if err != nil {
			return nil, err
		}
		uploads = append(uploads, up)
		lines = append(lines, Line{"evidence " + k, fmt.Sprintf("file %s (%s), uploaded on confirm", up.Name, sizeWords(up.Size))})
	}
	if len(lines) == 0 && !req.Submit {
		return nil, fieldErr("evidence", "nothing to save: fill in a field or attach a file")
	}
	params.AddMetadata(IntentMetadataKey, p.Key)
	p.Call = Call{Method: "POST", Path: stripe.FormatURLPath("/v1/disputes/%s", p.Target), Form: formOf(params), Uploads: uploads}
	p.Amount, p.Currency = num(dp, "amount"), str(dp, "currency")
	p.ConfirmTwice = req.Submit
	mode := "Save as draft (submit=false): it can still be edited until " + due.UTC().Format(time.DateTime) + " UTC"
	if req.Submit {
		mode = "SUBMIT to the card network: final, Stripe accepts one submission"
	}
	head := []Line{
		{"Dispute", p.Target + " on charge " + str(dp, "charge")},
		a.customerLine(a.disputeCustomer(dp), "", ""),
		{"Disputed amount", money.Format(p.Amount, p.Currency)},
		{"Reason", str(dp, "reason")},
		{"Status", status},
		{"Due by", due.UTC().Format(time.DateTime) + " UTC (" + untilWords(due.Sub(a.stripeNow())) + ")"},
		{"Action", mode},
	}
	if req.Submit {
		sent := submittedEvidence(dp, req)
		head = append(head, Line{"Submits", orDash(strings.Join(sent, ", "))})
		if len(sent) == 0 {
			p.Warnings = append(p.Warnings, "no evidence saved on Stripe or typed here: the card network gets an empty response")
		}
	}
	p.Lines = append(append(head, lines...), Line{"Idempotency key", p.Key})
	return a.finish(p)
}

// submittedEvidence names the evidence fields a submission sends: those the
// dispute already holds on Stripe (its evidence object, a file field as
// "receipt (file_…)") with this request's changes over them (a field typed
// empty is cleared, a file attached is named by its file name), sorted.
func submittedEvidence(dp map[string]any, req EvidenceRequest) []string {
	held := map[string]string{}
	ev, _ := dp["evidence"].(map[string]any)
	for k, v := range ev {
		switch t := v.(type) {
		case string:
			if strings.TrimSpace(t) == "" {
				continue
			}
			held[k] = k
			if contains(EvidenceFileFields, k) {
				held[k] = k + " (" + t + ")"
			}
		case map[string]any: // an expanded file object
			held[k] = k + " (" + str(t, "id") + ")"
		}
	}
	for k, v := range req.Text {
		if strings.TrimSpace(v) == "" {
			delete(held, k)
		} else {
			held[k] = k
		}
	}
	for k, path := range req.Files {
		held[k] = k + " (" + filepath.Base(strings.TrimSpace(path)) + ")"
	}
	out := make([]string, 0, len(held))
	for _, v := range held {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func checkEvidenceFile(field, path string) (Upload, error) {
	if path == "" {
		return Upload{}, fieldErr(field, "enter the path of the file to upload")
	}
	if err := CheckEvidenceFile(path); err != nil {
		return Upload{}, fieldErr(field, err.Error())
	}
	fi, err := os.Stat(path)
	if err != nil {
		return Upload{}, fieldErrf(field, "cannot read %s: %v", filepath.Base(path), errWords(err))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return Upload{Field: field, Path: abs, Name: filepath.Base(path), Size: fi.Size()}, nil
}

// evidenceContent maps an evidence file's extension to the content type its
// first bytes must show (net/http's sniffing, the WHATWG algorithm): a text
// file named .pdf is refused here, not by Stripe after the upload.
var evidenceContent = map[string]string{".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

// CheckEvidenceFile checks a dispute evidence file before it is uploaded
// (POST https://files.stripe.com/v1/files, purpose dispute_evidence): a
// readable regular file, not empty, under MaxEvidenceFile bytes, a PDF,
// PNG or JPEG by its extension and by its content. The error says why, in
// the words a form shows.
func CheckEvidenceFile(path string) error {
	name := filepath.Base(path)
	want, ok := evidenceContent[strings.ToLower(filepath.Ext(path))]
	if !evidenceFileTypes[strings.ToLower(filepath.Ext(path))] || !ok {
		return fmt.Errorf("the file %s is not a PDF, PNG or JPEG: Stripe takes only those as evidence", name)
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return fmt.Errorf("cannot read %s: %s", name, errWords(err))
	case !fi.Mode().IsRegular():
		return fmt.Errorf("the file %s is not a regular file", name)
	case fi.Size() == 0:
		return fmt.Errorf("the file %s is empty", name)
	case fi.Size() > MaxEvidenceFile:
		return fmt.Errorf("the file %s is %s: evidence files must stay under %s", name, sizeWords(fi.Size()), sizeWords(MaxEvidenceFile))
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %s", name, errWords(err))
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("cannot read %s: %s", name, errWords(err))
	}
	if got := http.DetectContentType(head[:n]); !strings.HasPrefix(got, want) {
		kind, _, _ := strings.Cut(got, ";")
		return fmt.Errorf("the file %s is named %s but holds %s, not %s", name, strings.ToLower(filepath.Ext(path)), kind, want)
	}
	return nil
}

func errWords(err error) string {
	switch {
	case os.IsNotExist(err):
		return "no such file"
	case os.IsPermission(err):
		return "permission denied"
	}
	return err.Error()
}

// uploadFiles sends a call's pending evidence files to Stripe (purpose
// dispute_evidence, key <intent key>-<field>, so a retry replays the same
// file) and records their ids on the intent before the dispute update.
func (a *Actions) uploadFiles(ctx context.Context, in *storage.Intent, call *Call) error {
	changed := false
	for i := range call.Uploads {
		up := &call.Uploads[i]
		if up.FileID != "" {
			continue
		}
		f, err := os.Open(up.Path)
		if err != nil {
			return fieldErrf(up.Field, "cannot read %s: %s", up.Name, errWords(err))
		}
		params := &stripe.FileParams{Purpose: stripe.String(string(stripe.FilePurposeDisputeEvidence)),
			FileReader: f, Filename: stripe.String(up.Name)}
		params.Context = ctx
		params.SetIdempotencyKey(in.Key + "-" + up.Field)
		file, err := a.c.api.Files.New(params)
		f.Close()
		if err != nil {
			return wrapCall("POST", "/v1/files", err)
		}
		up.FileID = file.ID
		call.Form = append(call.Form, Param{"evidence[" + up.Field + "]", file.ID})
		changed = true
	}
	if !changed {
		return nil
	}
	params, err := json.Marshal(call)
	if err != nil {
		return fmt.Errorf("encode call: %w", err)
	}
	in.Params = params
	if err := a.store.UpdateIntent(*in); err != nil {
		return fmt.Errorf("record uploaded files: %w", err)
	}
	return nil
}

func sortedFields(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(cleared)"
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func sizeWords(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func untilWords(d time.Duration) string {
	switch {
	case d < 0:
		return "past"
	case d < time.Hour:
		return fmt.Sprintf("in %dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("in %dh", int(d.Hours()))
	}
	return fmt.Sprintf("in %dd", int(d.Hours()/24))
}
