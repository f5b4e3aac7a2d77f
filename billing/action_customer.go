package billing

import (
	"context"
	"net/mail"
	"slices"
	"strings"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
	"golang.org/x/text/language"
)

// Customer-side actions (support's daily set beside refunds and credit).
const (
	ActionCustomerEdit Action = "customer_edit" // email, name, phone, address, description, internal note
	ActionPortalLink   Action = "portal_link"   // a billing-portal session URL for the customer
	ActionInvoiceLink  Action = "invoice_link"  // copy an invoice's hosted URL (reads only)
	ActionTrialEnd     Action = "trial_end_now" // end a trial now
	ActionTrialExtend  Action = "trial_extend"  // move a trial's end to a later date
)

// NoteMetadataKey is the customer metadata key that holds paydesk's
// internal note (never shown to the customer by Stripe).
const NoteMetadataKey = "paydesk_note"

// Customer fields an edit may change, in the order the form and the
// confirmation show them. "address.*" are the address's parts; "note" is
// metadata[paydesk_note].
var CustomerFields = []string{"email", "name", "phone", "description",
	"address.line1", "address.line2", "address.city", "address.state", "address.postal_code", "address.country", "note"}

// Limits Stripe enforces on customer fields (characters).
const (
	MaxCustomerText = 350 // email, name, phone, description
	MaxAddressText  = 200 // each address part
	MaxInternalNote = 500 // metadata[paydesk_note]: Stripe's limit on one metadata value
)

var customerFieldLabels = map[string]string{
	"email": "Email", "name": "Name", "phone": "Phone", "description": "Description",
	"address.line1": "Address line 1", "address.line2": "Address line 2", "address.city": "City",
	"address.state": "State", "address.postal_code": "Postal code", "address.country": "Country", "note": "Internal note",
}

// CustomerFieldLabel is the words for one of CustomerFields ("Postal code").
func CustomerFieldLabel(field string) string { return customerFieldLabels[field] }

func init() {
	actionSpecs = append(actionSpecs,
		ActionSpec{Action: ActionCustomerEdit, Name: "customer edit", Kinds: []storage.Kind{storage.KindCustomer},
			NoRepeat: "it moves no money; a repeat finds nothing to change",
			MinRole:  RoleSupport, Endpoints: []string{"POST /v1/customers/%s"}, Irreversible: never,
			lookup: func(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
				return a.lookupMetadata(ctx, storage.KindCustomer, in)
			}, applies: notDeleted},
	)
}

// CustomerEditRequest is what the customer form (or `paydesk customer
// edit`) collects. Fields maps names of CustomerFields to the wanted
// values; a field absent from the map is left as it is, an empty value
// clears it. Only the fields whose value differs from Stripe's are sent.
type CustomerEditRequest struct {
	Customer string
	Fields   map[string]string
}

// CustomerFieldValue reads one of CustomerFields from a customer's
// decoded JSON ("" when unset).
func CustomerFieldValue(cus map[string]any, field string) string {
	if field == "note" {
		return str(cus, "metadata."+NoteMetadataKey)
	}
	return str(cus, field)
}

// PrepareCustomerEdit validates an edit of a customer (POST
// /v1/customers/{id}, https://docs.stripe.com/api/customers/update)
// against its fresh state: the plan sends only the fields that change,
// the whole address when any part of it changes (its parts that are set;
// an empty unchanged part is left out), and the internal note as
// metadata[paydesk_note]; its Lines show each changed field before → after.
// Errors: *FieldError on "customer" (deleted), "email" (not one address),
// any field over Stripe's length, or "fields" when nothing changes.
func (a *Actions) PrepareCustomerEdit(ctx context.Context, op Operator, req CustomerEditRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionCustomerEdit, req.Customer, &err)
	target := strings.TrimSpace(req.Customer)
	p, err := a.start(ctx, op, ActionCustomerEdit, target, "customer")
	if err != nil || p.Earlier {
		return p, err
	}
	cus, err := a.fresh(ctx, p, storage.KindCustomer, target, "email", "name", "phone", "address", "description", "metadata."+NoteMetadataKey)
	if err != nil {
		return nil, err
	}
	if boolean(cus, "deleted") {
		return nil, fieldErrf("customer", "customer %s was deleted", target)
	}
	for f := range req.Fields {
		if !slices.Contains(CustomerFields, f) {
			return nil, fieldErrf("fields", "%q is not a customer field paydesk edits", f)
		}
	}
	params := &stripe.CustomerParams{}
	var changed []Line
	var before []Param // the old values, kept on the call for the audit trail
	addressChanged := false
	for _, f := range CustomerFields {
		want, ok := req.Fields[f]
		if !ok {
			continue
		}
		want = strings.TrimSpace(want)
		if f == "address.country" {
			want = strings.ToUpper(want) // "fr" is France; Stripe keeps codes in capitals
		}
		if err := CheckCustomerField(f, want); err != nil {
			return nil, err
		}
		have := CustomerFieldValue(cus, f)
		if want == have {
			continue
		}
		changed = append(changed, Line{CustomerFieldLabel(f), orDash(have) + " → " + orDash(want)})
		before = append(before, Param{f, have})
		if f == "email" && want == "" {
			p.Warnings = append(p.Warnings, "the email is cleared: invoices and receipts will no longer be emailed to this customer")
		}
		switch f {
		case "email":
			params.Email = stripe.String(want)
		case "name":
			params.Name = stripe.String(want)
		case "phone":
			params.Phone = stripe.String(want)
		case "description":
			params.Description = stripe.String(want)
		case "note":
			params.AddMetadata(NoteMetadataKey, want) // "" deletes the key
		default:
			addressChanged = true
		}
	}
	if len(changed) == 0 {
		return nil, fieldErr("fields", "nothing to change: every field already has this value on Stripe")
	}
	if addressChanged {
		part := func(f string) *string {
			if v, ok := req.Fields[f]; ok {
				v = strings.TrimSpace(v)
				if f == "address.country" {
					v = strings.ToUpper(v)
				}
				return stripe.String(v)
			}
			if cur := CustomerFieldValue(cus, f); cur != "" {
				return stripe.String(cur) // kept as it is: the address is sent whole
			}
			return nil // empty and unchanged: nothing to send
		}
		params.Address = &stripe.AddressParams{Line1: part("address.line1"), Line2: part("address.line2"),
			City: part("address.city"), State: part("address.state"), PostalCode: part("address.postal_code"),
			Country: part("address.country")}
	}
	params.AddMetadata(IntentMetadataKey, p.Key)
	p.Call = Call{Method: "POST", Path: stripe.FormatURLPath("/v1/customers/%s", target), Form: formOf(params), Before: before}
	p.Lines = append([]Line{a.customerLine(target, str(cus, "name"), str(cus, "email"))}, changed...)
	p.Lines = append(p.Lines, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

// CheckCustomerField applies Stripe's rules to a new value of one of
// CustomerFields (length, one line, an email address, a country code): a
// *FieldError on field, or nil. The form validates with it as it is typed.
func CheckCustomerField(field, v string) error {
	if err := CheckText(field, strings.ToLower(CustomerFieldLabel(field)), v, false); err != nil {
		return err
	}
	limit := MaxCustomerText
	switch {
	case field == "note":
		limit = MaxInternalNote
	case strings.HasPrefix(field, "address."):
		limit = MaxAddressText
	}
	if n := len([]rune(v)); n > limit {
		return fieldErrf(field, "at most %d characters (%d typed)", limit, n)
	}
	if strings.ContainsAny(v, "\r\n") {
		return fieldErr(field, "one line only")
	}
	switch field {
	case "email":
		if v == "" {
			return nil
		}
		addr, err := mail.ParseAddress(v)
		if err != nil || addr.Address != v || addr.Name != "" {
			return fieldErrf(field, "%q is not an email address (name@example.com)", v)
		}
	case "address.country":
		if v == "" {
			return nil
		}
		// Checked as written (any case; it is sent in capitals): two
		// letters naming a country (CLDR's list, x/text), not ZZ or EU.
		r, err := language.ParseRegion(v)
		if len(v) != 2 || err != nil || !r.IsCountry() {
			return fieldErrf(field, "%q is not a country: two letters, ISO 3166-1 alpha-2 (e.g. FR, US)", v)
		}
	}
	return nil
}
