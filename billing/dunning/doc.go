// Package dunning computes the Dunning view's figures from the local cache:
// failed payment attempts, recoveries, recovery rates, at-risk MRR,
// involuntary churn, days to recover, a per-day series, a decline-code
// breakdown and the worklist of subscriptions and invoices still in dunning.
// It holds data only (no UI) and reads storage through its time-ranged
// indexes, never a whole bucket:
//
//   - failed attempts: charges with status "failed", idx/charge/status walked
//     from the window's start (charge created time);
//   - recovered: invoices paid within the window (idx/invoice/status_at,
//     status "paid", by status_transitions.paid_at) after at least one failed
//     attempt (attempt_count >= 2: the successful attempt counts too);
//   - the recovery cohort: the distinct invoices of the window's failed
//     attempts, looked up by id, and how many of them are paid now;
//   - at-risk MRR and the worklist: the past_due and unpaid groups of
//     idx/subscription/status and the open group of idx/invoice/status (those
//     groups hold only what is in dunning now, whatever its age);
//   - involuntary churn: idx/subscription/status_at, status "canceled", by
//     ended_at within the window, counting those canceled for
//     payment_failed (or, without a cancellation reason, whose latest
//     invoice is unpaid after a failed attempt);
//   - days to recover: from the invoice's first failed charge (its
//     customer's charges in idx/charge/customer between the invoice's
//     creation and its payment) to paid_at.
//
// Money never mixes currencies: every amount is an Amounts map from
// lowercase currency code to int64 minor units, and rates by amount are per
// currency.
package dunning
