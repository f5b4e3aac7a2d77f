package sandbox

import (
	"fmt"
	"strconv"
)

var currencySymbols = [numCurrencies]string{"$", "€", "£", "¥"}

func zeroDecimal(cur uint8) bool { return cur == curJPY }

// formatMoney renders minor units like Stripe's line descriptions ("$29.00", "¥1,350").
func formatMoney(amount int64, cur uint8) string {
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	if zeroDecimal(cur) {
		return sign + currencySymbols[cur] + groupThousands(amount)
	}
	return fmt.Sprintf("%s%s%s.%02d", sign, currencySymbols[cur], groupThousands(amount/100), amount%100)
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// prorate returns amount × remaining/total, rounded half away from zero.
func prorate(amount, remaining, total int64) int64 {
	if total <= 0 || remaining <= 0 {
		return 0
	}
	if remaining > total {
		remaining = total
	}
	num := amount * remaining
	q := num / total
	if r := num % total; 2*r >= total {
		q++
	}
	return q
}
