package format

import "github.com/paydesk/paydesk/billing/money"

// Exponent is the number of minor-unit digits of a currency (2 for usd,
// 0 for jpy, 3 for kwd).
func Exponent(currency string) int { return money.Exponent(currency) }

// Money formats minor units of currency for a screen: Money(123456, "usd")
// is "$1,234.56", Money(1200, "jpy") "¥1,200", Money(-500, "sek")
// "-5.00 SEK".
func Money(minor int64, currency string) string { return money.Format(minor, currency) }

// Decimal writes minor units as a grouped decimal with exp fraction digits.
func Decimal(minor int64, exp int) string { return money.Decimal(minor, exp) }

// ParseMoney reads what an operator typed into minor units of currency;
// its errors (*money.ParseError) are worded for a form.
func ParseMoney(s, currency string) (int64, error) { return money.Parse(s, currency) }

// MoneyError is a bad amount, worded for the operator.
type MoneyError = money.ParseError

// Balance words a customer balance or balance transaction amount the one
// way every screen shows it: "€20.00 credit" (negative, Stripe's credit),
// "€20.00 owed" (positive) or "€0.00". See money.Balance.
func Balance(minor int64, currency string) string { return money.Balance(minor, currency) }
