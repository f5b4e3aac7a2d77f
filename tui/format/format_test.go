package format

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestMoney(t *testing.T) {
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
		if got := Money(c.minor, c.currency); got != c.want {
			t.Errorf("Money(%d, %q) = %q, want %q", c.minor, c.currency, got, c.want)
		}
	}
}

func TestParseMoney(t *testing.T) {
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
		got, err := ParseMoney(c.in, c.currency)
		if err != nil || got != c.want {
			t.Errorf("ParseMoney(%q, %q) = %d, %v; want %d", c.in, c.currency, got, err, c.want)
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
		_, err := ParseMoney(c.in, c.currency)
		var me *MoneyError
		if !errors.As(err, &me) || me.Reason != c.reason {
			t.Errorf("ParseMoney(%q, %q) error = %v, want %q", c.in, c.currency, err, c.reason)
		}
	}
}

func TestRelative(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "-"},
		{now.Add(-10 * time.Second), "just now"},
		{now.Add(-5 * time.Minute), "5m ago"},
		{now.Add(3 * time.Hour), "in 3h"},
		{now.Add(72 * time.Hour), "in 3d"},
		{now.Add(-100 * 24 * time.Hour), "3mo ago"},
		{now.Add(-800 * 24 * time.Hour), "2y ago"},
	}
	for _, c := range cases {
		if got := Relative(c.t, now); got != c.want {
			t.Errorf("Relative(%v) = %q, want %q", c.t, got, c.want)
		}
	}
	if got := Date(0, time.UTC); got != "-" {
		t.Errorf("Date(0) = %q", got)
	}
	if got := Stamp(now.Unix(), time.UTC); got != "2026-11-23 12:00" {
		t.Errorf("Stamp = %q", got)
	}
}

func TestSparkline(t *testing.T) {
	if got := Sparkline([]int{0, 1, 2, 4, 8}); got != ".▁▂▄█" {
		t.Errorf("Sparkline = %q", got)
	}
	if got := SparklineTo([]int{1, 2, 5}, 2); got != "▄██" {
		t.Errorf("SparklineTo = %q", got)
	}
	if got := Sparkline([]int{0, 0}); got != ".." {
		t.Errorf("zeros = %q", got)
	}
}
