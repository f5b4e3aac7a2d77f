package raw

import (
	"strings"
	"testing"
)

func TestRedactClientSecret(t *testing.T) {
	in := "{\n  \"client_secret\": \"pi_123_secret_abc\",\n  \"id\": \"pi_123\"\n}"
	out := redact(in)
	if strings.Contains(out, "secret_abc") || !strings.Contains(out, `"client_secret": "[redacted]"`) || !strings.Contains(out, `"id": "pi_123"`) {
		t.Fatalf("redact: %s", out)
	}
}
