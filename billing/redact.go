package billing

import "regexp"

// credentialRE matches Stripe credentials, masked or not: secret, restricted
// and publishable keys, webhook secrets, client secrets.
var credentialRE = regexp.MustCompile(`\b((?:sk|rk|pk)_(?:live|test)_|whsec_)[A-Za-z0-9*_]+|\b((?:pi|seti)_[A-Za-z0-9]+_secret_)[A-Za-z0-9]+`)

// redact replaces every credential in s with its prefix and an ellipsis
// ("sk_test_…"), so messages can name the kind of key but never the key.
func redact(s string) string {
	return credentialRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := credentialRE.FindStringSubmatch(m)
		for _, p := range sub[1:] {
			if p != "" {
				return p + "…"
			}
		}
		return "…"
	})
}
