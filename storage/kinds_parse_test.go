package storage

import "testing"

// The names people type for a kind (Stripe's object name, its plural, the
// id prefix, the word support uses) all reach the same kind.
func TestParseKindAcceptsEveryDayNames(t *testing.T) {
	for name, want := range map[string]Kind{
		"payment_intents": KindPaymentIntent, "intents": KindPaymentIntent, "pi": KindPaymentIntent,
		"credit_notes": KindCreditNote, "creditnotes": KindCreditNote, "cn": KindCreditNote,
		"promos": KindPromotionCode, "coupons": KindCoupon, "balance": KindBalanceTransaction,
	} {
		if got, ok := ParseKind(name); !ok || got != want {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if _, ok := ParseKind("intentions"); ok {
		t.Error("an unknown name must be refused")
	}
}
