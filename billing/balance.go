package billing

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/paydesk/paydesk/storage"
)

// Balance transactions are listed per customer (Stripe has no account-wide
// list), for the cached customers whose balance is not zero. Those are found
// in the cache's amount index without loading the customer bucket: phase 0
// walks it from the largest balance down and stops at the first balance
// <= 0; phase 1 walks it from the most negative up and stops at the first
// balance >= 0. Phase 2 visits the customers whose balance is zero but who
// have cached transactions: a balance that went back to zero since the last
// backfill (credit applied to an invoice) leaves transactions the cache has
// not seen, and Stripe keeps them. Customers that never had a balance are
// never visited.
//
// The kind's cursor.After holds "phase|page token|last customer done": a
// resumed run reopens the cache page it was working on and skips the
// customers already done (if that customer left the page, the whole page is
// fetched again; writes are idempotent).

type balanceCursor struct {
	phase int
	token string
	last  string
}

func parseBalanceCursor(s string) balanceCursor {
	parts := strings.SplitN(s, "|", 3)
	if len(parts) != 3 {
		return balanceCursor{}
	}
	phase, err := strconv.Atoi(parts[0])
	if err != nil || phase < 0 || phase > 2 {
		return balanceCursor{}
	}
	return balanceCursor{phase: phase, token: parts[1], last: parts[2]}
}

func (b balanceCursor) String() string {
	return strconv.Itoa(b.phase) + "|" + b.token + "|" + b.last
}

const customerPage = 100

func (r *backfillRun) balances(ctx context.Context, cur storage.Cursor) error {
	pos := parseBalanceCursor(cur.After)
	pages := 0
	for ; pos.phase <= 1; pos = (balanceCursor{phase: pos.phase + 1}) {
		for {
			page, err := r.store.List(storage.Query{
				Kind: storage.KindCustomer, Sort: storage.SortAmount,
				Asc: pos.phase == 1, Limit: customerPage, After: pos.token,
			})
			if err != nil {
				return fmt.Errorf("walk cached customers: %w", err)
			}
			startAt := 0
			if pos.last != "" {
				for i, env := range page.Items {
					if env.ID == pos.last {
						startAt = i + 1
						break
					}
				}
			}
			phaseOver := false
			for _, env := range page.Items[startAt:] {
				if (pos.phase == 0 && env.Amount <= 0) || (pos.phase == 1 && env.Amount >= 0) {
					phaseOver = true
					break
				}
				n, err := r.customerBalance(ctx, env.ID, pos, &cur)
				if err != nil {
					return err
				}
				pages += n
				pos.last = env.ID
				cur.After = pos.String()
				r.report(storage.KindBalanceTransaction, pages, cur, false)
			}
			if phaseOver || page.Next == "" {
				break
			}
			pos.token, pos.last = page.Next, ""
		}
	}
	if pos.phase == 2 {
		ids, err := r.zeroBalanceWithTxns()
		if err != nil {
			return err
		}
		for _, id := range ids {
			if pos.last != "" && id <= pos.last {
				continue // done before an interruption (ids are sorted)
			}
			n, err := r.customerBalance(ctx, id, pos, &cur)
			if err != nil {
				return err
			}
			pages += n
			pos.last = id
			cur.After = pos.String()
			r.report(storage.KindBalanceTransaction, pages, cur, false)
		}
	}
	// Mark the kind done (an empty page carries the final cursor).
	cur.After = ""
	if err := r.write(storage.KindBalanceTransaction, nil, r.c.now().Unix(), &cur, true); err != nil {
		return err
	}
	r.report(storage.KindBalanceTransaction, pages, cur, false)
	return nil
}

// customerBalance fetches every balance transaction of one customer, a page
// per transaction. While the customer is in progress the stored cursor still
// names the previous customer, so an interruption refetches this one.
func (r *backfillRun) customerBalance(ctx context.Context, customer string, pos balanceCursor, cur *storage.Cursor) (int, error) {
	pages := 0
	after := ""
	for {
		at := r.c.now().Unix()
		page, err := r.c.ListPage(ctx, ListOptions{Kind: storage.KindBalanceTransaction, Customer: customer, After: after})
		if err != nil {
			return pages, err
		}
		last := !page.HasMore || len(page.Data) == 0
		cur.After = pos.String() // pos.last is the previous customer
		if last {
			cur.After = balanceCursor{phase: pos.phase, token: pos.token, last: customer}.String()
		}
		if err := r.write(storage.KindBalanceTransaction, page.Data, at, cur, false); err != nil {
			return pages, err
		}
		pages++
		if last {
			return pages, nil
		}
		if after, err = objectID(page.Data[len(page.Data)-1]); err != nil {
			return pages, err
		}
	}
}

// zeroBalanceWithTxns returns, sorted, the customers with cached balance
// transactions whose cached balance is zero (phases 0 and 1 visit the rest).
func (r *backfillRun) zeroBalanceWithTxns() ([]string, error) {
	seen := map[string]bool{}
	err := r.store.Walk(storage.Range{Kind: storage.KindBalanceTransaction}, func(e storage.Envelope) error {
		if e.Customer != "" {
			seen[e.Customer] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk cached balance transactions: %w", err)
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		cu, err := r.store.Get(storage.KindCustomer, id)
		if err != nil || cu.Amount != 0 {
			continue // not cached (its list fails the same way) or visited already
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}
