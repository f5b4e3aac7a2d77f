package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
)

// evidenceForm saves dispute evidence as a draft or submits it.
type evidenceForm struct {
	id, charge, reason, status, currency string
	amount                               int64
	dueBy                                int64
	submissions                          int64

	// was holds the evidence already on the dispute (cached); only the
	// fields that differ from it are sent.
	was   map[string]string
	text  map[string]*string
	files map[string]*string
	// attached names the file already on Stripe per file field (its
	// file_… id), so the form says so instead of an empty field.
	attached map[string]string
	mode     string // "draft" or "submit"
}

type cachedDispute struct {
	Charge          string         `json:"charge"`
	Reason          string         `json:"reason"`
	Status          string         `json:"status"`
	Amount          int64          `json:"amount"`
	Currency        string         `json:"currency"`
	Evidence        map[string]any `json:"evidence"`
	EvidenceDetails struct {
		DueBy           int64 `json:"due_by"`
		SubmissionCount int64 `json:"submission_count"`
		PastDue         bool  `json:"past_due"`
	} `json:"evidence_details"`
}

// newEvidenceForm refuses disputes that no longer take evidence. It
// prefills the customer's name and email from the cache where the
// dispute's evidence has none (what Stripe holds is never replaced).
func newEvidenceForm(c *common.Common, env storage.Envelope) (*evidenceForm, error) {
	now := c.Now()
	var d cachedDispute
	if err := json.Unmarshal(env.Raw, &d); err != nil {
		return nil, fmt.Errorf("cached dispute %s: %w", env.ID, err)
	}
	switch {
	case d.EvidenceDetails.SubmissionCount > 0:
		return nil, fmt.Errorf("evidence for %s was already submitted (%s): it cannot be changed", env.ID, d.Status)
	case d.Status != "needs_response" && d.Status != "warning_needs_response":
		return nil, fmt.Errorf("dispute %s is %s: it no longer takes evidence", env.ID, d.Status)
	case d.EvidenceDetails.PastDue || (d.EvidenceDetails.DueBy > 0 && now.After(time.Unix(d.EvidenceDetails.DueBy, 0))):
		return nil, fmt.Errorf("the response deadline of %s has passed", env.ID)
	}
	f := &evidenceForm{id: env.ID, charge: d.Charge, reason: d.Reason, status: d.Status, currency: d.Currency,
		amount: d.Amount, dueBy: d.EvidenceDetails.DueBy, submissions: d.EvidenceDetails.SubmissionCount,
		was: map[string]string{}, text: map[string]*string{}, files: map[string]*string{}, mode: "draft"}
	for _, k := range billing.EvidenceTextFields {
		v, _ := d.Evidence[k].(string)
		// Shown and compared as it is drawn: a field left as it was is
		// not sent, so Stripe keeps its own text.
		v = safetext.Text(v)
		f.was[k] = v
		f.text[k] = &v
	}
	f.attached = map[string]string{}
	for _, k := range billing.EvidenceFileFields {
		f.files[k] = new(string)
		switch v := d.Evidence[k].(type) {
		case string:
			f.attached[k] = safetext.Line(v)
		case map[string]any: // an expanded file object
			id, _ := v["id"].(string)
			f.attached[k] = safetext.Line(id)
		}
	}
	f.prefillCustomer(c.Store, env.Customer)
	return f, nil
}

// prefillCustomer fills customer_name and customer_email_address from the
// cached customer of the dispute (found through its charge when the
// dispute's envelope has none), only where those fields are empty.
func (f *evidenceForm) prefillCustomer(store *storage.Store, customer string) {
	if customer == "" && f.charge != "" {
		if ch, err := store.Get(storage.KindCharge, f.charge); err == nil {
			customer = ch.Customer
		}
	}
	if customer == "" {
		return
	}
	cu, err := store.Get(storage.KindCustomer, customer)
	if err != nil {
		return // not cached: nothing to prefill, the operator types it
	}
	for field, v := range map[string]string{"customer_name": safetext.Line(cu.Name), "customer_email_address": safetext.Line(cu.Email)} {
		if p := f.text[field]; p != nil && *p == "" && f.was[field] == "" {
			*p = v
		}
	}
}

func (f *evidenceForm) heading() string { return "Dispute evidence for " + f.id }
func (f *evidenceForm) target() string  { return f.id }

func (f *evidenceForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *evidenceForm) info(c *common.Common) []string {
	due := "no deadline known"
	if f.dueBy > 0 {
		due = "due by " + format.Stamp(f.dueBy, c.Loc) + " (" + format.Relative(time.Unix(f.dueBy, 0), c.Now()) + ")"
	}
	return []string{
		fmt.Sprintf("%s on charge %s · %s · %s · %s", money.Format(f.amount, f.currency), orDash(f.charge), f.reason, f.status, due),
		"Save as a draft as often as needed; submitting is final (Stripe takes one submission).",
	}
}

func (f *evidenceForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	var out []huh.Field
	for _, k := range billing.EvidenceTextFields {
		if evidenceProse[k] {
			out = append(out, multiLine(k, words(k), f.text[k], billing.MaxEvidenceText, describe(c, "", k, fe)))
			continue
		}
		out = append(out, huh.NewInput().Key(k).Title(words(k)).Value(f.text[k]).CharLimit(billing.MaxEvidenceText).
			Description(describe(c, "", k, fe)))
	}
	for _, k := range billing.EvidenceFileFields {
		title := words(k) + " (file path: PDF, PNG or JPEG)"
		if id := f.attached[k]; id != "" {
			title = words(k) + " (attached on Stripe: " + id + "; a path replaces it)"
		}
		out = append(out, checked(c, huh.NewInput().Key(k).Title(title).Value(f.files[k]),
			"", k, fe, checkFile))
	}
	out = append(out, huh.NewSelect[string]().Key("submit").Title("Then").Options(
		huh.NewOption("save as draft (can still be edited)", "draft"),
		huh.NewOption("SUBMIT to the card network (final: you type submit to confirm)", "submit")).
		Value(&f.mode). // after Options: huh scrolls a select to its value when Options comes last, hiding the options above it
		Description(describe(c, "", "evidence", fe)))
	return out
}

// evidenceProse are the evidence text fields written as prose (logs,
// addresses, explanations, policies): multi-line fields. Names, emails,
// ids, dates and carriers are one line.
var evidenceProse = map[string]bool{"access_activity_log": true, "billing_address": true,
	"cancellation_policy_disclosure": true, "cancellation_rebuttal": true, "duplicate_charge_explanation": true,
	"product_description": true, "refund_policy_disclosure": true, "refund_refusal_explanation": true,
	"shipping_address": true, "uncategorized_text": true}

func words(field string) string {
	s := strings.ReplaceAll(field, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// checkFile validates an evidence path on the form, by billing's rule
// (billing.CheckEvidenceFile); an empty path is no file.
func checkFile(path string) error {
	path = strings.TrimSpace(path)
	if path == "" {
		return nil
	}
	return billing.CheckEvidenceFile(path)
}

func (f *evidenceForm) request() billing.EvidenceRequest {
	req := billing.EvidenceRequest{Dispute: f.id, Text: map[string]string{}, Files: map[string]string{}, Submit: f.mode == "submit"}
	for k, v := range f.text {
		if *v != f.was[k] {
			req.Text[k] = *v
		}
	}
	for k, v := range f.files {
		if p := strings.TrimSpace(*v); p != "" {
			req.Files[k] = p
		}
	}
	return req
}

func (f *evidenceForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareEvidence(ctx, c.Operator, f.request())
	return p, nil, err
}
