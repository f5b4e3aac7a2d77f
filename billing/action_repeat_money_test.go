package billing

import (
	"context"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// TestEveryActionSaysWhyItCannotMoveMoneyTwice: each money action either
// names what makes two of its requests the same money (Repeat) or says why
// a second one cannot move money again (NoRepeat), never both, never
// neither; the ones that make a new object that moves money each time
// have a Repeat.
func TestEveryActionSaysWhyItCannotMoveMoneyTwice(t *testing.T) {
	t.Parallel()
	for _, s := range Specs() {
		if (s.Repeat == nil) == (s.NoRepeat == "") {
			t.Errorf("%s: Repeat set %v, NoRepeat %q: exactly one of them", s.Action, s.Repeat != nil, s.NoRepeat)
		}
	}
	for _, act := range []Action{ActionRefund, ActionCredit, ActionCreditNote, ActionInvoiceCreate} {
		if mustSpec(act).Repeat == nil {
			t.Errorf("%s makes a new object that moves money but has no Repeat identity", act)
		}
	}
}

// TestSameMoneyIsARepeatWhateverTheWords: a second refund of the same sum
// on the same charge with another reason and note, a second credit of the
// same sum with another description, a second credit note of the same
// total on the same invoice with another reason and memo, and a second
// one-off invoice of the same total with other descriptions are each named
// as a repeat of the first (warning, Repeats, Confirm refuses without
// again); another amount, or a credit in the other direction, is not. A
// refund on a charge after the same on its payment intent is a repeat.
func TestSameMoneyIsARepeatWhateverTheWords(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	ch := e.refundableCharge("")
	cus := e.aCustomer()
	paid := e.paidInvoiceWithCharge()
	billed := cus // another action on the same customer: not a repeat of the credit

	cases := []struct {
		name          string
		first, second func() (*Plan, error)
		other         func() (*Plan, error) // not a repeat
	}{
		{"refund with another reason and note",
			func() (*Plan, error) {
				return e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch, Amount: "3.50", Reason: "requested_by_customer", Note: "late parcel"})
			},
			func() (*Plan, error) {
				return e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch, Amount: "3.50"})
			},
			func() (*Plan, error) {
				return e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: ch, Amount: "3.51"})
			}},
		{"credit with another description",
			func() (*Plan, error) {
				return e.acts.PrepareCredit(ctx, support, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "7", Description: "goodwill"})
			},
			func() (*Plan, error) {
				return e.acts.PrepareCredit(ctx, support, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "7.00", Description: "sorry"})
			},
			func() (*Plan, error) {
				return e.acts.PrepareCredit(ctx, support, CreditRequest{Customer: cus, Direction: DirectionDebit, Amount: "7", Description: "goodwill"})
			}},
		{"credit note with another reason and memo",
			func() (*Plan, error) {
				return e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: paid, Amount: "1", OutOfBand: "1", Reason: "duplicate"})
			},
			func() (*Plan, error) {
				return e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: paid, Amount: "1", OutOfBand: "1", Memo: "second thoughts"})
			},
			func() (*Plan, error) {
				return e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: paid, Amount: "2", OutOfBand: "2"})
			}},
		{"one-off invoice with other descriptions",
			func() (*Plan, error) {
				return e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: billed, Items: twoItems})
			},
			func() (*Plan, error) {
				return e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: billed,
					Items: []OneOffItem{{Amount: "150", Description: "Workshop and travel"}}})
			},
			func() (*Plan, error) {
				return e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: billed, Items: twoItems[:1]})
			}},
	}
	for _, tc := range cases {
		first := mustPlan(t)(tc.first())
		if first.Repeats != nil {
			t.Fatalf("%s: first plan flagged as a repeat: %v", tc.name, first.Warnings)
		}
		r := mustExec(t, e.acts, first)
		second := mustPlan(t)(tc.second())
		if second.Repeats == nil || second.Repeats.Key != first.Key {
			t.Errorf("%s: not named as a repeat of %s: %v", tc.name, first.Key, second.Warnings)
			continue
		}
		if !strings.Contains(strings.Join(second.Warnings, "\n"), "already went through") ||
			!strings.Contains(strings.Join(second.Warnings, "\n"), r.ResultID) {
			t.Errorf("%s: warnings %q do not name %s", tc.name, second.Warnings, r.ResultID)
		}
		if err := e.acts.Confirm(second, false); err == nil || !strings.Contains(ExplainAction(err), r.ResultID) {
			t.Errorf("%s: Confirm without again: %v", tc.name, err)
		}
		if err := e.acts.Confirm(second, true); err != nil {
			t.Errorf("%s: Confirm again: %v", tc.name, err)
		}
		if other := mustPlan(t)(tc.other()); other.Repeats != nil {
			t.Errorf("%s: other money flagged as a repeat: %v", tc.name, other.Warnings)
		}
	}

	// A refund asked for on the payment intent, then on its charge: the
	// same money.
	viaPI := e.find(storage.KindCharge, "refundable with a payment intent", func(m map[string]any) bool {
		return str(m, "status") == "succeeded" && num(m, "amount_refunded") == 0 && !boolean(m, "disputed") &&
			num(m, "amount") > 1000 && str(m, "payment_intent") != "" && str(m, "id") != ch
	})
	pi := str(e.obj(storage.KindCharge, viaPI), "payment_intent")
	first := mustExec(t, e.acts, mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: pi, Amount: "2"})))
	if again := mustPlan(t)(e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: viaPI, Amount: "2", Note: "other words"})); again.Repeats == nil ||
		again.Repeats.Key != first.Key {
		t.Errorf("refund on %s after the same on its payment intent %s: not a repeat: %v", viaPI, pi, again.Warnings)
	}
}
