package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// apiError is a Stripe error body plus its HTTP status.
type apiError struct {
	status      int
	Type        string `json:"type"`
	Code        string `json:"code,omitempty"`
	DeclineCode string `json:"decline_code,omitempty"`
	Message     string `json:"message"`
	Param       string `json:"param,omitempty"`
	DocURL      string `json:"doc_url,omitempty"`
	Charge      string `json:"charge,omitempty"`
	RequestLog  string `json:"request_log_url,omitempty"`
	PaymentInt  any    `json:"payment_intent,omitempty"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.Type, e.Message) }

func docURL(code string) string {
	if code == "" {
		return ""
	}
	return "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(code, "_", "-")
}

func invalidRequest(param, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, Type: "invalid_request_error", Message: fmt.Sprintf(format, args...), Param: param}
}

func invalidCode(code, param, format string, args ...any) *apiError {
	e := invalidRequest(param, format, args...)
	e.Code = code
	e.DocURL = docURL(code)
	return e
}

// missing is Stripe's answer for an unknown id in the URL path.
func missing(what, id string) *apiError {
	return &apiError{status: http.StatusNotFound, Type: "invalid_request_error", Code: "resource_missing",
		DocURL: docURL("resource_missing"), Param: "id", Message: fmt.Sprintf("No such %s: '%s'", what, id)}
}

// missingParam is Stripe's answer for an unknown id given in a parameter.
func missingParam(what, param, id string) *apiError {
	return &apiError{status: http.StatusBadRequest, Type: "invalid_request_error", Code: "resource_missing",
		DocURL: docURL("resource_missing"), Param: param, Message: fmt.Sprintf("No such %s: '%s'", what, id)}
}

func requiredParam(param string) *apiError {
	return invalidCode("parameter_missing", param, "Missing required param: %s.", param)
}

func unknownParam(param string) *apiError {
	return invalidCode("parameter_unknown", param, "Received unknown parameter: %s", param)
}

func cardError(dc uint8, chargeID string) *apiError {
	return &apiError{status: http.StatusPaymentRequired, Type: "card_error", Code: declineFailureCode[dc],
		DeclineCode: declineCode[dc], Message: declineMessage[dc], DocURL: docURL(declineFailureCode[dc]), Charge: chargeID}
}

func unauthorized(msg string) *apiError {
	return &apiError{status: http.StatusUnauthorized, Type: "invalid_request_error", Message: msg}
}

func rateLimited() *apiError {
	return &apiError{status: http.StatusTooManyRequests, Type: "invalid_request_error", Code: "rate_limit", DocURL: docURL("rate_limit"),
		Message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."}
}

func unrecognizedURL(method, path string) *apiError {
	return &apiError{status: http.StatusNotFound, Type: "invalid_request_error",
		Message: fmt.Sprintf("Unrecognized request URL (%s: %s). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.", method, path)}
}

func internalError(err error) *apiError {
	return &apiError{status: http.StatusInternalServerError, Type: "api_error", Message: "sandbox internal error: " + err.Error()}
}
