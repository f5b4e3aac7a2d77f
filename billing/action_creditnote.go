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

// Credit notes (docs: billing/invoices/credit-notes; API 2023-10-16):
// issued on an open invoice they lower its amount due (pre-payment); on a
// paid one the amount is split between a refund of its charge, a credit to
// the customer's balance and an out-of-band part (post-payment), the three
// summing to the amount. Only a note on a still open invoice can be voided.
const (
	ActionCreditNote     Action = "credit_note"
	ActionCreditNoteVoid Action = "credit_note_void"
)

// CreditNoteReasons are Stripe's credit note reasons.
var CreditNoteReasons = []string{"duplicate", "fraudulent", "order_change", "product_unsatisfactory"}

// MaxCreditNoteMemo is the longest memo accepted (Stripe's string limit).
const MaxCreditNoteMemo = 5000

func init() {
	actionSpecs = append(actionSpecs,
		ActionSpec{Action: ActionCreditNote, Name: "credit note", Kinds: []storage.Kind{storage.KindInvoice},
			Repeat:  sameMoney,
			MinRole: RoleFinance, States: []string{"open", "paid"}, Endpoints: []string{"POST /v1/credit_notes"},
			Irreversible: never, applies: creditNoteApplies,
			lookup: func(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
				return a.findListed(ctx, "/v1/credit_notes", []Param{{"invoice", in.Target}, {"limit", "100"}}, in.Key)
			}},
		ActionSpec{Action: ActionCreditNoteVoid, Name: "credit note void", Kinds: []storage.Kind{storage.KindCreditNote},
			NoRepeat: "only an issued credit note can be voided",
			MinRole:  RoleFinance, States: []string{"issued"}, Endpoints: []string{"POST /v1/credit_notes/%s/void"},
			Irreversible: always, Word: "void",
			applies: func(obj map[string]any) string {
				if str(obj, "type") == "post_payment" {
					return "it was issued on a paid invoice: Stripe voids only credit notes of open invoices"
				}
				return ""
			},
			lookup: func(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
				raw, err := a.c.Retrieve(ctx, storage.KindCreditNote, in.Target)
				if err != nil {
					return "", false, err
				}
				var obj map[string]any
				if err := json.Unmarshal(raw, &obj); err != nil {
					return "", false, fmt.Errorf("decode %s: %w", in.Target, err)
				}
				return in.Target, str(obj, "status") == "void", nil
			}},
	)
}

// creditLeft is what an invoice can still be credited, in minor units:
// its total less earlier credit notes, and on an open invoice no more
// than its amount remaining.
func creditLeft(inv map[string]any) int64 {
	left := num(inv, "total") - num(inv, "pre_payment_credit_notes_amount") - num(inv, "post_payment_credit_notes_amount")
	if str(inv, "status") == "open" {
		left = min(left, num(inv, "amount_remaining"))
	}
	return max(left, 0)
}

func creditNoteApplies(inv map[string]any) string {
	st := str(inv, "status")
	if (st == "open" || st == "paid") && creditLeft(inv) == 0 {
		return "nothing is left to credit on it (earlier credit notes cover it)"
	}
	return ""
}

// CreditNoteRequest is what the credit note form collects. Amounts are
// typed in the invoice's currency (money.Parse's grammar). On a paid
// invoice Refund + Credit + OutOfBand must equal Amount; on an open one
// they stay empty.
type CreditNoteRequest struct {
	Invoice   string
	Amount    string
	Refund    string // refund_amount: refunded to the invoice's charge
	Credit    string // credit_amount: added to the customer's balance
	OutOfBand string // out_of_band_amount: settled outside Stripe
	Reason    string // one of CreditNoteReasons, or ""
	Memo      string
}

// CreditNoteFigures are what Stripe's preview says the credit note will
// be, in minor units of Currency.
type CreditNoteFigures struct {
	Currency  string
	Left      int64 // creditable before it
	Amount    int64
	Type      string // pre_payment or post_payment
	Refund    int64
	Credit    int64
	OutOfBand int64
	// DueAfter is the open invoice's amount remaining after the note.
	DueAfter int64
}

// CreditRoom is what a credit note on an invoice can be, read fresh from
// Stripe: the form's hints. Amounts in minor units of Currency.
type CreditRoom struct {
	// Left is what the invoice can still be credited (creditLeft).
	Left     int64
	Currency string
	Status   string
	// Refunds is where the paid invoice's charge stands (what it has left
	// to refund, what was refunded on it outside credit notes); zero on
	// an open invoice.
	Refunds ChargeRefunds
}

// CreditRoom reads the invoice (GET /v1/invoices/{id}) and, when it is
// paid, its charge's refunds (see chargeRefunds) from Stripe. Errors:
// Stripe's, wrapped.
func (a *Actions) CreditRoom(ctx context.Context, invoice string) (CreditRoom, error) {
	raw, err := a.c.Retrieve(ctx, storage.KindInvoice, invoice)
	if err != nil {
		return CreditRoom{}, fmt.Errorf("credit left on %s: %w", invoice, err)
	}
	var inv map[string]any
	if err := json.Unmarshal(raw, &inv); err != nil {
		return CreditRoom{}, fmt.Errorf("decode %s: %w", invoice, err)
	}
	room := CreditRoom{Left: creditLeft(inv), Currency: str(inv, "currency"), Status: str(inv, "status")}
	if room.Status == "paid" {
		if room.Refunds, err = a.chargeRefunds(ctx, inv); err != nil {
			return CreditRoom{}, fmt.Errorf("credit left on %s: %w", invoice, err)
		}
	}
	return room, nil
}

// PrepareCreditNote validates a credit note against the invoice's fresh
// state (GET /v1/invoices/{id}) and Stripe's rules, then asks Stripe for
// its preview (GET /v1/credit_notes/preview) with the exact parameters the
// plan sends (POST /v1/credit_notes, metadata paydesk_intent). The
// confirmation lines are the preview's figures. Errors: *FieldError on
// invoice, amount, refund_amount, credit_amount, out_of_band_amount,
// reason or memo; ErrForbidden below finance; *EarlierError when an
// earlier credit note on the invoice is pending.
func (a *Actions) PrepareCreditNote(ctx context.Context, op Operator, req CreditNoteRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionCreditNote, req.Invoice, &err)
	p, err := a.start(ctx, op, ActionCreditNote, strings.TrimSpace(req.Invoice), "invoice")
	if err != nil || p.Earlier {
		return p, err
	}
	inv, err := a.fresh(ctx, p, storage.KindInvoice, p.Target, "status", "amount_remaining",
		"pre_payment_credit_notes_amount", "post_payment_credit_notes_amount")
	if err != nil {
		return nil, err
	}
	status, cur := str(inv, "status"), str(inv, "currency")
	if status != "open" && status != "paid" {
		return nil, fieldErrf("invoice", "invoice %s is %s: credit notes are issued only on open or paid invoices", p.Target, orDash(status))
	}
	left := creditLeft(inv)
	if left == 0 {
		return nil, fieldErrf("invoice", "nothing is left to credit on invoice %s", p.Target)
	}
	amount, err := parseAmount("amount", req.Amount, cur)
	if err != nil {
		return nil, err
	}
	if amount > left {
		return nil, fieldErrf("amount", "at most %s can still be credited on this invoice", money.Format(left, cur))
	}
	params := &stripe.CreditNoteParams{Invoice: stripe.String(p.Target), Amount: stripe.Int64(amount)}
	var fig CreditNoteFigures
	var refunds ChargeRefunds
	if status == "paid" {
		parts := []struct {
			field, typed string
			dst          **int64
			got          *int64
		}{{"refund_amount", req.Refund, &params.RefundAmount, &fig.Refund}, {"credit_amount", req.Credit, &params.CreditAmount, &fig.Credit},
			{"out_of_band_amount", req.OutOfBand, &params.OutOfBandAmount, &fig.OutOfBand}}
		var sum int64
		for _, part := range parts {
			if strings.TrimSpace(part.typed) == "" {
				continue
			}
			v, err := parseAmount(part.field, part.typed, cur)
			if err != nil {
				return nil, err
			}
			*part.dst, *part.got = stripe.Int64(v), v
			sum += v
		}
		if sum != amount {
			return nil, fieldErrf("amount", "on a paid invoice the refund, balance credit and out-of-band parts must add up to %s (they add up to %s)",
				money.Format(amount, cur), money.Format(sum, cur))
		}
		if refunds, err = a.chargeRefunds(ctx, inv); err != nil {
			return nil, fmt.Errorf("prepare credit note: %w", err)
		}
		if fig.Refund > 0 {
			if err := checkRefundable(refunds, fig.Refund); err != nil {
				return nil, err
			}
		}
	} else {
		for field, typed := range map[string]string{"refund_amount": req.Refund, "credit_amount": req.Credit, "out_of_band_amount": req.OutOfBand} {
			if strings.TrimSpace(typed) != "" {
				return nil, fieldErr(field, "the invoice is open: the credit lowers its amount due, nothing is refunded or credited elsewhere")
			}
		}
	}
	if r := strings.TrimSpace(req.Reason); r != "" {
		if !contains(CreditNoteReasons, r) {
			return nil, fieldErrf("reason", "one of %s", strings.Join(CreditNoteReasons, ", "))
		}
		params.Reason = stripe.String(r)
	}
	if m := strings.TrimSpace(req.Memo); m != "" {
		if err := CheckText("memo", "memo", m, true); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(m) > MaxCreditNoteMemo {
			return nil, fieldErrf("memo", "at most %d characters", MaxCreditNoteMemo)
		}
		params.Memo = stripe.String(m)
	}
	params.AddMetadata(IntentMetadataKey, p.Key)
	p.Call = Call{Method: http.MethodPost, Path: "/v1/credit_notes", Form: formOf(params)}

	// Stripe's preview of exactly this request.
	prev, err := a.get(ctx, "/v1/credit_notes/preview", p.Call.Form)
	if err != nil {
		return nil, fmt.Errorf("prepare credit note: preview: %w", err)
	}
	var pv map[string]any
	if err := json.Unmarshal(prev, &pv); err != nil {
		return nil, fmt.Errorf("prepare credit note: decode preview: %w", err)
	}
	fig.Currency, fig.Left, fig.Amount, fig.Type = cur, left, num(pv, "amount"), str(pv, "type")
	if fig.Type == "post_payment" {
		fig.OutOfBand = num(pv, "out_of_band_amount")
	}
	p.Amount, p.Currency = fig.Amount, cur
	p.Lines = []Line{
		{"Action", "Issue a credit note (figures from Stripe's preview of this request)"},
		{"Invoice", p.Target + numberSuffix(str(inv, "number")) + ", " + status},
		a.customerLine(str(inv, "customer"), str(inv, "customer_name"), str(inv, "customer_email")),
		{"Invoice total", money.Format(num(inv, "total"), cur)},
		{"Left to credit", money.Format(left, cur)},
		{"Credit note", money.Format(fig.Amount, cur) + " (" + fig.Type + ")"},
		{"Credit note total", money.Format(num(pv, "total"), cur)},
	}
	if fig.Type == "pre_payment" {
		fig.DueAfter = num(inv, "amount_remaining") - fig.Amount
		p.Lines = append(p.Lines, Line{"Amount due", money.Format(num(inv, "amount_remaining"), cur) + " → " + money.Format(fig.DueAfter, cur)})
	} else {
		p.Lines = append(p.Lines,
			Line{"Refund to the card", money.Format(fig.Refund, cur)},
			Line{"Customer balance", money.Format(fig.Credit, cur) + " credit"},
			Line{"Out of band", money.Format(fig.OutOfBand, cur)})
		if words := refunds.OutsideWords(); words != "" {
			back := refunds.Outside + num(inv, "post_payment_credit_notes_amount") + fig.Amount
			p.Lines = append(p.Lines, Line{"Refunded outside", words})
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s: with this credit note %s goes back to the customer on a %s invoice",
				words, money.Format(back, cur), money.Format(num(inv, "total"), cur)))
		}
	}
	if params.Reason != nil {
		p.Lines = append(p.Lines, Line{"Reason", *params.Reason})
	}
	if params.Memo != nil {
		p.Lines = append(p.Lines, Line{"Memo", clip(*params.Memo, 50)})
	}
	p.Lines = append(p.Lines, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

// checkRefundable refuses a refund part above what the invoice's charge
// has left to refund (Stripe: amount_too_large), or when the invoice was
// paid without a charge.
func checkRefundable(r ChargeRefunds, refund int64) error {
	if r.Charge == "" {
		return fieldErr("refund_amount", "the invoice has no charge to refund (it was paid another way): use credit or out of band")
	}
	if refund > r.Refundable {
		return fieldErrf("refund_amount", "charge %s has %s left to refund", r.Charge, money.Format(r.Refundable, r.Currency))
	}
	return nil
}

// CreditNoteVoidRequest voids one credit note.
type CreditNoteVoidRequest struct {
	CreditNote string
}

// PrepareCreditNoteVoid validates voiding a credit note against its fresh
// state (GET /v1/credit_notes/{id}) and its invoice's (Stripe voids only
// an issued note of an invoice still open). The plan sends
// POST /v1/credit_notes/{id}/void and is irreversible (typed word
// "void"): the credit goes back onto the amount due.
func (a *Actions) PrepareCreditNoteVoid(ctx context.Context, op Operator, req CreditNoteVoidRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionCreditNoteVoid, req.CreditNote, &err)
	p, err := a.start(ctx, op, ActionCreditNoteVoid, strings.TrimSpace(req.CreditNote), "credit_note")
	if err != nil || p.Earlier {
		return p, err
	}
	cn, err := a.fresh(ctx, p, storage.KindCreditNote, p.Target, "status")
	if err != nil {
		return nil, err
	}
	if st := str(cn, "status"); st != "issued" {
		return nil, fieldErrf("credit_note", "credit note %s is %s: only an issued one can be voided", p.Target, orDash(st))
	}
	invID := str(cn, "invoice")
	raw, err := a.c.Retrieve(ctx, storage.KindInvoice, invID)
	if err != nil {
		return nil, fmt.Errorf("prepare credit note void: read %s from Stripe: %w", invID, err)
	}
	var inv map[string]any
	if err := json.Unmarshal(raw, &inv); err != nil {
		return nil, fmt.Errorf("prepare credit note void: decode %s: %w", invID, err)
	}
	if st := str(inv, "status"); st != "open" || str(cn, "type") != "pre_payment" {
		return nil, fieldErrf("credit_note", "invoice %s is %s: Stripe voids a credit note only while its invoice is open", invID, orDash(st))
	}
	cur := str(cn, "currency")
	p.Call = Call{Method: http.MethodPost, Path: stripe.FormatURLPath("/v1/credit_notes/%s/void", p.Target)}
	p.Amount, p.Currency, p.ConfirmTwice = num(cn, "amount"), cur, true
	p.Lines = []Line{
		{"Action", "VOID the credit note: final, it cannot be issued again"},
		{"Credit note", p.Target + numberSuffix(str(cn, "number"))},
		{"Invoice", invID + numberSuffix(str(inv, "number")) + ", open"},
		a.customerLine(str(inv, "customer"), str(inv, "customer_name"), str(inv, "customer_email")),
		{"Amount", money.Format(p.Amount, cur)},
		{"Amount due", money.Format(num(inv, "amount_remaining"), cur) + " → " + money.Format(num(inv, "amount_remaining")+p.Amount, cur)},
		{"Idempotency key", p.Key},
	}
	return a.finish(p)
}
