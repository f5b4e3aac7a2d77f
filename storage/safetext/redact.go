package safetext

import (
	"regexp"
	"strings"
)

// Redacted is what a secret is shown as.
const Redacted = "[redacted]"

// secretMember matches a JSON member whose value grants access: a payment
// or setup intent's (or Checkout or customer session's) client_secret, an
// ephemeral key's or a webhook endpoint's secret. Stripe caches hold them as
// Stripe sent them; no surface draws them.
var secretMember = regexp.MustCompile(`("(?:client_secret|secret)"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// secretToken matches a credential anywhere in text (a URL's query, an error
// message, a description someone pasted one into), keeping its prefix:
// secret, restricted and ephemeral keys (sk_, rk_, ek_ live/test), webhook
// signing secrets (whsec_) and client secrets (pi_…_secret_, seti_…_secret_,
// cs_test_…_secret_, cuss_secret_).
var secretToken = regexp.MustCompile(`\b((?:sk|rk|ek)_(?:live|test)_|whsec_|[a-z]{2,6}_(?:[A-Za-z0-9_]*?_)?secret_)[A-Za-z0-9*]+`)

// Redact returns s with every secret Stripe objects or messages may carry
// replaced: the value of a JSON client_secret or secret member becomes
// "[redacted]" (the text stays valid JSON), and a credential anywhere else
// keeps its prefix only ("pi_123_secret_[redacted]", "sk_live_[redacted]").
// It is the one rule: Line, JSON, EscapeJSON and Walk apply it, so every
// surface that shows Stripe text (console, SSH, CLI, JSON views, diffs)
// redacts the same way. Text without a candidate is returned unchanged
// without allocating.
func Redact(s string) string {
	if !mayHoldSecret(s) {
		return s
	}
	s = secretMember.ReplaceAllString(s, `$1"`+Redacted+`"`)
	return secretToken.ReplaceAllString(s, `${1}`+Redacted)
}

// mayHoldSecret is Redact's cheap first look: every pattern it replaces
// contains one of these.
func mayHoldSecret(s string) bool {
	return strings.Contains(s, "secret") || strings.Contains(s, "whsec_") || strings.Contains(s, "_live_") || strings.Contains(s, "_test_")
}
