// Package find answers the console's global search: one line typed or
// pasted by a support agent ("chen@", "4242", "$12.50 2026-11-01..2026-11-30",
// "ABCD-0042", "cus_Nf3…") is read into the forms it can mean, answered from
// the cache's indexes (storage.SearchTerms, storage.FindAmounts) and, when
// the cache has no hit and Stripe is reachable, from Stripe's Search API
// (https://docs.stripe.com/search). Results are grouped by kind.
package find

import (
	"regexp"
	"strings"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// Query is one search line read into its forms. Term and Amount may both be
// set ("4242" is a last4, an invoice number prefix and an amount).
type Query struct {
	// Text is the line as typed, trimmed.
	Text string
	// Term is the prefix looked up in the search terms (lowercased; a
	// phone's digits only). Empty when the line is only an amount.
	Term string
	// Amount is set when the line reads as an amount.
	Amount *Amount
	// ID is set when the line is a whole Stripe id of a cached kind.
	ID string
}

// Amount is an amount typed with an optional currency and date range.
type Amount struct {
	// Number is the decimal as typed ("12.50", "1,200").
	Number string
	// Symbol is a currency symbol typed before it ("$", "¥", "CA$"), and
	// Currency an ISO code typed after it ("eur"); both may be empty.
	Symbol   string
	Currency string
	// From and To bound created (unix seconds, [From, To)); 0 is open.
	From, To int64
}

// amountRe reads "[symbol]number[ code][ dates]".
var amountRe = regexp.MustCompile(`^((?:[A-Z]{1,2})?[$€£¥₩₹₽₺₪₫฿₱₦]|)\s*(\d[\d,]*(?:\.\d+)?)\s*([a-zA-Z]{3})?(?:\s+(\S+))?$`)

// dateRe is a day "2026-11-01".
var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Parse reads a search line. Dates ("2026-11-01", "2026-11-01..2026-11-30",
// "2026-11-01..", "..2026-11-30") are days in loc, both ends included.
func Parse(text string, loc *time.Location) Query {
	text = strings.TrimSpace(text)
	q := Query{Text: text}
	if text == "" {
		return q
	}
	if _, ok := storage.KindOfID(text); ok && !strings.ContainsAny(text, " \t") {
		q.ID = text
	}
	if m := amountRe.FindStringSubmatch(text); m != nil {
		a := &Amount{Symbol: m[1], Number: m[2], Currency: strings.ToLower(m[3])}
		ok := true
		if m[4] != "" {
			a.From, a.To, ok = parseRange(m[4], loc)
		}
		if ok {
			q.Amount = a
		}
	}
	switch {
	case q.Amount != nil && (q.Amount.Symbol != "" || q.Amount.From != 0 || q.Amount.To != 0):
		// "$12.50", "12.50 2026-11-01": only an amount.
	case looksLikePhone(text):
		q.Term = storage.PhoneDigits(text)
	default:
		q.Term = strings.ToLower(text)
	}
	return q
}

// parseRange reads a day or a range of days in loc.
func parseRange(s string, loc *time.Location) (from, to int64, ok bool) {
	day := func(d string) (time.Time, bool) {
		if !dateRe.MatchString(d) {
			return time.Time{}, false
		}
		t, err := time.ParseInLocation("2006-01-02", d, loc)
		return t, err == nil
	}
	a, b, isRange := strings.Cut(s, "..")
	if !isRange {
		t, ok := day(a)
		if !ok {
			return 0, 0, false
		}
		return t.Unix(), t.AddDate(0, 0, 1).Unix(), true
	}
	if a == "" && b == "" {
		return 0, 0, false
	}
	if a != "" {
		t, ok := day(a)
		if !ok {
			return 0, 0, false
		}
		from = t.Unix()
	}
	if b != "" {
		t, ok := day(b)
		if !ok {
			return 0, 0, false
		}
		to = t.AddDate(0, 0, 1).Unix()
	}
	return from, to, true
}

// looksLikePhone: a "+" or separators between 7 or more digits, and
// nothing else ("+1 555-0100", "(555) 010 0100").
func looksLikePhone(s string) bool {
	digits, seps := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-() .", r):
			seps++
		default:
			return false
		}
	}
	return digits >= 7 && (seps > 0 || strings.HasPrefix(s, "+")) && !strings.Contains(s, ".")
}
