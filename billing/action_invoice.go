package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// InvoiceRequest is an invoice action: ActionInvoicePay (retry the
// payment now), ActionInvoiceVoid, ActionInvoiceUncollect or
// ActionInvoiceSend.
type InvoiceRequest struct {
	Invoice string
	Action  Action
}

// invoiceOps: the endpoint of each invoice action, the statuses it
// accepts, and the status it leaves behind ("" when it changes none).
// The statuses each one accepts are its ActionSpec.States.
var invoiceOps = map[Action]invoiceOp{
	ActionInvoicePay:       {"/v1/invoices/%s/pay", "paid", "Charge the customer's default payment method now", true},
	ActionInvoiceVoid:      {"/v1/invoices/%s/void", "void", "Void the invoice (the customer no longer owes it; cannot be undone)", false},
	ActionInvoiceUncollect: {"/v1/invoices/%s/mark_uncollectible", "uncollectible", "Mark the invoice uncollectible (bad debt, stops retries)", false},
	ActionInvoiceSend:      {"/v1/invoices/%s/send", "", "Email the invoice to the customer", false},
}

type invoiceOp struct {
	path    string
	to      string
	verb    string
	moneyIn bool
}

// PrepareInvoice validates an invoice action against the invoice's fresh
// status.
func (a *Actions) PrepareInvoice(ctx context.Context, op Operator, req InvoiceRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, req.Action, req.Invoice, &err)
	spec, ok := invoiceOps[req.Action]
	if !ok {
		return nil, fieldErrf("action", "%q is not an invoice action", req.Action)
	}
	target := strings.TrimSpace(req.Invoice)
	p, err := a.start(ctx, op, req.Action, target, "invoice")
	if err != nil || p.Earlier {
		return p, err
	}
	inv, err := a.fresh(ctx, p, storage.KindInvoice, target, "status", "amount_remaining", "attempt_count")
	if err != nil {
		return nil, err
	}
	status := str(inv, "status")
	if from := mustSpec(req.Action).States; !contains(from, status) {
		return nil, fieldErrf("invoice", "invoice %s is %s: it can be %s only when %s", target, status,
			actionWord(req.Action), strings.Join(from, " or "))
	}
	if rule := mustSpec(req.Action).applies; rule != nil {
		if why := rule(inv); why != "" {
			return nil, fieldErrf("invoice", "invoice %s: %s", target, why)
		}
	}
	params := &stripe.InvoiceParams{} // these endpoints take no metadata
	method := http.MethodPost
	if req.Action == ActionInvoiceDelete {
		method = http.MethodDelete
	}
	p.Call = Call{Method: method, Path: stripe.FormatURLPath(spec.path, target), Form: formOf(params)}
	cur := str(inv, "currency")
	remaining := num(inv, "amount_remaining")
	if spec.moneyIn || req.Action == ActionInvoiceVoid || req.Action == ActionInvoiceUncollect {
		// Collected, or written off: the audit keeps what the invoice
		// still owed (AmountLabel names which).
		p.Amount = remaining
	}
	p.Currency = cur
	p.Lines = []Line{
		{"Action", spec.verb},
		{"Invoice", target + numberSuffix(str(inv, "number"))},
		a.customerLine(str(inv, "customer"), str(inv, "customer_name"), str(inv, "customer_email")),
		{"Status", status + statusAfter(spec.to, spec.moneyIn, status)},
		{"Total", money.Format(num(inv, "total"), cur)},
		{"Amount remaining", money.Format(remaining, cur)},
		{"Payment attempts so far", fmt.Sprint(num(inv, "attempt_count"))},
	}
	switch req.Action {
	case ActionInvoiceVoid:
		if words := balanceReturned(inv); words != "" {
			p.Lines = append(p.Lines, Line{"Customer balance", words})
		}
	case ActionInvoiceFinalize:
		// Stripe applies the customer's balance when it finalizes.
		raw, err := a.c.Retrieve(ctx, storage.KindCustomer, str(inv, "customer"))
		if err != nil {
			return nil, fmt.Errorf("prepare %s: read customer: %w", req.Action, err)
		}
		var cus map[string]any
		if err := json.Unmarshal(raw, &cus); err != nil {
			return nil, fmt.Errorf("prepare %s: decode customer: %w", req.Action, err)
		}
		if words := balanceApplied(cus, cur, num(inv, "amount_due")); words != "" {
			p.Lines = append(p.Lines, Line{"Customer balance", words})
		}
	}
	p.Lines = append(p.Lines, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

func actionWord(a Action) string {
	switch a {
	case ActionInvoicePay:
		return "paid"
	case ActionInvoiceVoid:
		return "voided"
	case ActionInvoiceUncollect:
		return "marked uncollectible"
	case ActionInvoiceSend:
		return "sent"
	case ActionInvoiceFinalize:
		return "finalized"
	case ActionInvoiceDelete:
		return "deleted"
	}
	return string(a)
}

// statusAfter words what the call does to the invoice's status. A payment
// retry is only an attempt: the status becomes paid if the charge
// succeeds, and a decline leaves it as it was.
func statusAfter(to string, attempt bool, from string) string {
	switch {
	case to == "":
		return " (unchanged)"
	case attempt:
		return " → " + to + " if the charge succeeds (a decline leaves it " + from + ")"
	}
	return " → " + to
}

func numberSuffix(n string) string {
	if n == "" {
		return ""
	}
	return " (" + n + ")"
}

// lookupInvoice reports the invoice as done when it already has the
// status its action leaves behind. Sending changes no status, so a send
// is never found and is sent again (a second email at worst). A
// finalized draft is done once it is no longer a draft (open, or paid
// when nothing was due); a deleted draft once Stripe answers 404 or the
// deleted stub.
func (a *Actions) lookupInvoice(ctx context.Context, in storage.Intent) (string, bool, error) {
	spec := invoiceOps[Action(in.Action)]
	if spec.to == "" {
		return "", false, nil
	}
	raw, err := a.c.Retrieve(ctx, storage.KindInvoice, in.Target)
	if err != nil {
		if Action(in.Action) == ActionInvoiceDelete && IsNotFound(err) {
			return in.Target, true, nil
		}
		return "", false, err
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", false, fmt.Errorf("decode %s: %w", in.Target, err)
	}
	switch Action(in.Action) {
	case ActionInvoiceFinalize:
		return in.Target, str(obj, "status") != "draft", nil
	case ActionInvoiceDelete:
		return in.Target, boolean(obj, "deleted"), nil
	}
	return in.Target, str(obj, "status") == spec.to, nil
}
