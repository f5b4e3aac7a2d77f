package cli

import (
	"context"
	"io"

	"github.com/paydesk/paydesk/billing"
)

// Invoice is `paydesk invoice finalize|delete`: a draft invoice action
// (billing.PrepareInvoice with ActionInvoiceFinalize or
// ActionInvoiceDelete), printed and, with yes, sent (see Refund).
func Invoice(ctx context.Context, acts *billing.Actions, op billing.Operator, req billing.InvoiceRequest, yes bool, out io.Writer) error {
	p, err := acts.PrepareInvoice(ctx, op, req)
	if err != nil {
		return earlierOr(err, out)
	}
	return send(ctx, acts, p, yes, out)
}

// DisputeAccept is `paydesk dispute accept`: closes a dispute (accepting
// it as lost), printed and, with yes, sent (see Refund).
func DisputeAccept(ctx context.Context, acts *billing.Actions, op billing.Operator, req billing.DisputeAcceptRequest, yes bool, out io.Writer) error {
	p, err := acts.PrepareDisputeAccept(ctx, op, req)
	if err != nil {
		return earlierOr(err, out)
	}
	return send(ctx, acts, p, yes, out)
}

// CreditNote is `paydesk credit-note INVOICE`: a credit note with Stripe's
// preview figures printed and, with yes, issued (see Refund).
func CreditNote(ctx context.Context, acts *billing.Actions, op billing.Operator, req billing.CreditNoteRequest, yes bool, out io.Writer) error {
	p, err := acts.PrepareCreditNote(ctx, op, req)
	if err != nil {
		return earlierOr(err, out)
	}
	return send(ctx, acts, p, yes, out)
}

// CreditNoteVoid is `paydesk credit-note void CREDIT_NOTE` (see Refund).
func CreditNoteVoid(ctx context.Context, acts *billing.Actions, op billing.Operator, req billing.CreditNoteVoidRequest, yes bool, out io.Writer) error {
	p, err := acts.PrepareCreditNoteVoid(ctx, op, req)
	if err != nil {
		return earlierOr(err, out)
	}
	return send(ctx, acts, p, yes, out)
}
