package actions

import (
	"errors"
	"fmt"
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
)

// opener builds an action's page for a cached object.
type opener func(c *common.Common, env storage.Envelope) (actionForm, error)

func flowOf(open opener) func(*common.Common, storage.Envelope) (common.Page, error) {
	return func(c *common.Common, env storage.Envelope) (common.Page, error) {
		if c.Money == nil {
			return nil, common.ErrNoMoney
		}
		f, err := open(c, env)
		if err != nil {
			return nil, err
		}
		return newFlow(c, f), nil
	}
}

func invoiceOpener(a billing.Action) opener {
	return func(_ *common.Common, env storage.Envelope) (actionForm, error) {
		return &invoiceForm{env: env, act: a}, nil
	}
}

// Specs are the money actions with their keys on the detail pages.
func Specs() []common.ActionSpec {
	refund := flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) {
		return &refundForm{id: env.ID}, nil
	})
	return append([]common.ActionSpec{
		{Kind: storage.KindCharge, Key: "R", Label: "refund", Action: billing.ActionRefund, Open: refund},
		{Kind: storage.KindPaymentIntent, Key: "R", Label: "refund", Action: billing.ActionRefund, Open: refund},
		{Kind: storage.KindCustomer, Key: "C", Label: "adjust credit", Action: billing.ActionCredit,
			Open: flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) { return newCreditForm(env), nil })},
		{Kind: storage.KindSubscription, Key: "P", Label: "change plan", Action: billing.ActionPlanChange,
			Open: flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) { return newPlanForm(env), nil })},
		{Kind: storage.KindSubscription, Key: "X", Label: "cancel (now / at period end / undo)", Action: billing.ActionCancel,
			Open: flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) { return newCancelForm(env), nil })},
		{Kind: storage.KindSubscription, Key: "Z", Label: "pause / resume collection", Action: billing.ActionPause,
			Open: flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) { return newPauseForm(env), nil })},
		{Kind: storage.KindInvoice, Key: "Y", Label: "retry payment now", Action: billing.ActionInvoicePay, Open: flowOf(invoiceOpener(billing.ActionInvoicePay))},
		{Kind: storage.KindInvoice, Key: "V", Label: "void", Action: billing.ActionInvoiceVoid, Open: flowOf(invoiceOpener(billing.ActionInvoiceVoid))},
		{Kind: storage.KindInvoice, Key: "U", Label: "mark uncollectible", Action: billing.ActionInvoiceUncollect, Open: flowOf(invoiceOpener(billing.ActionInvoiceUncollect))},
		{Kind: storage.KindInvoice, Key: "S", Label: "send", Action: billing.ActionInvoiceSend, Open: flowOf(invoiceOpener(billing.ActionInvoiceSend))},
		{Kind: storage.KindDispute, Key: "E", Label: "evidence (draft or submit)", Action: billing.ActionDisputeEvidence,
			Open: flowOf(func(c *common.Common, env storage.Envelope) (actionForm, error) { return newEvidenceForm(c, env) })},
		{Kind: storage.KindInvoice, Key: "O", Label: "finalize draft", Action: billing.ActionInvoiceFinalize, Open: flowOf(invoiceOpener(billing.ActionInvoiceFinalize))},
		{Kind: storage.KindInvoice, Key: "D", Label: "delete draft", Action: billing.ActionInvoiceDelete, Open: flowOf(invoiceOpener(billing.ActionInvoiceDelete))},
		{Kind: storage.KindInvoice, Key: "N", Label: "credit note", Action: billing.ActionCreditNote,
			Open: flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) {
				return &creditNoteForm{env: env}, nil
			})},
		{Kind: storage.KindCreditNote, Key: "V", Label: "void", Action: billing.ActionCreditNoteVoid,
			Open: flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) {
				return &creditNoteVoidForm{env: env}, nil
			})},
		{Kind: storage.KindCustomer, Key: "I", Label: "new one-off invoice", Action: billing.ActionInvoiceCreate,
			Open: flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) { return newOneOffForm(env), nil })},
		{Kind: storage.KindDispute, Key: "A", Label: "accept (close)", Action: billing.ActionDisputeAccept,
			Open: flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) {
				return &disputeAcceptForm{env: env}, nil
			})},
	}, customerSpecs()...)
}

// Register adds every money action to a (the process passes
// common.DefaultActions, once, before its first session). It fails if a key
// is refused.
func Register(a *common.Actions) error {
	for _, s := range Specs() {
		if !a.Register(s) {
			return fmt.Errorf("register %s on %s: key %q refused", s.Label, s.Kind, s.Key)
		}
	}
	return nil
}

// kindOf is the kind of target among those the action's description
// (billing.ActionSpec.Kinds) names, by the id's prefix; else its first.
func kindOf(a billing.Action, target string) (storage.Kind, bool) {
	s, ok := billing.Spec(a)
	if !ok || len(s.Kinds) == 0 {
		return "", false
	}
	if k, ok := storage.KindOfID(target); ok && slices.Contains(s.Kinds, k) {
		return k, true
	}
	return s.Kinds[0], true
}

// OpenAction looks target up in the cache and opens the form of action a
// on it, or toasts why it cannot (read-only session, role, offline, not
// cached). The root model routes common.ActionRequestMsg here.
func OpenAction(c *common.Common, a billing.Action, target string) tea.Cmd {
	kind, ok := kindOf(a, target)
	if !ok {
		return common.Toast(common.ToastError, "unknown money action "+string(a))
	}
	var spec *common.ActionSpec
	for _, s := range Specs() {
		if s.Kind == kind && s.Action == a {
			spec = &s
			break
		}
	}
	if spec == nil {
		return common.Toast(common.ToastError, "no form for "+string(a))
	}
	if ok, why := c.CanAct(a); !ok {
		return common.Toast(common.ToastWarn, spec.Label+" unavailable: "+why)
	}
	env, err := c.Store.Get(kind, target)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return common.Toast(common.ToastWarn, spec.Label+": "+common.NotCached(target)+" (press r on it to fetch it)")
		}
		return common.Toast(common.ToastError, spec.Label+": "+err.Error())
	}
	return spec.Start(c, env)
}
