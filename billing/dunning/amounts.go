package dunning

import (
	"slices"
	"strings"
)

// Amounts maps a lowercase currency code to an amount in its minor units.
// Amounts in different currencies are never added together.
type Amounts map[string]int64

// Add adds v minor units of currency cur.
func (a Amounts) Add(cur string, v int64) {
	a[strings.ToLower(cur)] += v
}

// Currencies lists the currencies held in code order (amounts in different
// currencies have no order between them).
func (a Amounts) Currencies() []string {
	out := make([]string, 0, len(a))
	for c := range a {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Tally is a count of things and their amounts per currency.
type Tally struct {
	Count  int
	Amount Amounts
	// Unpriced counts the subscriptions (of Count) with a metered or tiered
	// item that Amount leaves out: their MRR is not known from the cache.
	Unpriced int
}

func newTally() Tally { return Tally{Amount: Amounts{}} }

func (t *Tally) add(cur string, v int64) {
	t.Count++
	t.Amount.Add(cur, v)
}

// ratio is num/den, 0 when den is 0.
func ratio(num, den int64) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}
