package resources

import (
	"strings"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
)

// NewDispute is the dispute detail page: reason, amount, the evidence
// deadline counted down on the session clock, and the evidence status.
func NewDispute(c *common.Common, id string) *Detail {
	return newDetail(c, storage.KindDispute, id, "Dispute", disputeBody)
}

func disputeBody(d *Detail, b *sections) {
	e := safeEnv(d.env)
	dp := decode[disputeJSON](e.Raw)
	refundable := "no"
	if dp.IsChargeRefundable {
		refundable = "yes"
	}
	b.heading("Dispute " + e.ID)
	b.fieldLinks = map[string]link{"Customer": {kind: storage.KindCustomer, id: e.Customer}, "Charge": {kind: storage.KindCharge, id: string(dp.Charge)}}
	b.fields(
		"Status", b.status(e.Status),
		"Reason", orDash(dp.Reason),
		"Amount", b.money(dp.Amount, dp.Currency),
		"Customer", customerLabel(d, e.Customer),
		"Charge", string(dp.Charge),
		"Payment", string(dp.PaymentIntent),
		"Network code", dp.NetworkReasonCode,
		"Refundable", refundable,
		"Opened", b.when(e.Created),
		"Cached", cacheLine(d),
	)

	b.heading("Evidence")
	ev := dp.EvidenceDetails
	has := "none yet"
	switch {
	case ev.SubmissionCount > 0:
		has = "submitted to the card network"
	case ev.HasEvidence:
		has = "drafted (not submitted)"
	}
	filled := dp.evidenceFields()
	b.fields(
		"Due by", dueLine(d, e.Status, ev.DueBy, ev.PastDue),
		"Evidence", has,
		"Submissions", itoa(ev.SubmissionCount),
		"Fields", strings.Join(filled, ", "),
	)
}

// dueLine counts down to the evidence deadline with the session clock.
func dueLine(d *Detail, status string, dueBy int64, pastDue bool) string {
	if dueBy == 0 {
		return "-"
	}
	s := d.c.Styles
	at := time.Unix(dueBy, 0)
	now := d.c.Now()
	line := format.Stamp(dueBy, d.c.Loc) + "  "
	words := dueWords(status, dueBy, pastDue, now)
	switch {
	case !needsResponse(status):
		return line + s.Muted.Render("(response closed)")
	case pastDue || !at.After(now):
		return line + s.Bad.Render(words)
	case at.Sub(now) < 72*time.Hour:
		return line + s.Warn.Render(words)
	}
	return line + s.Info.Render(words)
}

// dueWords is the one wording of a dispute's evidence deadline from now,
// on its page and in the Disputes list alike: "11d left", "overdue 2d",
// "-" once no response is expected (or no deadline is known).
func dueWords(status string, dueBy int64, pastDue bool, now time.Time) string {
	if dueBy == 0 || !needsResponse(status) {
		return "-"
	}
	at := time.Unix(dueBy, 0)
	if pastDue || !at.After(now) {
		return "overdue " + format.Span(now.Sub(at))
	}
	return format.Span(at.Sub(now)) + " left"
}
