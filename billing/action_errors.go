package billing

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/stripe/stripe-go/v76"
)

// FieldError is a validation failure that belongs to one form field
// ("amount", "reason", "price", ...), worded to be shown under it. Nothing
// was sent to Stripe.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldErr(field, msg string) *FieldError { return &FieldError{Field: field, Message: msg} }

func fieldErrf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// AsFieldError returns the FieldError in err's chain, if any.
func AsFieldError(err error) (*FieldError, bool) {
	var fe *FieldError
	ok := errors.As(err, &fe)
	return fe, ok
}

var (
	// ErrPlanExpired is returned by Execute for a plan prepared more than
	// PlanTTL ago that was never sent: Stripe's state may have moved on,
	// so the form must prepare it again.
	ErrPlanExpired = errors.New("the confirmation is too old: review it again")
	// ErrAlreadyFailed is returned (wrapped, with the stored reason) when a
	// plan or intent whose call Stripe already refused is executed again;
	// nothing is sent. Fix the form and prepare a new plan.
	ErrAlreadyFailed = errors.New("Stripe already refused this request")
	// ErrOutcomeUnknown is matched by Execute and Resume errors when the
	// call may or may not have reached Stripe (network failure, timeout,
	// Stripe 5xx or 429): the intent stays pending, and retrying it with
	// the same key cannot apply it twice. errors.Is(err, ErrOffline)
	// still tells a network failure apart.
	ErrOutcomeUnknown = errors.New("outcome unknown")
	// ErrBadPlan is returned (wrapped) for a plan that was not built by a
	// Prepare call of this package (wrong endpoint for its action, no key).
	ErrBadPlan = errors.New("malformed plan")
)

// ExplainAction turns an error from a money action into one sentence for
// the form: validation and role refusals as they are, Stripe refusals in
// plain words (declines with their code, a restricted key's missing
// permission, a dispute already submitted, an amount above what is left,
// a reused idempotency key), and "nothing was lost" for network failures.
// It never contains key material.
func ExplainAction(err error) string {
	if err == nil {
		return ""
	}
	if fe, ok := AsFieldError(err); ok {
		return upperFirst(fe.Message) + "."
	}
	var ee *EarlierError
	if errors.As(err, &ee) {
		return upperFirst(redact(ee.Error())) + "."
	}
	var re *RepeatError
	if errors.As(err, &re) {
		return upperFirst(redact(re.Error())) + "."
	}
	switch {
	case errors.Is(err, ErrForbidden):
		return "Not allowed: " + redact(err.Error()) + ". Nothing was sent to Stripe."
	case errors.Is(err, ErrPlanExpired):
		return "This confirmation is too old: review the fresh state and confirm again."
	case errors.Is(err, ErrAlreadyFailed), errors.Is(err, ErrBadPlan):
		return redact(err.Error())
	case errors.Is(err, ErrOutcomeUnknown):
		why := "Stripe did not answer"
		if se := stripeError(err); se != nil {
			why = fmt.Sprintf("Stripe answered %d", se.HTTPStatusCode)
		} else if ce := callError(err); ce != nil {
			// Name the call and its network cause (an upload host that
			// cannot be resolved is not "Stripe did not answer").
			why = fmt.Sprintf("Stripe did not answer (%s %s: %s)", ce.Method, ce.Path, networkCause(ce.Err))
			if ce.Path == "/v1/files" {
				why = fmt.Sprintf("The evidence file could not be uploaded (%s %s: %s)", ce.Method, ce.Path, networkCause(ce.Err))
			}
		}
		return why + ": the request is saved as pending and is retried with the same idempotency key, so it cannot be applied twice."
	case IsOffline(err):
		return "Stripe could not be reached: nothing was sent; try again when online."
	}
	se := stripeError(err)
	if se == nil {
		return Explain(err)
	}
	msg := redact(se.Msg)
	switch {
	case se.Type == stripe.ErrorTypeCard:
		// Stripe records the declined attempt: attempt_count goes up and
		// Smart Retries may move next_payment_attempt.
		return explainCard(se) + " The invoice stays open; Stripe counted this attempt and may reschedule its next automatic retry."
	case se.Code == stripe.ErrorCodeChargeAlreadyRefunded:
		return "This charge has already been fully refunded: nothing is left to refund."
	case se.Code == stripe.ErrorCodeAmountTooLarge:
		return "Amount too large: " + strings.TrimSuffix(msg, ".") + "."
	case se.Code == stripe.ErrorCodeChargeDisputed:
		return "This charge is disputed: it cannot be refunded while the dispute is open; respond to the dispute instead."
	case se.Code == "invoice_already_paid":
		return "This invoice is already paid."
	case isDisputeSubmitted(se):
		return "This dispute's evidence was already submitted: Stripe accepts one submission, it cannot be changed now."
	case se.HTTPStatusCode == http.StatusForbidden:
		return Explain(err)
	}
	return Explain(err)
}

func isDisputeSubmitted(se *stripe.Error) bool {
	m := strings.ToLower(se.Msg)
	return strings.Contains(m, "already been submitted") ||
		(strings.Contains(m, "dispute") && strings.Contains(m, "already closed"))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func callError(err error) *CallError {
	var ce *CallError
	if errors.As(err, &ce) {
		return ce
	}
	return nil
}

// networkCause is the innermost network error in words ("lookup
// files.stripe.com: no such host", "connection refused").
func networkCause(err error) string {
	var de *net.DNSError
	if errors.As(err, &de) {
		return "lookup " + de.Name + ": " + de.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return redact(oe.Err.Error())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return redact(err.Error())
}
