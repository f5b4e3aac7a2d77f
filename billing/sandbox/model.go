package sandbox

// Objects are stored as compact structs indexed by their sequence number
// (the id is derived from it, see ids.go) and rendered to Stripe JSON only
// when a request or an event needs them. Cross references are indexes; -1
// means none. Timestamps are unix seconds on the sandbox clock.

// Currencies supported by the seeded catalogue.
const (
	curUSD uint8 = iota
	curEUR
	curGBP
	curJPY
	numCurrencies
)

var currencyCodes = [numCurrencies]string{"usd", "eur", "gbp", "jpy"}

func currencyIndex(code string) (uint8, bool) {
	for i, c := range currencyCodes {
		if c == code {
			return uint8(i), true
		}
	}
	return 0, false
}

// Test payment methods, as in Stripe test mode.
const (
	pmNone uint8 = iota
	pmVisa
	pmMastercard
	pmDeclined
	pmInsufficient
	pmExpired
	pmAuthRequired
	numPMs
)

var pmIDs = [numPMs]string{"", "pm_card_visa", "pm_card_mastercard", "pm_card_chargeDeclined",
	"pm_card_chargeDeclinedInsufficientFunds", "pm_card_chargeDeclinedExpiredCard", "pm_card_authenticationRequired"}
var pmLast4 = [numPMs]string{"", "4242", "4444", "0002", "9995", "0069", "3184"}
var pmBrand = [numPMs]string{"", "visa", "mastercard", "visa", "visa", "visa", "visa"}

func pmIndex(id string) (uint8, bool) {
	for i, p := range pmIDs {
		if i > 0 && p == id {
			return uint8(i), true
		}
	}
	return 0, false
}

// Decline reasons recorded on failed charges.
const (
	dcNone uint8 = iota
	dcGeneric
	dcInsufficient
	dcDoNotHonor
	dcLostCard
	dcExpired
	dcProcessing
	dcAuthRequired
	numDeclines
)

var declineFailureCode = [numDeclines]string{"", "card_declined", "card_declined", "card_declined", "card_declined", "expired_card", "processing_error", "authentication_required"}
var declineCode = [numDeclines]string{"", "generic_decline", "insufficient_funds", "do_not_honor", "lost_card", "expired_card", "", "authentication_required"}
var declineMessage = [numDeclines]string{"",
	"Your card was declined.",
	"Your card has insufficient funds.",
	"Your card was declined.",
	"Your card was declined.",
	"Your card has expired.",
	"An error occurred while processing your card. Try again in a little bit.",
	"Your card was declined. This transaction requires authentication.",
}

// declineFor tells how a charge on payment method pm ends: dcNone succeeds.
func declineFor(pm uint8) uint8 {
	switch pm {
	case pmDeclined:
		return dcGeneric
	case pmInsufficient:
		return dcInsufficient
	case pmExpired:
		return dcExpired
	case pmAuthRequired:
		return dcAuthRequired
	case pmNone:
		return dcGeneric
	}
	return dcNone
}

type product struct {
	created int64
	name    string
	desc    string
	active  bool
	meta    map[string]string
}

type price struct {
	product  int32
	created  int64
	currency uint8
	yearly   bool
	amount   int64
	active   bool
	lookup   string
	nickname string
}

type customer struct {
	created int64
	balance int64
	cur     uint8 // currency; only meaningful when hasCur
	hasCur  bool
	pm      uint8
	deleted bool
	nextInv uint32 // next invoice sequence number
	// heads of per-customer lists, newest first, linked through prevCust.
	lastSub, lastInv, lastCharge, lastTxn int32
	ext                                   *customerExt
}

type customerExt struct {
	name, email, description, phone *string
	meta                            map[string]string
	address                         *[len(addressParts)]string // nil: no address
}

// Subscription statuses.
const (
	stIncomplete uint8 = iota
	stIncompleteExpired
	stTrialing
	stActive
	stPastDue
	stCanceled
	stUnpaid
	stPaused
	numStatuses
)

var subStatusNames = [numStatuses]string{"incomplete", "incomplete_expired", "trialing", "active", "past_due", "canceled", "unpaid", "paused"}

type subItem struct {
	id      uint32
	price   int32
	qty     int64
	created int64
}

type subscription struct {
	customer             int32
	created, start       int64
	anchor               int64
	periodStart          int64
	periodEnd            int64
	trialStart, trialEnd int64
	canceledAt, endedAt  int64
	cancelAt             int64
	items                []subItem
	status               uint8
	cancelAtPeriodEnd    bool
	pause                uint8 // 0 none, else index into pauseBehaviors
	pauseResumesAt       int64
	cancelReason         uint8 // 0 none, 1 cancellation_requested, 2 payment_failed
	latestInvoice        int32
	prevCust             int32
	lastInv              int32
	meta                 map[string]string
	pending              []invLine // prorations waiting for the next invoice
}

var pauseBehaviors = []string{"", "keep_as_draft", "mark_uncollectible", "void"}
var cancelReasons = []string{"", "cancellation_requested", "payment_failed"}

func (s *subscription) currency(p []price) uint8 {
	if len(s.items) == 0 {
		return curUSD
	}
	return p[s.items[0].price].currency
}

// Invoice statuses.
const (
	invDraft uint8 = iota
	invOpen
	invPaid
	invVoid
	invUncollectible
)

var invStatusNames = []string{"draft", "open", "paid", "void", "uncollectible"}

// Billing reasons.
const (
	brCycle uint8 = iota
	brCreate
	brUpdate
	brManual
)

var billingReasons = []string{"subscription_cycle", "subscription_create", "subscription_update", "manual"}

type invLine struct {
	id          uint32
	amount      int64
	price       int32
	qty         int64
	item        uint32 // subscription item id seq
	start, end  int64
	proration   bool
	description string
}

type invoice struct {
	customer, sub          int32
	created                int64
	periodStart, periodEnd int64
	statusAt               int64 // when the current terminal status was reached
	finalizedAt            int64 // when a draft was finalized (0: created open, at created)
	nextAttempt            int64
	total                  int64
	amountPaid             int64
	startingBalance        int64 // customer balance applied (<= 0)
	charge                 int32 // latest charge
	prevCust, prevSub      int32
	number                 uint32
	currency               uint8
	status                 uint8
	reason                 uint8
	attempts               uint8
	lastDecline            uint8
	price                  int32 // default single line (when lines is nil)
	qty                    int32
	lines                  []invLine // explicit lines; nil = one line of price × qty
	meta                   map[string]string
	deleted                bool // a one-off draft deleted (DELETE /v1/invoices/{id})
	// preCN and postCN are the credit notes issued while it was open
	// (they lower amount_due) and once paid.
	preCN, postCN int64
	// disc is the discount applied when the invoice was built (hasDisc),
	// discount its amount, already taken off total.
	disc     discountState
	hasDisc  bool
	discount int64
}

// subtotal is the invoice's amount before its discount.
func (in *invoice) subtotal() int64 { return in.total + in.discount }

// endingBalance is the customer balance left after finalization applied
// starting_balance (docs: api/invoices/object, ending_balance): a credit
// (negative) covers at most the total, an owed balance (positive) is added
// in full. It is fixed at finalization: credit notes issued later lower
// amount_due (pre-payment) or credit the customer through their own balance
// transaction (post-payment), never this figure.
func (in *invoice) endingBalance() int64 {
	if in.startingBalance >= 0 {
		return 0
	}
	return min(in.startingBalance+in.total, 0)
}

func (in *invoice) amountDue() int64 {
	d := in.total + in.startingBalance - in.preCN
	if d < 0 {
		return 0
	}
	return d
}

// Charge statuses.
const (
	chSucceeded uint8 = iota
	chFailed
)

type charge struct {
	created        int64
	amount         int64
	amountRefunded int64
	invoice        int32
	customer       int32
	prevCust       int32
	dispute        int32
	currency       uint8
	status         uint8
	decline        uint8
	pm             uint8
}

type refund struct {
	created  int64
	amount   int64
	charge   int32
	currency uint8
	reason   uint8
	meta     map[string]string
}

var refundReasons = []string{"", "duplicate", "fraudulent", "requested_by_customer"}

// Dispute statuses.
const (
	dsWarningNeedsResponse uint8 = iota
	dsWarningUnderReview
	dsWarningClosed
	dsNeedsResponse
	dsUnderReview
	dsWon
	dsLost
	numDisputeStatuses
)

var disputeStatusNames = [numDisputeStatuses]string{"warning_needs_response", "warning_under_review", "warning_closed", "needs_response", "under_review", "won", "lost"}

var disputeReasons = []string{"fraudulent", "product_not_received", "subscription_canceled", "duplicate", "credit_not_processed", "unrecognized", "general"}

type dispute struct {
	created     int64
	dueBy       int64
	amount      int64
	charge      int32
	currency    uint8
	status      uint8
	reason      uint8
	submissions uint8
	evidence    map[string]string
	meta        map[string]string
}

// Customer balance transaction types.
var balanceTxnTypes = []string{"adjustment", "applied_to_invoice", "credit_note", "initial", "invoice_too_small", "unapplied_from_invoice"}

const (
	btAdjustment uint8 = iota
	btAppliedToInvoice
)

// btUnappliedFromInvoice is the type of the transaction that returns a
// voided invoice's applied balance (balanceTxnTypes[5]).
const btUnappliedFromInvoice uint8 = 5

type balanceTxn struct {
	created       int64
	amount        int64
	endingBalance int64
	customer      int32
	prevCust      int32
	invoice       int32
	currency      uint8
	typ           uint8
	description   string
	meta          map[string]string
}

type file struct {
	created  int64
	filename string
	purpose  string
	size     int64
	mime     string
}

type endpoint struct {
	created int64
	url     string
	secret  string
	desc    string
}
