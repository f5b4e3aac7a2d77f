package money

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	cases := []struct {
		minor    int64
		currency string
		want     string
	}{
		{123456, "usd", "$1,234.56"},
		{5, "usd", "$0.05"},
		{0, "eur", "€0.00"},
		{-2500, "gbp", "-£25.00"},
		{1200, "jpy", "¥1,200"},
		{1200, "JPY", "¥1,200"},
		{123456, "kwd", "123.456 KWD"},
		{-500, "sek", "-5.00 SEK"},
		{99, "", "0.99"},
		{1_000_000_000, "krw", "1,000,000,000 KRW"},
		{math.MinInt64, "usd", "-$92,233,720,368,547,758.08"},
	}
	for _, c := range cases {
		if got := Format(c.minor, c.currency); got != c.want {
			t.Errorf("Format(%d, %q) = %q, want %q", c.minor, c.currency, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	good := []struct {
		in, currency string
		want         int64
	}{
		{"12.50", "usd", 1250},
		{"12.5", "usd", 1250},
		{"12", "usd", 1200},
		{"$1,200.01", "usd", 120001},
		{" .99 ", "eur", 99},
		{"1200", "jpy", 1200},
		{"1.234", "kwd", 1234},
	}
	for _, c := range good {
		got, err := Parse(c.in, c.currency)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q, %q) = %d, %v; want %d", c.in, c.currency, got, err, c.want)
		}
	}
	bad := []struct{ in, currency, reason string }{
		{"", "usd", "enter an amount"},
		{"-5", "usd", "the amount cannot be negative"},
		{"1.234", "usd", "at most 2 digits after the point"},
		{"12.5", "jpy", "JPY has no minor units: enter a whole amount"},
		{"12a", "usd", `not a number: "12a"`},
		{"99999999999999999", "usd", "amount too large"},
	}
	for _, c := range bad {
		_, err := Parse(c.in, c.currency)
		var me *ParseError
		if !errors.As(err, &me) || me.Reason != c.reason {
			t.Errorf("Parse(%q, %q) error = %v, want %q", c.in, c.currency, err, c.reason)
		}
	}
}

func TestParseTakesTrailingCodeAndRefusesBadCurrencies(t *testing.T) {
	if v, err := Parse("12.50 EUR", "eur"); err != nil || v != 1250 {
		t.Fatalf("Parse(12.50 EUR) = %d, %v", v, err)
	}
	for _, c := range []string{"usd", "jpy"} {
		if !ValidCurrency(c) {
			t.Errorf("%s refused", c)
		}
	}
	for _, c := range []string{"", "US", "USD", "us1"} {
		if ValidCurrency(c) {
			t.Errorf("%q accepted", c)
		}
	}
}

// TestParseGrammar is the one amount grammar, as every surface reads it.
// A comma is a thousands separator only in groups of three before the
// point; everything ambiguous is refused rather than read as another sum.
func TestParseGrammar(t *testing.T) {
	const usePoint = "use a point for decimals"
	cases := []struct {
		in, currency string
		want         int64  // minor units when accepted
		refused      string // start of the reason when refused
	}{
		{"0,05", "usd", 0, usePoint},
		{"1,50", "usd", 0, usePoint},
		{"4,50", "eur", 0, usePoint},
		{"1,234.50", "usd", 123450, ""},
		{"12,345,678.90", "usd", 1234567890, ""},
		{"1.234,50", "eur", 0, usePoint},
		{"1,2345", "usd", 0, usePoint},
		{",5", "usd", 0, usePoint},
		{"1,,234", "usd", 0, usePoint},
		{"1234,50", "usd", 0, usePoint},
		{"12.", "usd", 0, "digits must follow the point"},
		{".5", "usd", 50, ""},
		{" 12", "usd", 1200, ""},
		{"12 ", "usd", 1200, ""},
		{"$3.00", "usd", 300, ""},
		{"$ 3.00", "usd", 300, ""},
		{"$3.00", "eur", 0, "the amount is in EUR, not USD"},
		{"3.00 USD", "usd", 300, ""},
		{"3.00 usd", "usd", 300, ""},
		{"3.00 EUR", "usd", 0, "the amount is in USD, not EUR"},
		{"1e3", "usd", 0, "not a number"},
		{"0x10", "usd", 0, "not a number"},
		{"-5", "usd", 0, "the amount cannot be negative"},
		{"−5", "usd", 0, "the amount cannot be negative"},
		{"$-5", "usd", 0, "the amount cannot be negative"},
		{"0", "usd", 0, ""},
		{"０.０５", "usd", 0, "type the digits 0-9"},
		{"１２", "jpy", 0, "type the digits 0-9"},
		{"١٢٫٥٠", "usd", 0, "type the digits 0-9"},
		{"١٢", "usd", 0, "type the digits 0-9"},
		// zero-decimal currencies
		{"1,200", "jpy", 1200, ""},
		{"¥1,200", "jpy", 1200, ""},
		{"1,20", "jpy", 0, usePoint},
		{"12.5", "jpy", 0, "JPY has no minor units"},
		{"500 KRW", "krw", 500, ""},
		// three-decimal currencies
		{"1.234", "kwd", 1234, ""},
		{"1,234.567", "kwd", 1234567, ""},
		{"1,5", "kwd", 0, usePoint},
		{"1.2345", "kwd", 0, "at most 3 digits after the point"},
	}
	for _, c := range cases {
		got, err := Parse(c.in, c.currency)
		switch {
		case c.refused == "" && (err != nil || got != c.want):
			t.Errorf("Parse(%q, %s) = %d, %v; want %d", c.in, c.currency, got, err, c.want)
		case c.refused != "":
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.HasPrefix(pe.Reason, c.refused) {
				t.Errorf("Parse(%q, %s) = %d, %v; want refused: %s…", c.in, c.currency, got, err, c.refused)
			}
		}
	}
}
