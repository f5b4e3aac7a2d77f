package billing

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/stripe/stripe-go/v76"
)

// ErrOffline is matched (errors.Is) by every error that means Stripe could
// not be reached: connection refused, DNS, timeouts, TLS handshakes.
var ErrOffline = errors.New("Stripe unreachable")

// CallError is a failed Stripe request: which endpoint, and why. Its
// message never contains a credential.
type CallError struct {
	Method string
	Path   string
	Err    error
}

func wrapCall(method, path string, err error) error {
	return &CallError{Method: method, Path: path, Err: err}
}

func (e *CallError) Error() string {
	return e.Method + " " + e.Path + ": " + describe(e.Err)
}

func (e *CallError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrOffline) true for network failures.
func (e *CallError) Is(target error) bool {
	return target == ErrOffline && isNetwork(e.Err)
}

// Resource names what the endpoint reads or writes ("customers",
// "customers/balance_transactions"), for permission messages.
func (e *CallError) Resource() string { return resourceName(e.Path) }

// describe renders err without credentials; Stripe errors become one line.
func describe(err error) string {
	var se *stripe.Error
	if errors.As(err, &se) {
		var b strings.Builder
		fmt.Fprintf(&b, "stripe %d %s", se.HTTPStatusCode, se.Type)
		if se.Code != "" {
			fmt.Fprintf(&b, "/%s", se.Code)
		}
		if se.DeclineCode != "" {
			fmt.Fprintf(&b, "/%s", se.DeclineCode)
		}
		if se.Msg != "" {
			fmt.Fprintf(&b, ": %s", se.Msg)
		}
		if se.RequestID != "" {
			fmt.Fprintf(&b, " (request %s)", se.RequestID)
		}
		return redact(b.String())
	}
	return redact(err.Error())
}

// resourceName drops the version and the ids from an API path.
func resourceName(path string) string {
	path, _, _ = strings.Cut(path, "?")
	var parts []string
	for i, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if i == 0 && seg == "v1" {
			continue
		}
		if i%2 == 1 || i == 0 { // /v1/<res>/<id>/<sub>/<id>
			parts = append(parts, seg)
		}
	}
	return strings.Join(parts, "/")
}

// IsOffline reports whether err means Stripe could not be reached.
func IsOffline(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrOffline) {
		return true
	}
	return isNetwork(err)
}

func isNetwork(err error) bool {
	var se *stripe.Error
	if errors.As(err, &se) {
		return false // Stripe answered
	}
	if errors.Is(err, context.Canceled) {
		return false // the operator stopped it
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return true
	}
	// Only errors of the network stack itself: *fs.PathError and others
	// also satisfy net.Error, and a missing file is not "offline".
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de)
}

// IsAuth reports whether err means the key is missing, invalid, expired or
// lacks a permission.
func IsAuth(err error) bool {
	if errors.Is(err, ErrNoKey) {
		return true
	}
	se := stripeError(err)
	return se != nil && (se.HTTPStatusCode == http.StatusUnauthorized || se.HTTPStatusCode == http.StatusForbidden)
}

// IsNotFound reports whether Stripe said the object does not exist.
func IsNotFound(err error) bool {
	se := stripeError(err)
	return se != nil && (se.Code == stripe.ErrorCodeResourceMissing || se.HTTPStatusCode == http.StatusNotFound)
}

// IsRateLimited reports whether Stripe still answered 429 after the backoff.
func IsRateLimited(err error) bool {
	se := stripeError(err)
	return se != nil && se.HTTPStatusCode == http.StatusTooManyRequests
}

func stripeError(err error) *stripe.Error {
	var se *stripe.Error
	if errors.As(err, &se) {
		return se
	}
	return nil
}

// permissionRE finds the permission Stripe names in a 403 message.
var permissionRE = regexp.MustCompile(`'(rak_[a-z0-9_]+)'`)

// Explain turns an error from billing into one sentence an operator can act
// on. It never contains key material.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	switch {
	case errors.Is(err, ErrNoKey):
		return redact(err.Error())
	case errors.Is(err, ErrResyncNeeded):
		return "The cache is too far behind Stripe's 30-day event history: a full resync is needed."
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case IsOffline(err):
		return "Stripe unreachable: working from the cache."
	}
	se := stripeError(err)
	if se == nil {
		return redact(err.Error())
	}
	var ce *CallError
	resource := "this resource"
	write := false
	if errors.As(err, &ce) {
		if r := ce.Resource(); r != "" {
			resource = r
		}
		write = ce.Method != http.MethodGet
	}
	msg := redact(se.Msg)
	switch {
	case se.HTTPStatusCode == http.StatusUnauthorized:
		if se.Code == stripe.ErrorCodeAPIKeyExpired {
			return "The Stripe API key has expired: roll a new key in the Dashboard and set STRIPE_SECRET_KEY."
		}
		return "Stripe rejected the API key (invalid or revoked): check STRIPE_SECRET_KEY."
	case se.HTTPStatusCode == http.StatusForbidden:
		verb := "read"
		if write {
			verb = "write"
		}
		s := fmt.Sprintf("The restricted key lacks permission to %s %s", verb, resource)
		if m := permissionRE.FindStringSubmatch(se.Msg); m != nil {
			s += fmt.Sprintf(" (it needs %s)", m[1])
		}
		return s + ": grant it to the key in the Stripe Dashboard (Developers, API keys)."
	case se.HTTPStatusCode == http.StatusTooManyRequests && se.Code != stripe.ErrorCodeLockTimeout:
		return "Stripe is rate limiting this account even after backing off: wait a minute and retry, or lower the request rate."
	case se.Type == stripe.ErrorTypeCard:
		return explainCard(se)
	case se.Type == stripe.ErrorTypeIdempotency:
		return "Stripe refused the retry: this idempotency key was already used with different parameters, so the first attempt stands. Check the audit log before trying again."
	case se.Code == stripe.ErrorCodeIdempotencyKeyInUse:
		return "The same request is still being processed by Stripe: wait a moment, then retry (it will not be applied twice)."
	case se.Code == stripe.ErrorCodeLockTimeout:
		return "Stripe is busy updating this object: retry in a moment."
	case IsNotFound(err):
		if msg != "" {
			return "Not found on Stripe: " + msg + "."
		}
		return "Not found on Stripe: " + resource + "."
	case se.HTTPStatusCode >= 500 || se.Type == stripe.ErrorTypeAPI:
		return withRequest("Stripe had an internal error: retry shortly", se)
	case se.Type == stripe.ErrorTypeInvalidRequest:
		s := "Stripe rejected the request"
		if msg != "" {
			s += ": " + msg
		}
		if se.Param != "" {
			s += " (parameter " + se.Param + ")"
		}
		return withRequest(s, se)
	}
	return withRequest("Stripe error: "+describe(se), se)
}

func withRequest(s string, se *stripe.Error) string {
	if se.RequestID != "" {
		return s + " [" + se.RequestID + "]."
	}
	return s + "."
}

// declineWords are the decline codes staff meet most, in plain words.
var declineWords = map[string]string{
	"generic_decline":                 "the bank declined without a reason",
	"insufficient_funds":              "insufficient funds",
	"lost_card":                       "the card was reported lost",
	"stolen_card":                     "the card was reported stolen",
	"expired_card":                    "the card has expired",
	"incorrect_cvc":                   "the CVC is wrong",
	"incorrect_number":                "the card number is wrong",
	"processing_error":                "the bank had a processing error (retry later)",
	"do_not_honor":                    "the bank declined (do not honor)",
	"fraudulent":                      "Stripe suspects fraud",
	"card_velocity_exceeded":          "the card's spending limit was reached",
	"authentication_required":         "the customer must authenticate (3-D Secure)",
	"card_not_supported":              "the card does not support this purchase",
	"currency_not_supported":          "the card does not support this currency",
	"withdrawal_count_limit_exceeded": "the card's withdrawal limit was reached",
}

func explainCard(se *stripe.Error) string {
	code := string(se.DeclineCode)
	if code == "" {
		code = string(se.Code)
	}
	words, ok := declineWords[code]
	if !ok {
		words = redact(se.Msg)
	}
	if code == "" {
		return "Card declined: " + words + "."
	}
	return fmt.Sprintf("Card declined: %s (%s).", words, code)
}
