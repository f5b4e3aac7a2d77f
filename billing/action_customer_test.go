package billing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// TestActionCustomerEditEndToEnd: support edits a customer; only the
// changed fields are sent, the confirmation shows each one before →
// after, the sandbox and (by webhook) the cache hold the new values, and
// the audit names the operator.
func TestActionCustomerEditEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true})
	ctx := context.Background()
	cus := e.find(storage.KindCustomer, "live", func(m map[string]any) bool { return !boolean(m, "deleted") })
	before := e.obj(storage.KindCustomer, cus)
	req := CustomerEditRequest{Customer: cus, Fields: map[string]string{
		"email": "ada@example.com", "name": str(before, "name"), // the name is unchanged: not sent
		"address.line1": "1 Rue de Rivoli", "address.city": "Paris", "address.postal_code": "75001", "address.country": "FR",
		"note": "prefers email, never phone",
	}}
	if _, err := e.acts.PrepareCustomerEdit(ctx, viewer, req); !errors.Is(err, ErrForbidden) {
		t.Fatalf("viewer: %v", err)
	}
	p := mustPlan(t)(e.acts.PrepareCustomerEdit(ctx, support, req))
	call := p.Call.String()
	for _, want := range []string{"POST /v1/customers/" + cus, "email=ada@example.com", "address[line1]=1 Rue de Rivoli",
		"address[country]=FR", "metadata[paydesk_note]=prefers email, never phone", "metadata[paydesk_intent]=" + p.Key} {
		if !strings.Contains(call, want) {
			t.Fatalf("call %s lacks %q", call, want)
		}
	}
	// Address parts neither set before nor typed now are not sent (they
	// were sent empty, more than the confirmation showed).
	if strings.Contains(call, " name=") || strings.Contains(call, " phone=") || strings.Contains(call, "description=") ||
		strings.Contains(call, "address[line2]=") || strings.Contains(call, "address[state]=") {
		t.Fatalf("unchanged fields sent: %s", call)
	}
	if got, want := lineValue(p, "Email"), str(before, "email")+" → ada@example.com"; got != want {
		t.Fatalf("email line %q, want %q", got, want)
	}
	if got := lineValue(p, "City"); got != "— → Paris" {
		t.Fatalf("city line %q", got)
	}
	if got := lineValue(p, "Name"); !strings.HasPrefix(got, "<no line") {
		t.Fatalf("an unchanged name is on the confirmation: %q", got)
	}
	r := mustExec(t, e.acts, p)
	if r.ResultID != cus {
		t.Fatalf("result %+v", r)
	}
	after := e.obj(storage.KindCustomer, cus)
	if str(after, "email") != "ada@example.com" || str(after, "address.city") != "Paris" || str(after, "address.country") != "FR" ||
		str(after, "metadata.paydesk_note") != "prefers email, never phone" || str(after, "name") != str(before, "name") {
		t.Fatalf("sandbox customer after the edit: %v", after)
	}
	e.waitCache(storage.KindCustomer, cus, "email", func(m map[string]any) bool { return str(m, "email") == "ada@example.com" })
	e.checkAudit(p, r, OutcomeSucceeded)

	// Clearing the note and changing one address part keeps the others.
	p = mustPlan(t)(e.acts.PrepareCustomerEdit(ctx, support, CustomerEditRequest{Customer: cus,
		Fields: map[string]string{"note": "", "address.city": "Lyon"}}))
	if lineValue(p, "Internal note") != "prefers email, never phone → —" || !strings.Contains(p.Call.String(), "address[line1]=1 Rue de Rivoli") {
		t.Fatalf("second edit: %v %s", p.Lines, p.Call)
	}
	mustExec(t, e.acts, p)
	after = e.obj(storage.KindCustomer, cus)
	if str(after, "address.city") != "Lyon" || str(after, "address.line1") != "1 Rue de Rivoli" || str(after, "metadata.paydesk_note") != "" {
		t.Fatalf("after the second edit: %v", after)
	}
}

// TestActionCustomerEditValidation: the form refuses what Stripe would.
func TestActionCustomerEditValidation(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{})
	ctx := context.Background()
	cus := e.find(storage.KindCustomer, "live", func(m map[string]any) bool { return !boolean(m, "deleted") })
	edit := func(f map[string]string) error {
		_, err := e.acts.PrepareCustomerEdit(ctx, support, CustomerEditRequest{Customer: cus, Fields: f})
		return err
	}
	for _, bad := range []string{"ada", "ada@", "Ada <ada@example.com>", "ada @example.com", "a@b@c.com"} {
		wantField(t, edit(map[string]string{"email": bad}), "email")
	}
	wantField(t, edit(map[string]string{"address.country": "france"}), "address.country")
	// Two letters are not enough: ZZ and EU are no country; a lower-case
	// code is one, sent in capitals.
	wantField(t, edit(map[string]string{"address.country": "ZZ"}), "address.country")
	wantField(t, edit(map[string]string{"address.country": "EU"}), "address.country")
	if p, err := e.acts.PrepareCustomerEdit(context.Background(), support, CustomerEditRequest{Customer: cus, Fields: map[string]string{"address.country": "fr"}}); err != nil ||
		!strings.Contains(p.Call.String(), "address[country]=FR") {
		t.Fatalf("country fr: %v %v", p, err)
	}
	wantField(t, edit(map[string]string{"name": strings.Repeat("n", 351)}), "name")
	wantField(t, edit(map[string]string{"note": "two\nlines"}), "note")
	wantField(t, edit(map[string]string{"balance": "0"}), "fields")
	wantField(t, edit(map[string]string{"email": str(e.obj(storage.KindCustomer, cus), "email")}), "fields")
	// The sandbox refuses a malformed email as Stripe does.
	_, _, err := e.acts.do(ctx, Call{Method: "POST", Path: "/v1/customers/" + cus, Form: []Param{{"email", "nope"}}}, "pd_t_"+randHex(4))
	if se := stripeError(err); se == nil || se.Param != "email" {
		t.Fatalf("sandbox accepted a malformed email: %v", err)
	}
}
