package billing

import (
	"context"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

// TestCheckTextRefusesAndNames: every refused character is named with its
// code point and position; nothing is altered, text that is fine (accents,
// CJK, emoji families with ZWJ, subdivision flags) passes, and newlines and
// tabs pass only where the field is multi-line.
func TestCheckTextRefusesAndNames(t *testing.T) {
	for _, tc := range []struct {
		in        string
		multiline bool
		want      string // "" = accepted
	}{
		{"Chen Suzuki 🍣", false, ""},
		{"Zoë 山田 👨‍👩‍👧 🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", false, ""},
		{"Chen \x1b]0;pwned\x07Suzuki 🍣", false, "name contains U+001B (escape) at character 6"},
		{"Evil\x1b]0;pwned\x07Name", false, "U+001B (escape) at character 5"},
		{"refund \u202egnp.exe", true, "U+202E (right-to-left override) at character 8"},
		{"a\u2066b", false, "U+2066 (left-to-right isolate)"},
		{"a\u0085b", false, "U+0085 (next line)"},
		{"a\x7fb", false, "U+007F (delete)"},
		{"a\u200bb", false, "U+200B (zero width space)"},
		{"line one\nline two\twith a tab", true, ""},
		{"line one\nline two", false, "U+000A (newline) at character 9"},
		{"line one\r\nline two", true, "U+000D (carriage return)"},
		{"bad \xff byte", false, "not valid UTF-8 (byte 0xff at character 5)"},
	} {
		err := CheckText("name", "name", tc.in, tc.multiline)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q refused: %v", tc.in, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: %v, want %q", tc.in, err, tc.want)
		case tc.want != "":
			if fe, ok := AsFieldError(err); !ok || fe.Field != "name" {
				t.Errorf("%q: not a FieldError on name: %v", tc.in, err)
			}
		}
	}
}

// TestPrepareRefusesControlCharacters: every Prepare that sends operator
// text to Stripe refuses a control, bidi or invisible character with a
// FieldError on that field naming it, before anything is planned or sent.
func TestPrepareRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{customers: 150})
	ctx := context.Background()
	cus := e.find(storage.KindCustomer, "live usd", func(m map[string]any) bool {
		return !boolean(m, "deleted") && str(m, "currency") == "usd"
	})
	paid := e.paidInvoiceWithCharge()
	const esc, rlo = "Evil\x1b]0;pwned\x07Name", "refund \u202egnp.exe"
	for _, tc := range []struct {
		name, field, char string
		prepare           func() (*Plan, error)
	}{
		{"customer name", "name", "U+001B (escape)", func() (*Plan, error) {
			return e.acts.PrepareCustomerEdit(ctx, support, CustomerEditRequest{Customer: cus, Fields: map[string]string{"name": esc}})
		}},
		{"customer note (metadata)", "note", "U+202E (right-to-left override)", func() (*Plan, error) {
			return e.acts.PrepareCustomerEdit(ctx, support, CustomerEditRequest{Customer: cus, Fields: map[string]string{"note": rlo}})
		}},
		{"credit note memo", "memo", "U+202E (right-to-left override)", func() (*Plan, error) {
			return e.acts.PrepareCreditNote(ctx, finance, CreditNoteRequest{Invoice: paid, Amount: "1", OutOfBand: "1", Memo: rlo})
		}},
		{"balance description", "description", "U+001B (escape)", func() (*Plan, error) {
			return e.acts.PrepareCredit(ctx, finance, CreditRequest{Customer: cus, Direction: DirectionCredit, Amount: "1", Currency: "usd", Description: esc})
		}},
		{"refund note", "note", "U+001B (escape)", func() (*Plan, error) {
			return e.acts.PrepareRefund(ctx, finance, RefundRequest{Target: e.refundableCharge("usd"), Amount: "1", Note: esc})
		}},
		{"one-off item", "items[0].description", "U+001B (escape)", func() (*Plan, error) {
			return e.acts.PrepareOneOffInvoice(ctx, finance, OneOffInvoiceRequest{Customer: cus, Items: []OneOffItem{{Amount: "1", Description: esc}}})
		}},
		{"cancel comment", "comment", "U+202E (right-to-left override)", func() (*Plan, error) {
			return e.acts.PrepareCancel(ctx, finance, CancelRequest{Subscription: e.activeSubscription(), Mode: CancelAtPeriodEnd, Comment: rlo})
		}},
		{"evidence text", "product_description", "U+001B (escape)", func() (*Plan, error) {
			return e.acts.PrepareEvidence(ctx, support, EvidenceRequest{Dispute: e.openDispute(), Text: map[string]string{"product_description": esc}})
		}},
		{"portal return URL", "return_url", "U+001B (escape)", func() (*Plan, error) {
			return e.acts.PreparePortalLink(ctx, support, PortalRequest{Customer: cus, ReturnURL: "https://example.com/\x1b]0;x\x07"})
		}},
		{"promotion code", "code", "U+202E (right-to-left override)", func() (*Plan, error) {
			return e.acts.PrepareDiscount(ctx, support, DiscountRequest{Target: cus, Mode: DiscountApply, Code: "WELCOME\u202e10"})
		}},
	} {
		fe := wantField(t, errOf(tc.prepare()), tc.field)
		if msg := ExplainAction(fe); !strings.Contains(msg, tc.char) || !strings.Contains(msg, "nothing was sent") {
			t.Errorf("%s: %q does not name %s", tc.name, msg, tc.char)
		}
	}
	if n := e.reqs.Count("POST"); n != 0 {
		t.Fatalf("%d POSTs reached Stripe", n)
	}
}
