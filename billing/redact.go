package billing

import "github.com/paydesk/paydesk/storage/safetext"

// redact replaces every credential in s (secret, restricted and ephemeral
// keys, webhook signing secrets, client secrets; masked or not) with its
// prefix and "[redacted]" ("sk_test_[redacted]"), so messages and logs can
// name the kind of key but never the key. It is safetext.Redact, the one
// rule every screen applies too.
func redact(s string) string { return safetext.Redact(s) }
