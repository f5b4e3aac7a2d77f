package common

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paydesk/paydesk/billing"
)

// ActionTitle is a money action as an operator reads it: its
// billing.ActionSpec Name with a capital ("Credit note", "Trial
// extension"), never the internal name ("credit_note"). An action without
// a spec reads as its name with spaces.
func ActionTitle(a string) string {
	name := strings.ReplaceAll(a, "_", " ")
	if s, ok := billing.Spec(billing.Action(a)); ok && s.Name != "" {
		name = s.Name
	}
	r, n := utf8.DecodeRuneInString(name)
	if n == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + name[n:]
}
