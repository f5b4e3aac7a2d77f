package billing

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/paydesk/paydesk/storage"
)

// Balance transactions are listed per customer (Stripe has no account-wide
// list), for the cached customers whose balance is not zero. Those are found
// in the cache's amount index without loading the customer bucket: phase 0
// walks it from the largest balance down and stops at the first balance
// <= 0; phase 1 walks it from the most negative up and stops at the first
// balance >= 0. Phase 2 visits the customers whose balance is zero but who
// have balance transactions all the same: a credit that an invoice used up
// (or an owed balance an invoice took in) leaves the customer at zero with
// transactions Stripe keeps. Stripe sends no event for a customer balance
// transaction, so those customers are found from what the cache knows: the
// cached invoices and credit notes that moved a balance
// (Store.BalanceHintCustomers) and the customers with cached transactions.
// Phase 2 therefore waits until this run has walked invoices and credit
// notes. Customers that never had a balance are never visited.
//
// The customers of one cache page (phase 2: of 100 ids in id order) are
// listed side by side through the worker pool. The kind's cursor.After
// holds "phase|page token|customers of that page done" (ids, comma
// separated; phase 2's token is the last id of the previous chunk): a
// resumed run reopens the page it was working on and skips the customers
// already done; a customer cut off mid-way is listed again (writes are
// idempotent).

type balanceCursor struct {
	phase int
	token string
	done  []string // customers of the page at token finished
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
	b := balanceCursor{phase: phase, token: parts[1]}
	if parts[2] != "" {
		b.done = strings.Split(parts[2], ",")
	}
	return b
}

func (b balanceCursor) String() string {
	return strconv.Itoa(b.phase) + "|" + b.token + "|" + strings.Join(b.done, ",")
}

const customerPage = 100

// balanceWalk is the shared state of the per-customer lists of one run.
type balanceWalk struct {
	r      *backfillRun
	mu     sync.Mutex // orders cursor writes; guards what follows
	pos    balanceCursor
	cur    storage.Cursor
	last   *storage.PageTicket // the page queued last
	failed error               // a page write failed: nothing more is queued
}

// balanceHintKinds are the kinds whose objects show customer balance
// transactions (storage.Fields.ShowsBalanceTxn): phase 2 waits for their
// walks.
var balanceHintKinds = []storage.Kind{storage.KindInvoice, storage.KindCreditNote}

func (r *backfillRun) balances(ctx context.Context) error {
	kind := storage.KindBalanceTransaction
	cur, err := r.store.Cursor(kind)
	if err != nil {
		return err
	}
	if cur.StartedAt == 0 {
		cur.StartedAt = r.startedAt()
	}
	w := &balanceWalk{r: r, pos: parseBalanceCursor(cur.After), cur: cur}
	for ; w.pos.phase <= 1; w.pos = (balanceCursor{phase: w.pos.phase + 1}) {
		for {
			page, err := r.store.List(storage.Query{
				Kind: storage.KindCustomer, Sort: storage.SortAmount,
				Asc: w.pos.phase == 1, Limit: customerPage, After: w.pos.token,
			})
			if err != nil {
				return fmt.Errorf("walk cached customers: %w", err)
			}
			var todo []string
			phaseOver := false
			for _, env := range page.Items {
				if (w.pos.phase == 0 && env.Amount <= 0) || (w.pos.phase == 1 && env.Amount >= 0) {
					phaseOver = true
					break
				}
				if !slices.Contains(w.pos.done, env.ID) {
					todo = append(todo, env.ID)
				}
			}
			if err := w.customers(ctx, todo); err != nil {
				return err
			}
			if phaseOver || page.Next == "" {
				break
			}
			w.mu.Lock()
			w.pos.token, w.pos.done = page.Next, nil
			w.mu.Unlock()
		}
	}
	if w.pos.phase == 2 {
		if err := r.waitWalked(ctx, balanceHintKinds...); err != nil {
			return err
		}
		ids, err := r.zeroBalanceWithTxns()
		if err != nil {
			return err
		}
		// Chunks of customerPage ids after the token (the last id of the
		// chunk before), like the pages of phases 0 and 1.
		rest := ids[sort.SearchStrings(ids, w.pos.token+"\x00"):]
		for len(rest) > 0 {
			chunk := rest[:min(customerPage, len(rest))]
			rest = rest[len(chunk):]
			var todo []string
			for _, id := range chunk {
				if !slices.Contains(w.pos.done, id) {
					todo = append(todo, id)
				}
			}
			if err := w.customers(ctx, todo); err != nil {
				return err
			}
			w.mu.Lock()
			w.pos.token, w.pos.done = chunk[len(chunk)-1], nil
			w.mu.Unlock()
		}
	}
	// Mark the kind done (an empty page carries the final cursor).
	w.cur.After, w.cur.Done = "", true
	if _, err := r.store.PutPage(kind, nil, r.c.now().Unix(), w.cur); err != nil {
		return err
	}
	r.mu.Lock()
	r.kinds[kind].done = true
	r.mu.Unlock()
	r.report(kind, true, false)
	return nil
}

// customers lists the balance transactions of customers side by side and
// returns the first error (the others stop with it).
func (w *balanceWalk) customers(ctx context.Context, ids []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	// At most a pool's worth of customers wait for a slot at once, so the
	// ranges of other kinds walked meanwhile queue beside them instead of
	// behind a whole page of customers.
	sem := make(chan struct{}, w.r.c.pool.size())
	for _, id := range ids {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := w.customer(ctx, id); err != nil {
				once.Do(func() { firstErr = err; cancel() })
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err() // stopped before every customer started
	}
	return firstErr
}

// customer fetches every balance transaction of one customer, a page per
// request. The customer joins the cursor's done list in the transaction
// that writes its last page.
func (w *balanceWalk) customer(ctx context.Context, customer string) error {
	r := w.r
	after := ""
	for {
		var page Page
		var at int64
		err := r.c.pool.doSpare(ctx, r.c.transport.wantInFlight, func() error {
			at = r.c.now().Unix()
			var err error
			page, err = r.c.ListPage(ctx, ListOptions{Kind: storage.KindBalanceTransaction, Customer: customer, After: after})
			return err
		})
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		last := !page.HasMore || len(page.Data) == 0
		if err := w.write(page, at, customer, last); err != nil {
			return err
		}
		r.report(storage.KindBalanceTransaction, false, false)
		if last {
			return nil
		}
		if after, err = objectID(page.Data[len(page.Data)-1]); err != nil {
			return err
		}
	}
}

// write stores one page of customer's transactions with the cursor; when
// it is the customer's last page the customer is recorded as done.
//
// Pages of different customers are written side by side (they share
// commits): each is queued, in the order its cursor was computed, with the
// page queued before it (storage.QueuePage), so the done list it carries
// names only customers whose pages are committed before it or with it, and
// it is not written when an earlier page failed.
func (w *balanceWalk) write(page Page, at int64, customer string, last bool) error {
	w.mu.Lock()
	if w.failed != nil {
		w.mu.Unlock()
		return w.failed
	}
	if last {
		w.pos.done = append(slices.Clip(w.pos.done), customer)
	}
	w.cur.Fetched += len(page.Data)
	w.cur.After = w.pos.String()
	w.last = w.r.store.QueuePage(storage.KindBalanceTransaction, page.Data, at, w.cur, w.last)
	ticket := w.last
	w.mu.Unlock()
	if _, err := ticket.Wait(); err != nil {
		w.mu.Lock()
		if w.failed == nil {
			w.failed = err
		}
		w.mu.Unlock()
		return err
	}
	w.r.counted(storage.KindBalanceTransaction, len(page.Data), false)
	return nil
}

// zeroBalanceWithTxns returns, sorted, the cached customers whose cached
// balance is zero and who have balance transactions all the same: cached
// ones, or an invoice or credit note that shows one (phases 0 and 1 visit
// the customers with a balance).
func (r *backfillRun) zeroBalanceWithTxns() ([]string, error) {
	seen := map[string]bool{}
	hinted, err := r.store.BalanceHintCustomers()
	if err != nil {
		return nil, err
	}
	for _, id := range hinted {
		seen[id] = true
	}
	err = r.store.Walk(storage.Range{Kind: storage.KindBalanceTransaction, ReleaseOver: residentBudget}, func(e storage.Envelope) error {
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
