package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// RefundReasons are the reasons Stripe accepts on a refund ("" sends none).
var RefundReasons = []string{"requested_by_customer", "duplicate", "fraudulent"}

// MaxNoteLength is Stripe's limit on a metadata value.
const MaxNoteLength = 500

// RefundRequest is what the refund form collects.
type RefundRequest struct {
	// Target is a charge (ch_) or a payment intent (pi_).
	Target string
	// Amount as the operator typed it in the charge's currency ("12.50");
	// empty refunds everything still refundable.
	Amount string
	// Currency, when set, must be the charge's currency (the form's
	// guard against typing an amount in the wrong money).
	Currency string
	// Reason is one of RefundReasons or empty.
	Reason string
	// Note is an internal note kept in the refund's metadata.
	Note string
}

// Refundable is a charge's refund position, read fresh from Stripe.
type Refundable struct {
	Charge        string
	PaymentIntent string
	Customer      string
	Currency      string
	Status        string
	Charged       int64 // amount captured
	Refunded      int64 // amount_refunded
	Refundable    int64 // Charged - Refunded
	Disputed      bool
	Card          string // "visa •4242"
	raw           json.RawMessage
	obj           map[string]any
}

// RefundableAmount reads a charge (or a payment intent's latest charge)
// from Stripe and returns how much of it can still be refunded.
func (a *Actions) RefundableAmount(ctx context.Context, target string) (Refundable, error) {
	chargeID := target
	pi := ""
	if strings.HasPrefix(target, "pi_") {
		raw, err := a.c.Retrieve(ctx, storage.KindPaymentIntent, target)
		if err != nil {
			return Refundable{}, fmt.Errorf("refundable amount: %w", err)
		}
		var obj map[string]any
		if err := json.Unmarshal(raw, &obj); err != nil {
			return Refundable{}, fmt.Errorf("refundable amount: decode %s: %w", target, err)
		}
		pi = target
		chargeID = str(obj, "latest_charge")
		if chargeID == "" {
			chargeID = str(obj, "latest_charge.id")
		}
		if chargeID == "" {
			return Refundable{}, fieldErrf("target", "payment %s has no charge to refund (status %s)", target, str(obj, "status"))
		}
	} else if !strings.HasPrefix(target, "ch_") && !strings.HasPrefix(target, "py_") {
		return Refundable{}, fieldErr("target", "refunds need a charge (ch_…) or a payment intent (pi_…)")
	}
	raw, err := a.c.Retrieve(ctx, storage.KindCharge, chargeID)
	if err != nil {
		return Refundable{}, fmt.Errorf("refundable amount: %w", err)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return Refundable{}, fmt.Errorf("refundable amount: decode %s: %w", chargeID, err)
	}
	if pi == "" {
		pi = str(obj, "payment_intent")
	}
	charged := num(obj, "amount_captured")
	if charged == 0 && boolean(obj, "captured") {
		charged = num(obj, "amount")
	}
	r := Refundable{Charge: chargeID, PaymentIntent: pi, Customer: str(obj, "customer"),
		Currency: str(obj, "currency"), Status: str(obj, "status"), Charged: charged,
		Refunded: num(obj, "amount_refunded"), Disputed: boolean(obj, "disputed"), raw: raw, obj: obj}
	r.Refundable = max(r.Charged-r.Refunded, 0)
	if brand := str(obj, "payment_method_details.card.brand"); brand != "" {
		r.Card = brand + " •" + str(obj, "payment_method_details.card.last4")
	}
	return r, nil
}

// PrepareRefund validates a refund against the charge's fresh state. The
// amount is always sent explicitly, so a refund made meanwhile by someone
// else makes Stripe refuse (amount_too_large) instead of silently
// refunding a different sum than the confirmation showed.
func (a *Actions) PrepareRefund(ctx context.Context, op Operator, req RefundRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionRefund, req.Target, &err)
	target := strings.TrimSpace(req.Target)
	p, err := a.start(ctx, op, ActionRefund, target, "target")
	if err != nil || p.Earlier {
		return p, err
	}
	rf, err := a.RefundableAmount(ctx, target)
	if err != nil {
		return nil, err
	}
	p.Fresh = rf.raw
	p.Warnings = append(p.Warnings, a.drift(storage.KindCharge, rf.Charge, rf.obj,
		[]string{"status", "amount_refunded", "refunded", "disputed"})...)
	cur := rf.Currency
	switch {
	case rf.Status == "succeeded" && rf.Charged == 0 && !boolean(rf.obj, "captured"):
		return nil, fieldErrf("target", "charge %s was authorized but never captured: nothing was collected to refund", rf.Charge)
	case rf.Status != "succeeded":
		return nil, fieldErrf("target", "charge %s did not succeed (status %s): there is nothing to refund", rf.Charge, rf.Status)
	case rf.Refundable <= 0:
		return nil, fieldErrf("amount", "charge %s is already fully refunded (%s)", rf.Charge, money.Format(rf.Refunded, cur))
	case rf.Disputed:
		return nil, fieldErrf("target", "%s", disputedNoRefund)
	}
	if c := strings.ToLower(strings.TrimSpace(req.Currency)); c != "" && c != cur {
		return nil, fieldErrf("currency", "the charge is in %s, not %s", strings.ToUpper(cur), strings.ToUpper(c))
	}
	amount := rf.Refundable
	if strings.TrimSpace(req.Amount) != "" {
		if amount, err = parseAmount("amount", req.Amount, cur); err != nil {
			return nil, err
		}
		if amount > rf.Refundable {
			return nil, fieldErrf("amount", "at most %s can be refunded (charged %s, already refunded %s)",
				money.Format(rf.Refundable, cur), money.Format(rf.Charged, cur), money.Format(rf.Refunded, cur))
		}
	}
	reason := strings.TrimSpace(req.Reason)
	if reason != "" && !contains(RefundReasons, reason) {
		return nil, fieldErrf("reason", "choose one of %s", strings.Join(RefundReasons, ", "))
	}
	note := strings.TrimSpace(req.Note)
	if err := CheckText("note", "internal note", note, false); err != nil {
		return nil, err
	}
	if len(note) > MaxNoteLength {
		return nil, fieldErrf("note", "at most %d characters (%d typed)", MaxNoteLength, len(note))
	}
	p.Call = refundCall(target, amount, reason, note, p.Key, op.Name)
	for _, id := range []string{rf.Charge, rf.PaymentIntent} {
		if id != "" && id != target {
			p.sameTargets = append(p.sameTargets, id)
		}
	}
	p.Amount, p.Currency = amount, cur
	credited, invoice, err := a.creditedBesideRefunds(ctx, rf.obj)
	if err != nil {
		return nil, fmt.Errorf("prepare refund: %w", err)
	}
	kind := "partial"
	if amount == rf.Refundable && rf.Refunded == 0 {
		kind = "full"
	} else if amount == rf.Refundable {
		kind = "everything left"
	}
	p.Lines = []Line{
		{"Refund", money.Format(amount, cur) + " (" + kind + ")"},
		{"Charge", rf.Charge + cardSuffix(rf.Card)},
		a.customerLine(rf.Customer, "", ""),
		{"Charged", money.Format(rf.Charged, cur)},
		{"Already refunded", money.Format(rf.Refunded, cur)},
		{"Refundable after", money.Format(rf.Refundable-amount, cur)},
		{"Reason", orDash(reason)},
		{"Internal note", orDash(note)},
	}
	if credited > 0 {
		words := money.Format(credited, cur) + " already given back by credit notes on invoice " + invoice + " other than by refunds (balance credit or out of band)"
		p.Lines = append(p.Lines, Line{"Credit notes", words})
		p.Warnings = append(p.Warnings, words+": Stripe does not count it against this refund")
	}
	p.Lines = append(p.Lines, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

// refundCall is the refund request: always an explicit amount, and the
// intent key, operator and note in metadata.
func refundCall(target string, amount int64, reason, note, key, operator string) Call {
	params := &stripe.RefundParams{Amount: stripe.Int64(amount)}
	if strings.HasPrefix(target, "pi_") {
		params.PaymentIntent = stripe.String(target)
	} else {
		params.Charge = stripe.String(target)
	}
	if reason != "" {
		params.Reason = stripe.String(reason)
	}
	params.AddMetadata(IntentMetadataKey, key)
	params.AddMetadata("paydesk_operator", operator)
	if note != "" {
		params.AddMetadata("paydesk_note", note)
	}
	return Call{Method: "POST", Path: "/v1/refunds", Form: formOf(params)}
}

// lookupRefund finds a refund of the intent's charge or payment intent
// carrying its paydesk_intent metadata.
func (a *Actions) lookupRefund(ctx context.Context, in storage.Intent, call Call) (string, bool, error) {
	q := []Param{{"limit", "100"}}
	if ch := call.Get("charge"); ch != "" {
		q = append(q, Param{"charge", ch})
	} else {
		q = append(q, Param{"payment_intent", call.Get("payment_intent")})
	}
	return a.findListed(ctx, "/v1/refunds", q, in.Key)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func cardSuffix(card string) string {
	if card == "" {
		return ""
	}
	return " (" + card + ")"
}
