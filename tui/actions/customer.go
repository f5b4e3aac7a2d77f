package actions

import (
	"context"
	"encoding/json"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
)

// customerForm edits a customer's contact details and internal note. It
// starts from the cached values and sends only what the operator changed
// (billing then drops what Stripe already holds), so a field left alone
// never overwrites a newer value on Stripe with the cache's.
type customerForm struct {
	id     string
	name   string
	start  map[string]string // the cached values the form opened with
	values map[string]*string
}

func newCustomerForm(env storage.Envelope) *customerForm {
	var cus map[string]any
	_ = json.Unmarshal(env.Raw, &cus)
	f := &customerForm{id: env.ID, start: map[string]string{}, values: map[string]*string{}}
	for _, k := range billing.CustomerFields {
		// Text from Stripe is shown escaped; unchanged, it is not sent.
		v := safetext.Line(billing.CustomerFieldValue(cus, k))
		f.start[k] = v
		f.values[k] = &v
	}
	f.name = f.start["name"]
	if f.name == "" {
		f.name = f.start["email"]
	}
	return f
}

func (f *customerForm) heading() string                                      { return "Edit customer " + f.id }
func (f *customerForm) target() string                                       { return f.id }
func (f *customerForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *customerForm) info(*common.Common) []string {
	who := f.id
	if f.name != "" {
		who = f.name + " (" + f.id + ")"
	}
	return []string{who + " · values from the cache; only the fields you change are sent"}
}

var customerHints = map[string]string{
	"email":           "invoices and receipts go here",
	"phone":           "",
	"description":     "shown in the Dashboard, not to the customer",
	"address.country": "two letters, e.g. FR, US",
	"note":            "internal: metadata[" + billing.NoteMetadataKey + "], never shown to the customer",
}

func (f *customerForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	var out []huh.Field
	for _, k := range billing.CustomerFields {
		k := k
		in := huh.NewInput().Key(k).Title(billing.CustomerFieldLabel(k)).Value(f.values[k])
		out = append(out, checked(c, in, customerHints[k], k, fe, func(s string) error { return billing.CheckCustomerField(k, s) }))
	}
	return out
}

// changed is what the operator typed differently from the cached values.
func (f *customerForm) changed() map[string]string {
	out := map[string]string{}
	for _, k := range billing.CustomerFields {
		if v := *f.values[k]; v != f.start[k] {
			out[k] = v
		}
	}
	return out
}

func (f *customerForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareCustomerEdit(ctx, c.Operator, billing.CustomerEditRequest{Customer: f.id, Fields: f.changed()})
	return p, nil, err
}
