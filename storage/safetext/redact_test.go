package safetext_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage/safetext"
)

// TestRedactOneRule: every form the boundary gives (Line, Text, Cell, JSON,
// EscapeJSON, Walk) redacts the secrets Stripe objects carry — client
// secrets of payment and setup intents, Checkout and customer sessions,
// ephemeral keys' and webhook endpoints' secrets, API keys — members whole,
// tokens elsewhere after their prefix; ids and other text are left alone.
func TestRedactOneRule(t *testing.T) {
	obj := `{"id":"pi_1","client_secret":"pi_1_secret_AbC123","setup":"seti_9_secret_Xy7",` +
		`"session":"cs_test_a1B2_secret_Q9","cuss":"cuss_secret_Zz0","ek":{"object":"ephemeral_key","secret":"ek_test_YWNjdF8x"},` +
		`"url":"https://x.example/p?payment_intent_client_secret=pi_1_secret_AbC123&ok=1","note":"key sk_live_51AbcD and whsec_Q1w2",` +
		`"customer":"cus_secretive","description":"our secret sauce"}`
	leaks := []string{"AbC123", "Xy7", "a1B2_secret_Q9", "Zz0", "YWNjdF8x", "51AbcD", "Q1w2"}
	check := func(form, out string) {
		t.Helper()
		for _, l := range leaks {
			if strings.Contains(out, l) {
				t.Errorf("%s kept %q: %s", form, l, out)
			}
		}
		for _, keep := range []string{"pi_1", "cus_secretive", "our secret sauce", "ok=1"} {
			if !strings.Contains(out, keep) {
				t.Errorf("%s lost %q: %s", form, keep, out)
			}
		}
	}
	pretty := safetext.JSON([]byte(obj))
	check("JSON", pretty)
	if !strings.Contains(pretty, `"client_secret": "[redacted]"`) || !strings.Contains(pretty, `"secret": "[redacted]"`) {
		t.Errorf("JSON members not redacted whole:\n%s", pretty)
	}
	if !json.Valid([]byte(pretty)) {
		t.Errorf("JSON no longer valid:\n%s", pretty)
	}
	compact := safetext.EscapeJSON(obj)
	check("EscapeJSON", compact)
	if !json.Valid([]byte(compact)) {
		t.Errorf("EscapeJSON no longer valid: %s", compact)
	}
	check("Line", safetext.Line(obj))
	check("Text", safetext.Text(strings.ReplaceAll(obj, ",", ",\n")))
	if got := safetext.Line("pay at https://x.example/?payment_intent_client_secret=pi_1_secret_AbC123"); !strings.HasSuffix(got, "pi_1_secret_[redacted]") {
		t.Errorf("Line: %s", got)
	}
	if got := safetext.Cell("sk_test_abcdef", 40); got != "sk_test_[redacted]" {
		t.Errorf("Cell: %s", got)
	}
	v := struct {
		ClientSecret string
		Meta         map[string]string
		Any          any
	}{"pi_1_secret_AbC123", map[string]string{"k": "whsec_Q1w2"}, "ek_live_YWNjdF8x"}
	safetext.Walk(&v)
	if v.ClientSecret != "pi_1_secret_[redacted]" || v.Meta["k"] != "whsec_[redacted]" || v.Any != "ek_live_[redacted]" {
		t.Errorf("Walk: %+v", v)
	}
	for _, plain := range []string{"pi_1", "Zoë", "", "in_1 paid", `{"secret_word":"x"}`} {
		if got := safetext.Redact(plain); got != plain {
			t.Errorf("Redact(%q) = %q", plain, got)
		}
	}
}
