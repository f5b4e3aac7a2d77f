package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// ActionSpec describes one money action in one place: what it is called,
// the object kinds it acts on, the least role allowed to run it, the
// target states Stripe accepts it in, the endpoints it may call, whether
// its effect can be undone, and how its outcome is looked up on Stripe
// after a lost answer. Key hints, help, forms, the CLI, role checks,
// Execute's endpoint check and Resume all read it (see Spec).
type ActionSpec struct {
	Action Action
	// Name is the action in words ("refund", "plan change").
	Name string
	// Kinds are the object kinds it targets (a refund: charge or payment
	// intent).
	Kinds []storage.Kind
	// MinRole is the least role allowed to perform it.
	MinRole Role
	// States are the target's Stripe statuses the action applies to
	// (nil: any status); Applies adds the rules a status alone misses.
	States []string
	// Endpoints are "METHOD /v1/path/%s" patterns (%s is the target) of
	// every call the action may make.
	Endpoints []string
	// Irreversible reports whether a call cannot be undone once Stripe
	// applied it (void, mark uncollectible, cancel now, submit evidence):
	// the confirmation asks for Word to be typed.
	Irreversible func(Call) bool
	// Word is what an operator types to confirm an irreversible call.
	Word string
	// lookup finds the outcome of a pending intent on Stripe: the id of
	// what it created or changed and whether it happened at all.
	lookup func(a *Actions, ctx context.Context, in storage.Intent, call Call) (string, bool, error)
	// applies adds state rules beyond the status (nil: none); it returns
	// why the action does not apply, or "".
	applies func(obj map[string]any) string
	// Repeat is, for an action of which each request makes a new object
	// that moves money (a refund, a balance transaction, a credit note,
	// an invoice), what makes two requests the same money: an identity
	// built from the target, the amount (signed, minor units), the
	// currency and the call, free text (note, reason, description, memo,
	// metadata) left out. A new plan whose identity equals that of an
	// intent that succeeded within RepeatWindow is a repeat: the
	// confirmation warns and Confirm refuses it unless asked again.
	// nil for the others, and NoRepeat says why.
	Repeat func(target string, amount int64, currency string, call Call) string
	// NoRepeat says why a second identical request of an action without
	// Repeat cannot move money twice (Stripe's state rules refuse it, or
	// it sets a state already set, or it moves no money).
	NoRepeat string
}

var never = func(Call) bool { return false }

// actionSpecs is the one description of every money action.
var actionSpecs = []ActionSpec{
	{Action: ActionRefund, Name: "refund", Kinds: []storage.Kind{storage.KindCharge, storage.KindPaymentIntent},
		Repeat:  sameMoney,
		MinRole: RoleFinance, States: []string{"succeeded"}, Endpoints: []string{"POST /v1/refunds"},
		Irreversible: never, lookup: (*Actions).lookupRefund, applies: refundApplies},
	{Action: ActionCredit, Name: "credit adjustment", Kinds: []storage.Kind{storage.KindCustomer},
		Repeat:  sameMoney,
		MinRole: RoleSupport, Endpoints: []string{"POST /v1/customers/%s/balance_transactions"},
		Irreversible: never, lookup: func(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
			return a.lookupCredit(ctx, in)
		}, applies: notDeleted},
	{Action: ActionPlanChange, Name: "plan change", Kinds: []storage.Kind{storage.KindSubscription},
		NoRepeat: "it sets the item's price and quantity: a repeat finds them set and nothing is prorated",
		MinRole:  RoleFinance, States: []string{"active", "trialing", "past_due"},
		Endpoints: []string{"POST /v1/subscriptions/%s"}, Irreversible: never, lookup: lookupSubscriptionMetadata},
	{Action: ActionCancel, Name: "cancellation", Kinds: []storage.Kind{storage.KindSubscription},
		NoRepeat: "Stripe refuses to cancel a canceled subscription; cancelling at period end twice is refused here",
		MinRole:  RoleFinance, States: liveSubscription,
		Endpoints:    []string{"POST /v1/subscriptions/%s", "DELETE /v1/subscriptions/%s"},
		Irreversible: func(c Call) bool { return c.Method == http.MethodDelete }, Word: "cancel",
		lookup: (*Actions).lookupCancel},
	{Action: ActionPause, Name: "pause or resume of collection", Kinds: []storage.Kind{storage.KindSubscription},
		NoRepeat: "pausing paused collection is refused here; it moves no money",
		MinRole:  RoleFinance, States: []string{"active", "trialing", "past_due", "unpaid"},
		Endpoints: []string{"POST /v1/subscriptions/%s"}, Irreversible: never, lookup: lookupSubscriptionMetadata},
	{Action: ActionInvoicePay, Name: "payment retry", Kinds: []storage.Kind{storage.KindInvoice},
		NoRepeat: "Stripe refuses to pay a paid invoice (invoice_already_paid)",
		MinRole:  RoleFinance, States: []string{"open", "uncollectible"},
		Endpoints: []string{"POST /v1/invoices/%s/pay"}, Irreversible: never, lookup: lookupInvoiceState},
	{Action: ActionInvoiceVoid, Name: "void", Kinds: []storage.Kind{storage.KindInvoice},
		NoRepeat: "Stripe refuses to void a void invoice",
		MinRole:  RoleFinance, States: []string{"open", "uncollectible"},
		Endpoints: []string{"POST /v1/invoices/%s/void"}, Irreversible: always, Word: "void", lookup: lookupInvoiceState},
	{Action: ActionInvoiceUncollect, Name: "mark uncollectible", Kinds: []storage.Kind{storage.KindInvoice},
		NoRepeat: "only an open invoice can be marked uncollectible",
		MinRole:  RoleFinance, States: []string{"open"},
		Endpoints: []string{"POST /v1/invoices/%s/mark_uncollectible"}, Irreversible: always, Word: "uncollectible", lookup: lookupInvoiceState},
	{Action: ActionInvoiceSend, Name: "invoice email", Kinds: []storage.Kind{storage.KindInvoice},
		NoRepeat: "an email moves no money",
		MinRole:  RoleFinance, States: []string{"open"},
		Endpoints: []string{"POST /v1/invoices/%s/send"}, Irreversible: never, lookup: lookupInvoiceState},
	{Action: ActionDisputeEvidence, Name: "dispute evidence", Kinds: []storage.Kind{storage.KindDispute},
		NoRepeat: "evidence moves no money, and submitted evidence cannot change",
		MinRole:  RoleSupport, States: []string{"needs_response", "warning_needs_response"},
		Endpoints:    []string{"POST /v1/disputes/%s"},
		Irreversible: func(c Call) bool { return c.Get("submit") == "true" }, Word: "submit",
		applies: func(obj map[string]any) string {
			if num(obj, "evidence_details.submission_count") > 0 {
				return "evidence was already submitted (status " + str(obj, "status") + "): it cannot be changed"
			}
			return ""
		},
		lookup: func(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
			return a.lookupMetadata(ctx, storage.KindDispute, in)
		}},
}

func always(Call) bool { return true }

func lookupSubscriptionMetadata(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
	return a.lookupMetadata(ctx, storage.KindSubscription, in)
}

func lookupInvoiceState(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
	return a.lookupInvoice(ctx, in)
}

// Spec returns the description of act; ok is false for an unknown action.
func Spec(act Action) (ActionSpec, bool) {
	for _, s := range actionSpecs {
		if s.Action == act {
			return s, true
		}
	}
	return ActionSpec{}, false
}

// mustSpec is Spec for the actions this package defines.
func mustSpec(act Action) ActionSpec {
	s, _ := Spec(act)
	return s
}

// NotApplicable says why act cannot be taken on a kind object whose JSON
// is raw (cached or fresh), by its ActionSpec's state rules; "" when it
// can. Key hints and forms use it so that nothing Stripe would refuse is
// offered.
func NotApplicable(act Action, kind storage.Kind, raw json.RawMessage) string {
	s, ok := Spec(act)
	if !ok {
		return "unknown action " + string(act)
	}
	return s.Applies(kind, raw)
}

// Specs returns every action's description, in a stable order.
func Specs() []ActionSpec { return slices.Clone(actionSpecs) }

// actionName is the action in words, or its id when unknown.
func actionName(act Action) string {
	if s, ok := Spec(act); ok {
		return s.Name
	}
	return string(act)
}

// irreversible reports whether call of act cannot be undone.
func irreversible(act Action, call Call) bool {
	s, ok := Spec(act)
	return ok && s.Irreversible(call)
}

// Applies reports whether the action can be taken on obj (the raw JSON of
// a cached or fresh object of one of its kinds), following Stripe's state
// rules: "" when it applies, else why not ("invoice is paid: a payment
// retry applies only when open or uncollectible").
func (s ActionSpec) Applies(kind storage.Kind, raw json.RawMessage) string {
	if !slices.Contains(s.Kinds, kind) {
		return fmt.Sprintf("%s does not apply to a %s", s.Name, kind)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "the object cannot be read"
	}
	if boolean(obj, "deleted") {
		return "it was deleted"
	}
	if s.applies != nil {
		if why := s.applies(obj); why != "" {
			return why
		}
	}
	if len(s.States) > 0 {
		st := str(obj, "status")
		if !slices.Contains(s.States, st) {
			return fmt.Sprintf("%s is %s: %s applies only when %s", kind, orDash(st), s.Name, strings.Join(s.States, " or "))
		}
	}
	return ""
}

// refundApplies: a charge needs something captured and not yet refunded
// (Stripe: charge_already_refunded); a payment intent's status is enough
// here, its charge is read when the form is prepared.
func refundApplies(obj map[string]any) string {
	if str(obj, "object") != "charge" || str(obj, "status") != "succeeded" {
		return "" // the status rule says why
	}
	captured := num(obj, "amount_captured")
	if captured == 0 && boolean(obj, "captured") {
		captured = num(obj, "amount")
	}
	switch {
	case captured == 0:
		return "charge was never captured: nothing to refund"
	case boolean(obj, "refunded") || num(obj, "amount_refunded") >= captured:
		return "charge is already fully refunded"
	case boolean(obj, "disputed"):
		return disputedNoRefund
	}
	return ""
}

// disputedNoRefund says why a disputed charge is not refunded: Stripe
// refuses it with charge_disputed (https://docs.stripe.com/error-codes#charge-disputed).
const disputedNoRefund = "charge is disputed: Stripe refuses refunds on it (charge_disputed); answer the dispute instead"

func notDeleted(obj map[string]any) string {
	if boolean(obj, "deleted") {
		return "it was deleted"
	}
	return ""
}

// checkCall refuses a call the action may not make on its target (a plan
// not built by Prepare).
func checkCall(act Action, target string, call Call) error {
	if target == "" {
		return fmt.Errorf("%w: no target", ErrBadPlan)
	}
	s, ok := Spec(act)
	if !ok {
		return fmt.Errorf("%w: unknown action %q", ErrBadPlan, act)
	}
	if act == ActionRefund && call.Get("charge") != target && call.Get("payment_intent") != target {
		return fmt.Errorf("%w: refund of %s does not name it", ErrBadPlan, target)
	}
	if act == ActionPortalLink && call.Get("customer") != target {
		return fmt.Errorf("%w: portal link for %s names customer %q", ErrBadPlan, target, call.Get("customer"))
	}
	if act == ActionCreditNote && call.Get("invoice") != target {
		return fmt.Errorf("%w: credit note on %s does not name it", ErrBadPlan, target)
	}
	if len(call.Steps) > 0 || act == ActionInvoiceCreate {
		return checkSteps(s, target, call)
	}
	for _, e := range s.Endpoints {
		method, path, _ := strings.Cut(e, " ")
		if strings.Contains(path, "%s") {
			path = stripe.FormatURLPath(path, target)
		}
		if call.Method == method && call.Path == path {
			return nil
		}
	}
	return fmt.Errorf("%w: %s cannot send %s %s", ErrBadPlan, act, call.Method, call.Path)
}

// lookup looks for the outcome of an intent on Stripe, as its action's
// description says: the object carrying its paydesk_intent metadata, or
// the target already in the state the call aimed at. found is false when
// Stripe shows no trace of it.
func (a *Actions) lookup(ctx context.Context, in storage.Intent, call Call) (id string, found bool, err error) {
	s, ok := Spec(Action(in.Action))
	if !ok || s.lookup == nil {
		return "", false, fmt.Errorf("no lookup for action %q", in.Action)
	}
	return s.lookup(a, ctx, in, call)
}
