package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage/safetext"
)

// PortalLink prepares a billing-portal session for a customer, prints its
// confirmation lines and, with yes, creates it and prints its URL on a
// line of its own ("url https://…") for a script to pick up.
func PortalLink(ctx context.Context, acts *billing.Actions, op billing.Operator, req billing.PortalRequest, c Confirm, out io.Writer) error {
	p, err := acts.PreparePortalLink(ctx, op, req)
	if err != nil {
		return earlierOr(err, out)
	}
	r, err := execute(ctx, acts, p, c, out)
	if err != nil {
		return err
	}
	url := billing.PortalURL(r.Raw)
	if url == "" {
		return fmt.Errorf("portal session %s: Stripe's answer has no https url", safetext.Line(r.ResultID))
	}
	_, err = fmt.Fprintf(out, "sent: %s %s -> %s\nidempotency key %s\nrequest id %s\nurl %s\n",
		p.Action, safetext.Line(p.Target), dash(safetext.Line(r.ResultID)), r.Key, dash(r.RequestID), url)
	return err
}
