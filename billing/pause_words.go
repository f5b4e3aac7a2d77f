package billing

import "time"

// PauseWords says what Stripe does with a subscription's invoices while its
// payment collection is paused with behavior (pause_collection.behavior,
// https://docs.stripe.com/billing/subscriptions/pause-payment):
// keep_as_draft leaves them drafts, mark_uncollectible finalizes and marks
// them uncollectible, void voids them; none is charged. An unknown
// behavior is named as it is.
func PauseWords(behavior string) string {
	switch behavior {
	case "keep_as_draft":
		return "collection paused: invoices stay drafts, nothing is charged"
	case "mark_uncollectible":
		return "collection paused: invoices are marked uncollectible, nothing is charged"
	case "void":
		return "collection paused: invoices are voided, nothing is charged"
	}
	return "collection paused (" + behavior + "): nothing is charged"
}

// pausedWarning warns a plan or trial change on a subscription whose
// collection is paused that what it bills is not charged: the invoice it
// makes at once when makesInvoice, else the next ones; until
// pause_collection.resumes_at when set. nil when collection runs.
func pausedWarning(sub map[string]any, makesInvoice bool) []string {
	b := str(sub, "pause_collection.behavior")
	if b == "" {
		return nil
	}
	which := " (the invoices it leads to)"
	if makesInvoice {
		which = " (the invoice this change makes too)"
	}
	if r := num(sub, "pause_collection.resumes_at"); r > 0 {
		which += "; collection resumes on " + time.Unix(r, 0).UTC().Format(time.DateOnly) + ", invoices after that are charged"
	}
	return []string{PauseWords(b) + which}
}
