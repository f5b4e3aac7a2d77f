package dunning

import "time"

// Report is the Dunning view's content for one window.
type Report struct {
	Window   Window
	From, To time.Time

	// Failed counts failed payment attempts (failed charges) created in the
	// window, with their amounts.
	Failed Tally
	// Recovered counts invoices paid in the window after at least one failed
	// attempt, with the amounts paid.
	Recovered Tally
	// Cohort follows the distinct invoices of the window's failed attempts.
	Cohort Cohort
	// RateByCount is Cohort.Recovered.Count / Cohort.Invoices.Count.
	RateByCount float64
	// RateByAmount is, per currency, the cohort's amount paid over its amount due.
	RateByAmount map[string]float64
	// AtRisk is the monthly recurring revenue of past_due and unpaid
	// subscriptions (Count subscriptions).
	AtRisk Tally
	// Churned counts subscriptions canceled in the window after failed
	// payments; Amount is the MRR they took with them.
	Churned Tally
	// AvgDaysToRecover averages, over Recovered, the days from the first
	// failed attempt to payment.
	AvgDaysToRecover float64
	// Days is the per-day series, oldest first, one entry per day of the window.
	Days []Day
	// Declines breaks the cohort's invoices down by the decline code of
	// each one's latest failed attempt in the window, most frequent first;
	// Amount is their amount due, so the rows add up to Cohort.Invoices.
	Declines []Decline
	// WithoutInvoice counts the window's failed attempts that belong to no
	// invoice (one-off payments): in Failed, not in the cohort.
	WithoutInvoice Tally
	// Work is the worklist, by default in currency code order, largest
	// amount first within a currency (see SortWork).
	Work []WorkItem
}

// Cohort is what became of the invoices that failed in the window.
type Cohort struct {
	// Invoices are the distinct invoices with a failed attempt in the
	// window; Amount is their amount due.
	Invoices Tally
	// Recovered are those now paid; Amount is their amount paid.
	Recovered Tally
	// Unpaid are those still open or uncollectible; Amount is what they
	// still owe (amount_remaining).
	Unpaid Tally
	// Closed counts the rest by status (void, draft): neither paid nor
	// owed, so Recovered, Unpaid and Closed add up to Invoices.
	Closed map[string]int
}

// Day is one day of the series.
type Day struct {
	Start  time.Time
	Failed int // failed attempts that day
	// Recovered counts the cohort's invoices (a failed payment in the
	// window) paid that day, so the series adds up to Cohort.Recovered
	// (those paid in the window) as the screen's figures do.
	Recovered int
}

// Decline is one decline code's share of the cohort's invoices.
type Decline struct {
	Code   string
	Count  int
	Amount Amounts
}
