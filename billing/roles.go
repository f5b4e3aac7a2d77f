package billing

import (
	"fmt"
	"strings"
)

// Role is what a staff member may do. Roles are ordered: each one may do
// everything the roles before it may.
type Role string

const (
	RoleViewer  Role = "viewer"  // browses
	RoleSupport Role = "support" // + credit adjustments, dispute evidence
	RoleFinance Role = "finance" // + refunds, plan changes, cancellations, invoice actions
	RoleAdmin   Role = "admin"   // everything
)

// Action names one kind of mutation. The names are also the intent and
// audit action strings.
type Action string

const (
	ActionRefund           Action = "refund"
	ActionPlanChange       Action = "plan_change"
	ActionCancel           Action = "cancel"           // now, at period end, or undo at period end
	ActionPause            Action = "pause_collection" // pause or resume collection
	ActionCredit           Action = "credit"           // customer balance adjustment
	ActionInvoicePay       Action = "invoice_pay"
	ActionInvoiceVoid      Action = "invoice_void"
	ActionInvoiceUncollect Action = "invoice_mark_uncollectible"
	ActionInvoiceSend      Action = "invoice_send"
	ActionDisputeEvidence  Action = "dispute_evidence" // draft or submit
)

// minRole is the least role allowed to perform an action, from its
// description (ActionSpec.MinRole); "" for an unknown action.
func minRole(a Action) Role {
	if s, ok := Spec(a); ok {
		return s.MinRole
	}
	return ""
}

var roleRank = map[Role]int{RoleViewer: 1, RoleSupport: 2, RoleFinance: 3, RoleAdmin: 4}

// ParseRole reads a role name as written in an authorized-keys file or a
// flag.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := roleRank[r]; !ok {
		return "", fmt.Errorf("unknown role %q (want viewer, support, finance or admin)", s)
	}
	return r, nil
}

// Can reports whether the role may perform the action. Unknown roles and
// unknown actions are refused.
func (r Role) Can(a Action) bool {
	need := minRole(a)
	if need == "" {
		return false
	}
	return roleRank[r] >= roleRank[need]
}

// Operator is who performs a mutation: the name written into intents and
// the audit log, and the role that bounds what they may do. Local
// sessions are "$USER@host" with RoleAdmin unless --read-only makes them
// viewers; SSH sessions are the key's comment and fingerprint with the
// key's role.
type Operator struct {
	Name string
	Role Role
}

// ErrForbidden is returned (wrapped) when an operator's role does not allow
// an action; nothing was sent to Stripe.
var ErrForbidden = fmt.Errorf("not allowed for this role")

// Authorize returns nil when op may perform a, or an error naming the role
// that is needed.
func (op Operator) Authorize(a Action) error {
	if op.Role.Can(a) {
		return nil
	}
	need := minRole(a)
	if need == "" {
		return fmt.Errorf("%s: unknown action: %w", a, ErrForbidden)
	}
	return fmt.Errorf("%s needs the %s role, %s has %s: %w", a, need, op.Name, op.roleName(), ErrForbidden)
}

func (op Operator) roleName() string {
	if op.Role == "" {
		return "none"
	}
	return string(op.Role)
}
