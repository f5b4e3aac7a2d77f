package billing

import (
	"strconv"
	"strings"
)

// Money in the money actions: amounts are int64 minor units with their
// currency's exponent. billing cannot import the TUI's format package (the
// arrows point from tui to billing), so the few rules it needs are kept
// here; action_money_test.go checks that both agree.

// zeroDecimalCurrencies are charged in whole units
// (https://docs.stripe.com/currencies#zero-decimal).
var zeroDecimalCurrencies = map[string]bool{
	"bif": true, "clp": true, "djf": true, "gnf": true, "jpy": true,
	"kmf": true, "krw": true, "mga": true, "pyg": true, "rwf": true,
	"ugx": true, "vnd": true, "vuv": true, "xaf": true, "xof": true,
	"xpf": true,
}

// threeDecimalCurrencies have three minor digits.
var threeDecimalCurrencies = map[string]bool{
	"bhd": true, "jod": true, "kwd": true, "omr": true, "tnd": true,
}

var currencySymbols = map[string]string{
	"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cad": "CA$", "aud": "A$",
}

// CurrencyExponent is the number of minor-unit digits of a currency.
func CurrencyExponent(currency string) int {
	c := strings.ToLower(currency)
	switch {
	case zeroDecimalCurrencies[c]:
		return 0
	case threeDecimalCurrencies[c]:
		return 3
	}
	return 2
}

// FormatAmount renders minor units of currency for a confirmation line:
// FormatAmount(4250, "usd") is "$42.50", FormatAmount(1200, "jpy") "¥1,200",
// FormatAmount(-500, "sek") "-5.00 SEK".
func FormatAmount(minor int64, currency string) string {
	c := strings.ToLower(currency)
	exp := CurrencyExponent(c)
	mag := uint64(minor)
	sign := ""
	if minor < 0 {
		mag, sign = -mag, "-"
	}
	digits := strconv.FormatUint(mag, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-exp], digits[len(digits)-exp:]
	var b strings.Builder
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
	if sym, ok := currencySymbols[c]; ok {
		return sign + sym + b.String()
	}
	if c == "" {
		return sign + b.String()
	}
	return sign + b.String() + " " + strings.ToUpper(c)
}

// parseAmount reads what an operator typed ("12.50", "1,200") into minor
// units of currency. Failures are *FieldError on field, worded for a form.
func parseAmount(field, s, currency string) (int64, error) {
	exp := CurrencyExponent(currency)
	t := strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	for _, sym := range currencySymbols {
		t = strings.TrimPrefix(t, sym)
	}
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, strings.ToUpper(currency)), strings.ToLower(currency)))
	if t == "" {
		return 0, fieldErr(field, "enter an amount")
	}
	if strings.HasPrefix(t, "-") {
		return 0, fieldErr(field, "the amount cannot be negative")
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if hasDot && len(frac) > exp {
		if exp == 0 {
			return 0, fieldErr(field, strings.ToUpper(currency)+" has no minor units: enter a whole amount")
		}
		return 0, fieldErr(field, "at most "+strconv.Itoa(exp)+" digits after the point for "+strings.ToUpper(currency))
	}
	if whole == "" {
		whole = "0"
	}
	frac += strings.Repeat("0", exp-len(frac))
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, fieldErr(field, "not a number: "+strconv.Quote(s))
		}
	}
	if len(whole) > 12 {
		return 0, fieldErr(field, "amount too large")
	}
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fieldErr(field, "amount too large")
	}
	if v == 0 {
		return 0, fieldErr(field, "the amount must be more than zero")
	}
	return v, nil
}

// validCurrency reports whether s looks like an ISO 4217 code.
func validCurrency(s string) bool {
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
