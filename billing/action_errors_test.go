package billing

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

func TestExplainAction(t *testing.T) {
	call := func(method, path string, se *stripe.Error) error {
		return fmt.Errorf("refund ch_1: %w", wrapCall(method, path, se))
	}
	cases := []struct {
		err  error
		want string
	}{
		{call("POST", "/v1/invoices/in_1/pay", &stripe.Error{HTTPStatusCode: 402, Type: stripe.ErrorTypeCard, Code: stripe.ErrorCodeCardDeclined, DeclineCode: "insufficient_funds", Msg: "Your card has insufficient funds."}),
			"Card declined: insufficient funds (insufficient_funds)."},
		{call("POST", "/v1/invoices/in_1/pay", &stripe.Error{HTTPStatusCode: 402, Type: stripe.ErrorTypeCard, Code: stripe.ErrorCodeCardDeclined, DeclineCode: "generic_decline"}),
			"(generic_decline)"},
		{call("POST", "/v1/refunds", &stripe.Error{HTTPStatusCode: 403, Type: stripe.ErrorTypeInvalidRequest, Msg: "The provided key 'rk_test_abc***xyz' does not have the required permissions for this endpoint on account 'acct_1'. Having the 'rak_refund_write' permission would allow this request to continue."}),
			"The restricted key lacks permission to write refunds (it needs rak_refund_write)"},
		{call("POST", "/v1/disputes/dp_1", &stripe.Error{HTTPStatusCode: 400, Type: stripe.ErrorTypeInvalidRequest, Msg: "This dispute has already been submitted and its evidence cannot be updated."}),
			"already submitted"},
		{call("POST", "/v1/refunds", &stripe.Error{HTTPStatusCode: 400, Type: stripe.ErrorTypeInvalidRequest, Code: stripe.ErrorCodeAmountTooLarge, Msg: "Refund amount ($5.00) is greater than unrefunded amount on charge ($1.00)"}),
			"Amount too large: Refund amount ($5.00) is greater than unrefunded amount on charge ($1.00)."},
		{call("POST", "/v1/refunds", &stripe.Error{HTTPStatusCode: 400, Type: stripe.ErrorTypeInvalidRequest, Code: stripe.ErrorCodeChargeAlreadyRefunded}),
			"already been fully refunded"},
		{call("POST", "/v1/refunds", &stripe.Error{HTTPStatusCode: 400, Type: stripe.ErrorTypeIdempotency, Msg: "Keys for idempotent requests can only be used with the same parameters"}),
			"idempotency key was already used with different parameters"},
		{fmt.Errorf("x: %w: %w", ErrOutcomeUnknown, wrapCall("POST", "/v1/refunds", refused())), "Stripe did not answer (POST /v1/refunds: connection refused): the request is saved as pending"},
		// An upload that cannot reach its host names the host, not "Stripe".
		{fmt.Errorf("x: %w: %w", ErrOutcomeUnknown, wrapCall("POST", "/v1/files", &net.DNSError{Name: "files.stripe.com", Err: "no such host"})),
			"The evidence file could not be uploaded (POST /v1/files: lookup files.stripe.com: no such host)"},
		{fmt.Errorf("prepare: %w", wrapCall("GET", "/v1/charges/ch_1", refused())), "nothing was sent"},
		{fieldErr("amount", "at most $1.00 can be refunded"), "At most $1.00 can be refunded."},
		{fmt.Errorf("execute: %w", admin.Authorize("nope")), "Nothing was sent to Stripe"},
		{fmt.Errorf("execute: %w", ErrPlanExpired), "too old"},
	}
	for _, c := range cases {
		got := ExplainAction(c.err)
		if !strings.Contains(got, c.want) {
			t.Errorf("ExplainAction(%v)\n got %q\nwant %q", c.err, got, c.want)
		}
		if strings.Contains(got, "rk_test_abc") {
			t.Errorf("key material leaked: %q", got)
		}
	}
	if ExplainAction(nil) != "" {
		t.Fatal("nil error explained")
	}
}

// refused is the error the network stack gives for a closed port.
func refused() error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
}

func TestRetryable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{wrapCall("POST", "/v1/refunds", refused()), true},
		{context.Canceled, true},
		{&stripe.Error{HTTPStatusCode: 500, Type: stripe.ErrorTypeAPI}, true},
		{&stripe.Error{HTTPStatusCode: 409, Code: stripe.ErrorCodeIdempotencyKeyInUse}, true},
		{&stripe.Error{HTTPStatusCode: http.StatusTooManyRequests}, true},
		{&stripe.Error{HTTPStatusCode: 402, Type: stripe.ErrorTypeCard}, false},
		{&stripe.Error{HTTPStatusCode: 400, Type: stripe.ErrorTypeInvalidRequest}, false},
		{errors.New("other"), false},
	} {
		if got := retryable(c.err); got != c.want {
			t.Errorf("retryable(%v) = %v", c.err, got)
		}
	}
}
