package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage/safetext"
)

// CustomerEdit prepares an edit of a customer's fields (only those that
// change are sent), prints its confirmation lines and, with yes, sends
// it. Without yes it returns ErrNotConfirmed after printing.
func CustomerEdit(ctx context.Context, acts *billing.Actions, op billing.Operator, req billing.CustomerEditRequest, yes bool, out io.Writer) error {
	p, err := acts.PrepareCustomerEdit(ctx, op, req)
	if err != nil {
		return earlierOr(err, out)
	}
	return send(ctx, acts, p, yes, out)
}

// PortalLink prepares a billing-portal session for a customer, prints its
// confirmation lines and, with yes, creates it and prints its URL on a
// line of its own ("url https://…") for a script to pick up.
func PortalLink(ctx context.Context, acts *billing.Actions, op billing.Operator, req billing.PortalRequest, yes bool, out io.Writer) error {
	p, err := acts.PreparePortalLink(ctx, op, req)
	if err != nil {
		return earlierOr(err, out)
	}
	if err := PrintPlan(out, p); err != nil {
		return err
	}
	if !yes {
		return ErrNotConfirmed
	}
	r, err := acts.Execute(ctx, p)
	if err != nil {
		if r.Key != "" {
			fmt.Fprintf(out, "state %s, key %s\n", r.State, r.Key)
		}
		return explained(err)
	}
	url := billing.PortalURL(r.Raw)
	if url == "" {
		return fmt.Errorf("portal session %s: Stripe's answer has no https url", safetext.Line(r.ResultID))
	}
	_, err = fmt.Fprintf(out, "sent: %s %s -> %s\nidempotency key %s\nrequest id %s\nurl %s\n",
		p.Action, safetext.Line(p.Target), dash(safetext.Line(r.ResultID)), r.Key, dash(r.RequestID), url)
	return err
}
