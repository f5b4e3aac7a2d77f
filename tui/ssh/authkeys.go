package ssh

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"unicode"

	gossh "golang.org/x/crypto/ssh"

	"github.com/paydesk/paydesk/billing"
)

// maxKeysFileSize caps how much of the authorized-keys file is read.
const maxKeysFileSize = 1 << 20

// maxNameLen caps a key comment used as an operator name.
const maxNameLen = 64

// ErrKeyNotAuthorized is returned (wrapped) by the action-time checks when a
// session's key is no longer in the authorized-keys file.
var ErrKeyNotAuthorized = errors.New("key no longer in the authorized-keys file")

// KeyLine is one accepted line of an authorized-keys file.
type KeyLine struct {
	Line        int
	Key         gossh.PublicKey
	Fingerprint string
	Name        string // sanitized comment
	Role        billing.Role
}

// LineError is one rejected line and why.
type LineError struct {
	Line   int
	Reason string
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// ParseAuthorizedKeys reads an authorized-keys file in paydesk's format (see
// the package doc). Accepted keys are indexed by fingerprint; each rejected
// line comes back with its number and reason, and never stops the others.
func ParseAuthorizedKeys(data []byte) (map[string]KeyLine, []LineError) {
	keys := map[string]KeyLine{}
	var rejected []LineError
	for i, raw := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line := bytes.TrimSpace(raw)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		kl, err := parseKeyLine(line)
		if err != nil {
			rejected = append(rejected, LineError{Line: n, Reason: err.Error()})
			continue
		}
		if prev, dup := keys[kl.Fingerprint]; dup {
			rejected = append(rejected, LineError{Line: n, Reason: fmt.Sprintf("key %s already listed on line %d", kl.Fingerprint, prev.Line)})
			continue
		}
		kl.Line = n
		keys[kl.Fingerprint] = kl
	}
	return keys, rejected
}

func parseKeyLine(line []byte) (KeyLine, error) {
	key, comment, options, rest, err := gossh.ParseAuthorizedKey(line)
	if err != nil {
		return KeyLine{}, fmt.Errorf("unparsable key: %w", err)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return KeyLine{}, errors.New("more than one key on the line")
	}
	var role billing.Role
	for _, opt := range options {
		name, value, hasValue := strings.Cut(opt, "=")
		if !strings.EqualFold(name, "role") {
			return KeyLine{}, fmt.Errorf("unsupported option %q (paydesk only understands role=)", name)
		}
		if !hasValue {
			return KeyLine{}, errors.New("role option without a value")
		}
		if role != "" {
			return KeyLine{}, errors.New("role given twice")
		}
		r, err := billing.ParseRole(strings.Trim(value, `"`))
		if err != nil {
			return KeyLine{}, err
		}
		role = r
	}
	if role == "" {
		return KeyLine{}, errors.New("missing role (write role=viewer|support|finance|admin before the key type)")
	}
	return KeyLine{
		Key:         key,
		Fingerprint: gossh.FingerprintSHA256(key),
		Name:        sanitizeName(comment),
		Role:        role,
	}, nil
}

// sanitizeName keeps a key comment safe to show on other operators'
// terminals and in the audit log: printable characters only, bounded length.
func sanitizeName(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if b.Len() >= maxNameLen {
			break
		}
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// keyFile is the authorized-keys file, re-read whenever its content changes.
type keyFile struct {
	path string
	log  *slog.Logger

	mu      sync.Mutex
	sum     [sha256.Size]byte
	loaded  bool
	keys    map[string]KeyLine
	lastErr string
}

func newKeyFile(path string, log *slog.Logger) (*keyFile, error) {
	f := &keyFile{path: path, log: log}
	if _, err := f.current(); err != nil {
		return nil, err
	}
	return f, nil
}

// current returns the keys as the file holds them now. A read error refuses
// every key (fail closed) until the file is readable again.
func (f *keyFile) current() (map[string]KeyLine, error) {
	data, err := readCapped(f.path)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		err = fmt.Errorf("authorized keys %s: %w", f.path, err)
		if err.Error() != f.lastErr {
			f.log.Error("authorized keys unreadable: refusing every key", "path", f.path, "error", err)
			f.lastErr = err.Error()
		}
		f.loaded = false
		f.keys = nil
		return nil, err
	}
	f.lastErr = ""
	sum := sha256.Sum256(data)
	if f.loaded && sum == f.sum {
		return f.keys, nil
	}
	keys, rejected := ParseAuthorizedKeys(data)
	for _, r := range rejected {
		f.log.Warn("authorized keys: line rejected", "path", f.path, "line", r.Line, "reason", r.Reason)
	}
	f.log.Info("authorized keys loaded", "path", f.path, "keys", len(keys), "rejected", len(rejected))
	f.sum, f.keys, f.loaded = sum, keys, true
	return keys, nil
}

// lookup resolves a presented key against the current file.
func (f *keyFile) lookup(key gossh.PublicKey) (Identity, bool) {
	keys, err := f.current()
	if err != nil {
		return Identity{}, false
	}
	kl, ok := keys[gossh.FingerprintSHA256(key)]
	if !ok || !bytes.Equal(kl.Key.Marshal(), key.Marshal()) {
		return Identity{}, false
	}
	return Identity{Name: kl.Name, Fingerprint: kl.Fingerprint, Role: kl.Role}, true
}

// resolve re-reads the role of the key behind fingerprint.
func (f *keyFile) resolve(fingerprint string) (Identity, error) {
	keys, err := f.current()
	if err != nil {
		return Identity{}, err
	}
	kl, ok := keys[fingerprint]
	if !ok {
		return Identity{}, ErrKeyNotAuthorized
	}
	return Identity{Name: kl.Name, Fingerprint: kl.Fingerprint, Role: kl.Role}, nil
}

func readCapped(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxKeysFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxKeysFileSize {
		return nil, fmt.Errorf("larger than %d bytes", maxKeysFileSize)
	}
	return data, nil
}
