package storage

// Kind is the Stripe "object" value of a cached resource.
type Kind string

// The kinds paydesk caches. Their values are Stripe's own "object" strings,
// so an event's data.object routes to its bucket without a lookup table.
const (
	KindCustomer           Kind = "customer"
	KindProduct            Kind = "product"
	KindPrice              Kind = "price"
	KindSubscription       Kind = "subscription"
	KindInvoice            Kind = "invoice"
	KindCharge             Kind = "charge"
	KindRefund             Kind = "refund"
	KindDispute            Kind = "dispute"
	KindBalanceTransaction Kind = "customer_balance_transaction"
	KindPaymentIntent      Kind = "payment_intent"
	KindCoupon             Kind = "coupon"
	KindPromotionCode      Kind = "promotion_code"
	KindCreditNote         Kind = "credit_note"
)

// Kinds lists every cached kind in backfill order: parents before the
// objects that point at them.
var Kinds = []Kind{
	KindProduct, KindPrice, KindCustomer, KindSubscription, KindInvoice,
	KindPaymentIntent, KindCharge, KindRefund, KindDispute, KindBalanceTransaction,
	KindCoupon, KindPromotionCode,
	KindCreditNote,
}

// Cached reports whether objects of kind k are kept in the cache.
func (k Kind) Cached() bool {
	for _, c := range Kinds {
		if c == k {
			return true
		}
	}
	return false
}

// ParseKind accepts a kind's Stripe name or a common plural/short form
// ("customers", "subs", "balance").
func ParseKind(s string) (Kind, bool) {
	switch s {
	case "customer", "customers", "cus":
		return KindCustomer, true
	case "product", "products", "prod":
		return KindProduct, true
	case "price", "prices":
		return KindPrice, true
	case "subscription", "subscriptions", "sub", "subs":
		return KindSubscription, true
	case "invoice", "invoices", "in":
		return KindInvoice, true
	case "charge", "charges", "ch":
		return KindCharge, true
	case "refund", "refunds", "re":
		return KindRefund, true
	case "dispute", "disputes", "dp", "du":
		return KindDispute, true
	case "customer_balance_transaction", "balance_transactions", "balance", "credit", "cbtxn":
		return KindBalanceTransaction, true
	case "payment_intent", "payment_intents", "pi", "intent", "intents":
		return KindPaymentIntent, true
	case "coupon", "coupons":
		return KindCoupon, true
	case "promotion_code", "promotion_codes", "promo", "promos":
		return KindPromotionCode, true
	case "credit_note", "credit_notes", "cn", "creditnotes", "credit-notes":
		return KindCreditNote, true
	}
	return "", false
}

// KindOfID guesses a kind from a Stripe id prefix ("cus_", "sub_", ...).
func KindOfID(id string) (Kind, bool) {
	prefixes := []struct {
		p string
		k Kind
	}{
		{"cus_", KindCustomer}, {"prod_", KindProduct}, {"price_", KindPrice},
		{"sub_", KindSubscription}, {"in_", KindInvoice}, {"ch_", KindCharge},
		{"py_", KindCharge}, {"re_", KindRefund}, {"pyr_", KindRefund},
		{"dp_", KindDispute}, {"du_", KindDispute}, {"cbtxn_", KindBalanceTransaction},
		{"pi_", KindPaymentIntent}, {"promo_", KindPromotionCode}, {"cn_", KindCreditNote},
	}
	for _, e := range prefixes {
		if len(id) > len(e.p) && id[:len(e.p)] == e.p {
			return e.k, true
		}
	}
	return "", false
}
