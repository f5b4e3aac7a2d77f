package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// ActionInvoiceCreate bills a customer a one-off invoice: its invoice
// items (POST /v1/invoiceitems), the invoice that takes them
// (POST /v1/invoices, pending_invoice_items_behavior=include), its
// finalization (POST /v1/invoices/{id}/finalize) and, when asked, its
// email (POST /v1/invoices/{id}/send): one intent of several steps
// (Call.Steps), each with its own idempotency key, so a lost answer at any
// step never makes a second item or invoice and a resume continues from
// the step reached.
const ActionInvoiceCreate Action = "invoice_create"

// MaxOneOffItems is the most items one invoice is prepared with.
const MaxOneOffItems = 10

// MaxOneOffDescription is the longest item description accepted, in
// characters.
const MaxOneOffDescription = 500

func init() {
	actionSpecs = append(actionSpecs, ActionSpec{Action: ActionInvoiceCreate, Name: "one-off invoice",
		Repeat: sameMoney,
		Kinds:  []storage.Kind{storage.KindCustomer}, MinRole: RoleFinance,
		Endpoints: []string{"POST /v1/invoiceitems", "POST /v1/invoices", "POST /v1/invoices/{invoice}/finalize",
			"POST /v1/invoices/{invoice}/send"},
		Irreversible: never, applies: notDeleted,
		lookup: func(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
			return a.lookupOneOff(ctx, in)
		}})
}

// OneOffItem is one line of a one-off invoice: an amount typed in the
// invoice's currency (money.Parse's grammar) and its description.
type OneOffItem struct {
	Amount      string
	Description string
}

// OneOffInvoiceRequest is what the new-invoice form collects.
type OneOffInvoiceRequest struct {
	Customer string
	// Currency is the invoice's (ISO code); "" takes the customer's.
	Currency string
	Items    []OneOffItem
	// Send emails the finalized invoice to the customer.
	Send bool
}

// PrepareOneOffInvoice validates a one-off invoice against the customer's
// fresh state (GET /v1/customers/{id}): not deleted, items in the
// customer's currency (Stripe bills a customer in one currency), amounts
// above zero, descriptions given. It reads the customer's pending items
// (GET /v1/invoiceitems?pending=true) because
// pending_invoice_items_behavior=include takes them too, and says so.
// The plan's Call holds the steps; Amount is the items' sum in minor
// units. Errors: *FieldError on customer, currency, items[N].amount or
// items[N].description; ErrForbidden below finance.
func (a *Actions) PrepareOneOffInvoice(ctx context.Context, op Operator, req OneOffInvoiceRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionInvoiceCreate, req.Customer, &err)
	p, err := a.start(ctx, op, ActionInvoiceCreate, strings.TrimSpace(req.Customer), "customer")
	if err != nil || p.Earlier {
		return p, err
	}
	cus, err := a.fresh(ctx, p, storage.KindCustomer, p.Target, "currency", "email", "balance")
	if err != nil {
		return nil, err
	}
	if boolean(cus, "deleted") {
		return nil, fieldErrf("customer", "customer %s was deleted", p.Target)
	}
	cur := strings.ToLower(strings.TrimSpace(req.Currency))
	if have := str(cus, "currency"); have != "" {
		if cur != "" && cur != have {
			return nil, fieldErrf("currency", "customer %s is billed in %s: Stripe keeps one currency per customer", p.Target, strings.ToUpper(have))
		}
		cur = have
	}
	if cur == "" || !validCurrency(cur) {
		return nil, fieldErr("currency", "choose the invoice's currency (ISO code, e.g. usd)")
	}
	var items []OneOffItem
	for _, it := range req.Items {
		if strings.TrimSpace(it.Amount) != "" || strings.TrimSpace(it.Description) != "" {
			items = append(items, it)
		}
	}
	switch {
	case len(items) == 0:
		return nil, fieldErr("items[0].amount", "add at least one item")
	case len(items) > MaxOneOffItems:
		return nil, fieldErrf("items", "at most %d items", MaxOneOffItems)
	}
	var steps []Step
	var total int64
	lines := []Line{{"Action", "Bill a one-off invoice: items, invoice, finalize" + map[bool]string{true: ", send", false: ""}[req.Send]},
		a.customerLine(p.Target, str(cus, "name"), str(cus, "email"))}
	for i, it := range items {
		field := fmt.Sprintf("items[%d]", i)
		amount, err := parseAmount(field+".amount", it.Amount, cur)
		if err != nil {
			return nil, err
		}
		desc := strings.TrimSpace(it.Description)
		if err := CheckText(field+".description", fmt.Sprintf("item %d's description", i+1), desc, false); err != nil {
			return nil, err
		}
		if desc == "" {
			return nil, fieldErr(field+".description", "describe the item (at most 500 characters): the customer reads it")
		}
		if n := utf8.RuneCountInString(desc); n > MaxOneOffDescription {
			return nil, fieldErrf(field+".description", "item %d's description has %d characters, at most %d are accepted: shorten it (nothing was cut or sent)",
				i+1, n, MaxOneOffDescription)
		}
		total += amount
		key := fmt.Sprintf("%s-item%d", p.Key, i+1)
		params := &stripe.InvoiceItemParams{Customer: stripe.String(p.Target), Amount: stripe.Int64(amount),
			Currency: stripe.String(cur), Description: stripe.String(desc)}
		params.AddMetadata(IntentMetadataKey, key)
		steps = append(steps, Step{Name: fmt.Sprintf("item%d", i+1), Method: http.MethodPost, Path: "/v1/invoiceitems",
			Form: formOf(params), Key: key, Find: FindListed, List: "/v1/invoiceitems",
			Query: []Param{{"customer", p.Target}, {"limit", "100"}}})
		lines = append(lines, Line{fmt.Sprintf("Item %d", i+1), money.Format(amount, cur) + "  " + clip(desc, 40)})
	}
	inv := &stripe.InvoiceParams{Customer: stripe.String(p.Target), PendingInvoiceItemsBehavior: stripe.String("include")}
	inv.AddMetadata(IntentMetadataKey, p.Key)
	steps = append(steps,
		Step{Name: "invoice", Method: http.MethodPost, Path: "/v1/invoices", Form: formOf(inv), Key: p.Key,
			Find: FindListed, List: "/v1/invoices", Query: []Param{{"customer", p.Target}, {"limit", "100"}}},
		Step{Name: "finalize", Method: http.MethodPost, Path: "/v1/invoices/{invoice}/finalize", Key: p.Key + "-finalize", Find: FindNotDraft})
	if req.Send {
		steps = append(steps, Step{Name: "send", Method: http.MethodPost, Path: "/v1/invoices/{invoice}/send", Key: p.Key + "-send"})
	}
	pending, pendingSum, err := a.pendingItems(ctx, p.Target, cur)
	if err != nil {
		return nil, err
	}
	lines = append(lines, Line{"Total", money.Format(total, cur)})
	if words := balanceApplied(cus, cur, total+pendingSum); words != "" {
		if lookupPath(cus, "discount.coupon") != nil {
			words += " before the discount"
		}
		lines = append(lines, Line{"Customer balance", words})
	}
	if d, ok := lookupPath(cus, "discount.coupon").(map[string]any); ok {
		// Stripe takes the customer's discount off its invoices, one-off
		// ones too: the amount due is below the items' total.
		raw, _ := json.Marshal(d)
		if c, err := CouponOf(raw); err == nil {
			lines = append(lines, Line{"Discount", "the customer's " + c.Terms() + ": Stripe takes it off this invoice"})
		}
	}
	if pending > 0 {
		lines = append(lines, Line{"Also included", fmt.Sprintf("%d pending item(s) already on the customer, %s", pending, money.Format(pendingSum, cur))})
		p.Warnings = append(p.Warnings, fmt.Sprintf("the customer has %d pending invoice item(s) (%s): Stripe puts them on this invoice too",
			pending, money.Format(pendingSum, cur)))
	}
	// Every step has its own key, derived from the intent's: the steps
	// listed are exactly those that run (no send unless asked).
	var stepKeys []string
	for _, s := range steps {
		stepKeys = append(stepKeys, s.Name+" = key"+strings.TrimPrefix(s.Key, p.Key))
	}
	lines = append(lines, Line{"Then", "finalized (numbered, open for payment)" + map[bool]string{true: " and emailed", false: ", not emailed"}[req.Send]},
		Line{"Idempotency key", p.Key}, Line{"Step keys", strings.Join(stepKeys, " · ")})
	p.Call = Call{Method: http.MethodPost, Path: "/v1/invoices", Form: formOf(inv), Steps: steps}
	p.Amount, p.Currency, p.Lines = total, cur, lines
	return a.finish(p)
}

// pendingItems counts the customer's pending invoice items in cur and
// their sum (minor units): GET /v1/invoiceitems?customer=&pending=true.
func (a *Actions) pendingItems(ctx context.Context, customer, cur string) (int, int64, error) {
	raw, err := a.get(ctx, "/v1/invoiceitems", []Param{{"customer", customer}, {"pending", "true"}, {"limit", "100"}})
	if err != nil {
		return 0, 0, fmt.Errorf("prepare one-off invoice: pending items: %w", err)
	}
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return 0, 0, fmt.Errorf("prepare one-off invoice: decode pending items: %w", err)
	}
	n, sum := 0, int64(0)
	for _, it := range page.Data {
		if str(it, "currency") == cur && lookupPath(it, "invoice") == nil {
			n++
			sum += num(it, "amount")
		}
	}
	return n, sum, nil
}

// lookupOneOff finds the invoice whose metadata names the intent among the
// customer's invoices; it counts as done once finalized (not a draft).
// A draft found means the steps stopped half way: not found, so the
// intent is sent again and continues from the step reached.
func (a *Actions) lookupOneOff(ctx context.Context, in storage.Intent) (string, bool, error) {
	id, found, err := a.findListed(ctx, "/v1/invoices", []Param{{"customer", in.Target}, {"limit", "100"}}, in.Key)
	if err != nil || !found {
		return "", false, err
	}
	raw, err := a.c.Retrieve(ctx, storage.KindInvoice, id)
	if err != nil {
		return "", false, err
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", false, fmt.Errorf("decode %s: %w", id, err)
	}
	return id, str(obj, "status") != "draft", nil
}
