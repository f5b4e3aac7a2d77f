package billing

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// Billing-portal flows a link can open (flow_data[type]; "" is the
// portal's home page).
const (
	PortalHome                = ""
	PortalPaymentMethodUpdate = "payment_method_update"
)

func init() {
	actionSpecs = append(actionSpecs,
		ActionSpec{Action: ActionPortalLink, Name: "billing-portal link", Kinds: []storage.Kind{storage.KindCustomer},
			NoRepeat: "a link moves no money",
			MinRole:  RoleSupport, Endpoints: []string{"POST /v1/billing_portal/sessions"}, Irreversible: never,
			// A portal session cannot be listed: a lost answer is sent
			// again with its key (Stripe replays the same session for
			// 24 hours); a second link moves no money.
			lookup:  func(*Actions, context.Context, storage.Intent, Call) (string, bool, error) { return "", false, nil },
			applies: notDeleted},
		ActionSpec{Action: ActionInvoiceLink, Name: "hosted invoice link", Kinds: []storage.Kind{storage.KindInvoice},
			NoRepeat: "a link moves no money",
			MinRole:  RoleSupport, Irreversible: never, applies: func(obj map[string]any) string {
				if HostedInvoiceURL(obj) == "" {
					return "invoice has no hosted page (a draft gets one when it is finalized)"
				}
				return ""
			}},
	)
}

// PortalRequest is what the portal-link form (or `paydesk portal-link`)
// collects.
type PortalRequest struct {
	Customer string
	// Flow is PortalHome or PortalPaymentMethodUpdate.
	Flow string
	// ReturnURL is where the portal's back link goes (https; empty: the
	// portal configuration's default).
	ReturnURL string
}

// PreparePortalLink plans a billing-portal session for a customer (POST
// /v1/billing_portal/sessions with customer, return_url and, for the
// "update payment method" flow, flow_data[type]=payment_method_update;
// https://docs.stripe.com/api/customer_portal/sessions/create). It moves
// no money but is audited: who created a link for whom. Errors:
// *FieldError on "customer" (deleted), "flow" or "return_url" (not
// https).
func (a *Actions) PreparePortalLink(ctx context.Context, op Operator, req PortalRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionPortalLink, req.Customer, &err)
	target := strings.TrimSpace(req.Customer)
	p, err := a.start(ctx, op, ActionPortalLink, target, "customer")
	if err != nil || p.Earlier {
		return p, err
	}
	cus, err := a.fresh(ctx, p, storage.KindCustomer, target, "email", "deleted")
	if err != nil {
		return nil, err
	}
	if boolean(cus, "deleted") {
		return nil, fieldErrf("customer", "customer %s was deleted", target)
	}
	params := &stripe.BillingPortalSessionParams{Customer: stripe.String(target)}
	what := "the customer's billing portal (invoices, payment methods, subscriptions)"
	switch req.Flow {
	case PortalHome:
	case PortalPaymentMethodUpdate:
		params.FlowData = &stripe.BillingPortalSessionFlowDataParams{Type: stripe.String(PortalPaymentMethodUpdate)}
		what = "straight to updating the customer's payment method"
	default:
		return nil, fieldErrf("flow", "choose the portal home or %s", PortalPaymentMethodUpdate)
	}
	ret := strings.TrimSpace(req.ReturnURL)
	if ret != "" {
		if err := CheckText("return_url", "return URL", ret, false); err != nil {
			return nil, err
		}
		if HTTPSURL(ret) == "" {
			return nil, fieldErr("return_url", "an https:// address without spaces")
		}
		params.ReturnURL = stripe.String(ret)
	}
	p.Call = Call{Method: "POST", Path: "/v1/billing_portal/sessions", Form: formOf(params)}
	p.Lines = []Line{
		a.customerLine(target, str(cus, "name"), str(cus, "email")),
		{"Link opens", what},
		{"Return URL", orDash(ret)},
		{"Valid", "a short while, for whoever holds it: send it to the customer only"},
		{"Idempotency key", p.Key},
	}
	return a.finish(p)
}

// PortalURL is the session URL in Stripe's answer to a portal-link call
// ("" when absent or not an https address).
func PortalURL(raw json.RawMessage) string {
	var s struct {
		URL string `json:"url"`
	}
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return HTTPSURL(s.URL)
}

// HostedInvoiceURL is an invoice's hosted_invoice_url when it is a plain
// https address ("" otherwise: drafts have none).
func HostedInvoiceURL(inv map[string]any) string { return HTTPSURL(str(inv, "hosted_invoice_url")) }

// HTTPSURL keeps an https address and drops anything else, including any
// with spaces, control characters or escapes: a link is shown and copied
// to the clipboard, so it may carry nothing a terminal would obey.
func HTTPSURL(s string) string {
	if !strings.HasPrefix(s, "https://") || len(s) <= len("https://") {
		return ""
	}
	for _, r := range s {
		if r <= 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x200b && r <= 0x206f) || r == 0xfeff {
			return ""
		}
	}
	return s
}
