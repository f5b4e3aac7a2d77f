package webhookd

import (
	"errors"
	"fmt"
	"net/http"
)

// Rejection codes: short, stable, used as the metrics label and as the
// first word of a delivery's reason ("stale_timestamp: 412 s old ...").
const (
	CodeMethodNotAllowed = "method_not_allowed"
	CodeBodyTooLarge     = "body_too_large"
	CodeBodyRead         = "body_read"
	CodeNoSignature      = "no_signature"
	CodeMalformedHeader  = "malformed_header"
	CodeNoV1             = "no_v1_signature"
	CodeBadSignature     = "bad_signature"
	CodeStaleTimestamp   = "stale_timestamp"
	CodeFutureTimestamp  = "future_timestamp"
	CodeMalformedJSON    = "malformed_json"
	CodeNotAnEvent       = "not_an_event"
	CodeStorage          = "storage_error"
)

// Rejection is why a request was refused; its text never holds a secret or
// a signature value.
type Rejection struct {
	Code   string
	Detail string
}

func (r *Rejection) Error() string { return r.Code + ": " + r.Detail }

// Status is the HTTP status a rejection is answered with.
func (r *Rejection) Status() int {
	switch r.Code {
	case CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case CodeBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeStorage:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

func reject(code, format string, args ...any) *Rejection {
	return &Rejection{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// RejectionCode extracts the code of a *Rejection in err's chain ("" when none).
func RejectionCode(err error) string {
	var r *Rejection
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}
