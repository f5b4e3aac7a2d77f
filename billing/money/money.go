// Package money holds paydesk's one set of currency rules: amounts are
// int64 minor units with their currency's exponent (2 for usd, 0 for jpy,
// 3 for kwd). billing formats confirmation lines with it and tui/format
// shows it on every screen, so both always agree. It imports nothing of
// paydesk's.
package money

import (
	"strconv"
	"strings"
	"unicode"
)

// zeroDecimal lists the currencies Stripe charges in whole units
// (https://docs.stripe.com/currencies#zero-decimal).
var zeroDecimal = map[string]bool{
	"bif": true, "clp": true, "djf": true, "gnf": true, "jpy": true,
	"kmf": true, "krw": true, "mga": true, "pyg": true, "rwf": true,
	"ugx": true, "vnd": true, "vuv": true, "xaf": true, "xof": true,
	"xpf": true,
}

// threeDecimal lists the currencies with three minor digits.
var threeDecimal = map[string]bool{
	"bhd": true, "jod": true, "kwd": true, "omr": true, "tnd": true,
}

// symbols are the prefixes people read faster than ISO codes. Every other
// currency is printed with its upper-case code after the amount.
var symbols = map[string]string{
	"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥",
	"cad": "CA$", "aud": "A$",
}

// Exponent is the number of minor-unit digits of a currency (2 for usd,
// 0 for jpy, 3 for kwd). Unknown or empty currencies count as 2.
func Exponent(currency string) int {
	c := strings.ToLower(currency)
	switch {
	case zeroDecimal[c]:
		return 0
	case threeDecimal[c]:
		return 3
	default:
		return 2
	}
}

// Format writes an amount in minor units: Format(123456, "usd") is
// "$1,234.56", Format(1200, "jpy") "¥1,200", Format(-500, "sek")
// "-5.00 SEK". An empty currency prints the bare number.
func Format(minor int64, currency string) string {
	c := strings.ToLower(currency)
	num := Decimal(minor, Exponent(c))
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimPrefix(num, "-")
	sign := ""
	if neg {
		sign = "-"
	}
	if sym, ok := symbols[c]; ok {
		return sign + sym + num
	}
	if c == "" {
		return sign + num
	}
	return sign + num + " " + strings.ToUpper(c)
}

// Decimal writes minor units as a grouped decimal with exp fraction
// digits: Decimal(-123456, 2) is "-1,234.56".
func Decimal(minor int64, exp int) string {
	neg := minor < 0
	// Work on the unsigned magnitude so math.MinInt64 does not overflow.
	mag := uint64(minor)
	if neg {
		mag = -mag
	}
	digits := strconv.FormatUint(mag, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-exp], digits[len(digits)-exp:]
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if exp > 0 {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Parse reads what an operator typed into minor units of currency. The
// one amount grammar of every surface (console forms, CLI flags):
//
//	amount   = [symbol] number [" " CODE]   spaces around are ignored
//	number   = whole ["." fraction] | "." fraction
//	whole    = digits | 1-3 digits ("," 3 digits)...   "1,234" groups of three
//	fraction = 1 to exponent digits (none for JPY, 3 for KWD)
//
// symbol and CODE must be the currency's own ("$3.00", "3.00 USD" for usd).
// A comma is read only as a thousands separator in whole groups of three
// before the point: "1,234.50" is 123450 cents, while "0,05", "1,50" and
// "1.234,50" are refused with a message to use a point, never read as
// another amount. Digits are ASCII 0-9 only (full-width or Arabic-Indic
// digits are refused), and signs, exponents and anything else are refused.
// "0" parses as 0; callers that move money refuse it. Errors are
// *ParseError, worded to be shown on a form as they are.
func Parse(s, currency string) (int64, error) {
	exp := Exponent(currency)
	cur := strings.ToLower(strings.TrimSpace(currency))
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, parseErr("enter an amount")
	}
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−") {
		return 0, parseErr("the amount cannot be negative")
	}
	t = strings.TrimPrefix(t, "+")
	if sym, ok := symbols[cur]; ok && strings.HasPrefix(t, sym) {
		t = strings.TrimSpace(strings.TrimPrefix(t, sym))
	}
	if cur != "" {
		if code, ok := strings.CutSuffix(t, strings.ToUpper(cur)); ok {
			t = strings.TrimSpace(code)
		} else if code, ok := strings.CutSuffix(t, cur); ok {
			t = strings.TrimSpace(code)
		}
	}
	if strings.HasPrefix(t, "-") {
		return 0, parseErr("the amount cannot be negative")
	}
	if err := otherMoney(t, cur); err != nil {
		return 0, err
	}
	for _, r := range t {
		if r > 0x7f && unicode.IsDigit(r) {
			return 0, parseErr("type the digits 0-9: " + strconv.Quote(s) + " has other digits")
		}
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if strings.Contains(frac, ",") || (strings.Contains(whole, ",") && !grouped(whole)) {
		return 0, parseErr("use a point for decimals (" + strconv.Quote(s) + " is ambiguous): a comma only groups thousands, as in 1,234.50")
	}
	whole = strings.ReplaceAll(whole, ",", "")
	if hasDot && frac == "" {
		return 0, parseErr("digits must follow the point: " + strconv.Quote(s))
	}
	if hasDot && len(frac) > exp {
		if exp == 0 {
			return 0, parseErr(strings.ToUpper(currency) + " has no minor units: enter a whole amount")
		}
		return 0, parseErr("at most " + strconv.Itoa(exp) + " digits after the point")
	}
	if whole == "" {
		whole = "0"
	}
	frac += strings.Repeat("0", exp-len(frac))
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, parseErr("not a number: " + strconv.Quote(s))
		}
	}
	if len(whole) > 12 {
		return 0, parseErr("amount too large")
	}
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, parseErr("amount too large")
	}
	return v, nil
}

// grouped reports whether whole is digits grouped by commas in threes
// ("1,234", "12,345,678"), the first group of one to three digits.
func grouped(whole string) bool {
	parts := strings.Split(whole, ",")
	if len(parts[0]) < 1 || len(parts[0]) > 3 {
		return false
	}
	for _, g := range parts[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// otherMoney refuses an amount marked with another currency's symbol or
// code ("$3.00" or "3.00 EUR" for a GBP charge).
func otherMoney(t, cur string) error {
	for c, sym := range symbols {
		if c != cur && strings.HasPrefix(t, sym) {
			return parseErr("the amount is in " + strings.ToUpper(cur) + ", not " + strings.ToUpper(c))
		}
	}
	if i := strings.LastIndexByte(t, ' '); i >= 0 {
		if code := strings.ToLower(strings.TrimSpace(t[i+1:])); ValidCurrency(code) && code != cur {
			return parseErr("the amount is in " + strings.ToUpper(cur) + ", not " + strings.ToUpper(code))
		}
	}
	return nil
}

// ParseError is a bad amount, worded for the operator.
type ParseError struct{ Reason string }

func (e *ParseError) Error() string { return e.Reason }

func parseErr(reason string) error { return &ParseError{Reason: reason} }

// Symbol is the prefix shown before amounts of currency ("$"), or "".
func Symbol(currency string) string { return symbols[strings.ToLower(currency)] }

// ValidCurrency reports whether s looks like a lower-case ISO 4217 code.
func ValidCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
