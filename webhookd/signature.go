package webhookd

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader is the header Stripe signs webhook requests with.
const SignatureHeader = "Stripe-Signature"

const (
	// maxSignatureHeader caps the header value: Stripe sends one t and one
	// v1 per active secret (about 80 bytes each).
	maxSignatureHeader = 4096
	// maxV1 caps how many v1 signatures one header may carry.
	maxV1   = 16
	v1Bytes = sha256.Size
)

// Signature is a parsed Stripe-Signature header.
type Signature struct {
	// Timestamp is the signed unix time (t=).
	Timestamp int64
	// V1 holds the decoded v1 signatures; other schemes (v0) are ignored.
	V1 [][]byte
}

// ParseSignatureHeader parses "t=<unix>,v1=<hex>[,v1=<hex>...][,<scheme>=<value>...]"
// strictly: no whitespace, no empty items, exactly one t of plain digits, at
// least one v1 of 64 hex digits. Unknown schemes are skipped. A failure is a
// *Rejection whose detail never quotes the header's values.
func ParseSignatureHeader(h string) (Signature, error) {
	var sig Signature
	if h == "" {
		return sig, reject(CodeNoSignature, "missing %s header", SignatureHeader)
	}
	if len(h) > maxSignatureHeader {
		return sig, reject(CodeMalformedHeader, "header is %d bytes, limit %d", len(h), maxSignatureHeader)
	}
	if i := strings.IndexFunc(h, func(r rune) bool { return r <= ' ' || r >= 0x7f }); i >= 0 {
		return sig, reject(CodeMalformedHeader, "whitespace or control byte at offset %d", i)
	}
	seenT := false
	for i, item := range strings.Split(h, ",") {
		key, val, ok := strings.Cut(item, "=")
		if !ok || key == "" || val == "" {
			return sig, reject(CodeMalformedHeader, "item %d is not key=value", i+1)
		}
		switch key {
		case "t":
			if seenT {
				return sig, reject(CodeMalformedHeader, "duplicate t")
			}
			seenT = true
			ts, err := parseUnix(val)
			if err != nil {
				return sig, reject(CodeMalformedHeader, "t is %v", err)
			}
			sig.Timestamp = ts
		case "v1":
			if len(sig.V1) == maxV1 {
				return sig, reject(CodeMalformedHeader, "more than %d v1 signatures", maxV1)
			}
			if len(val) != 2*v1Bytes {
				return sig, reject(CodeMalformedHeader, "v1 signature %d is %d characters, want %d hex digits", len(sig.V1)+1, len(val), 2*v1Bytes)
			}
			b, err := hex.DecodeString(val)
			if err != nil {
				return sig, reject(CodeMalformedHeader, "v1 signature %d is not hex", len(sig.V1)+1)
			}
			sig.V1 = append(sig.V1, b)
		default:
			// v0 (test-mode legacy) and future schemes: ignored, as Stripe advises.
		}
	}
	if !seenT {
		return sig, reject(CodeMalformedHeader, "no t= timestamp")
	}
	if len(sig.V1) == 0 {
		return sig, reject(CodeNoV1, "header carries no v1 signature")
	}
	return sig, nil
}

// parseUnix accepts 1 to 12 plain decimal digits (no sign, no spaces), > 0.
func parseUnix(s string) (int64, error) {
	if len(s) > 12 {
		return 0, fmt.Errorf("%d digits long", len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("not a plain decimal number")
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("not a positive unix time")
	}
	return v, nil
}

// Format renders the header again (tests and fuzzing use it).
func (s Signature) Format() string {
	var b strings.Builder
	b.WriteString("t=")
	b.WriteString(strconv.FormatInt(s.Timestamp, 10))
	for _, v := range s.V1 {
		b.WriteString(",v1=")
		b.WriteString(hex.EncodeToString(v))
	}
	return b.String()
}

// Sign computes the v1 signature of body at timestamp t with secret.
func Sign(secret string, t int64, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(strconv.AppendInt(nil, t, 10))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

// verify checks sig against body with every secret and the timestamp against
// now ± tolerance. It returns the 1-based index of the matching secret.
// Every secret is tried against every v1 in constant time per comparison.
func verify(sig Signature, body []byte, secrets []string, now time.Time, tolerance time.Duration) (int, error) {
	match := 0
	for i, secret := range secrets {
		want := Sign(secret, sig.Timestamp, body)
		for _, got := range sig.V1 {
			if hmac.Equal(want, got) && match == 0 {
				match = i + 1
			}
		}
	}
	if match == 0 {
		return 0, reject(CodeBadSignature, "no v1 signature matches any configured secret")
	}
	age := now.Unix() - sig.Timestamp
	tol := int64(tolerance / time.Second)
	switch {
	case age > tol:
		return match, reject(CodeStaleTimestamp, "%d s old, tolerance %d s", age, tol)
	case -age > tol:
		return match, reject(CodeFutureTimestamp, "%d s in the future, tolerance %d s", -age, tol)
	}
	return match, nil
}
