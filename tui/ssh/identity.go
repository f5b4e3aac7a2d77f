package ssh

import (
	"github.com/paydesk/paydesk/billing"
)

// Identity is who is behind an SSH key: the key's comment in the
// authorized-keys file, its SHA256 fingerprint ("SHA256:…") and the role the
// file gave it when the identity was resolved.
type Identity struct {
	Name        string
	Fingerprint string
	Role        billing.Role
}

// Operator is the identity as the billing layer records it in intents and
// the audit log: Name "comment (SHA256:…)", or the fingerprint alone when
// the key has no comment.
func (id Identity) Operator() billing.Operator {
	name := id.Fingerprint
	if id.Name != "" {
		name = id.Name + " (" + id.Fingerprint + ")"
	}
	return billing.Operator{Name: name, Role: id.Role}
}
