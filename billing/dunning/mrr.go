package dunning

// MonthlyAmount normalises one recurring amount to a month: a month interval
// is divided by its interval_count, a year by 12 x count, a week is x52/12
// and a day x365/12 (per count), rounded half away from zero to the minor
// unit. ok is false for an unknown interval.
func MonthlyAmount(amount int64, interval string, count int64) (int64, bool) {
	if count <= 0 {
		count = 1
	}
	var num, den int64
	switch interval {
	case "month":
		num, den = 1, count
	case "year":
		num, den = 1, 12*count
	case "week":
		num, den = 52, 12*count
	case "day":
		num, den = 365, 12*count
	default:
		return 0, false
	}
	return divRound(amount*num, den), true
}

func divRound(n, d int64) int64 {
	if n < 0 {
		return -divRound(-n, d)
	}
	return (n + d/2) / d
}

// subscriptionMRR adds the monthly value of each item of s (unit amount x
// quantity, normalised per item) to into, per currency. It reports whether
// it left an item out because its price has no unit amount (a metered or
// tiered price, whose amount only Stripe's invoice knows).
func subscriptionMRR(s *subscription, into Amounts) (leftOut bool) {
	for _, it := range s.Items.Data {
		if it.Price.UnitAmount == nil {
			leftOut = true
			continue
		}
		if it.Price.Recurring == nil {
			continue
		}
		qty := int64(1)
		if it.Quantity != nil {
			qty = *it.Quantity
		}
		m, ok := MonthlyAmount(*it.Price.UnitAmount*qty, it.Price.Recurring.Interval, it.Price.Recurring.IntervalCount)
		if ok {
			into.Add(it.Price.Currency, m)
		}
	}
	return leftOut
}
