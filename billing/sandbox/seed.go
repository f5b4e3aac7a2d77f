package sandbox

import (
	"math/rand/v2"
	"slices"
)

// personFor derives a customer's name and email domain from the seed and
// its index (nothing is stored per customer unless it is changed).
func (s *Server) personFor(i int) (first, last, domain string) {
	h := splitmix(uint64(s.opts.Seed)*0x9E3779B97F4A7C15 ^ uint64(i)*0xD1B54A32D192ED03)
	first = firstNames[h%uint64(len(firstNames))]
	h = splitmix(h)
	last = lastNames[h%uint64(len(lastNames))]
	h = splitmix(h)
	return first, last, emailDomains[h%uint64(len(emailDomains))]
}

func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

// currencyAmount converts USD cents into a list price in another currency.
func currencyAmount(usdCents int64, cur uint8) int64 {
	switch cur {
	case curEUR:
		return usdCents
	case curGBP:
		return usdCents*8/10/100*100 - 1 // 2900 -> 2299
	case curJPY:
		return usdCents * 150 / 100 / 10 * 10 // whole yen
	}
	return usdCents
}

// seedStatusOrder guarantees every status among the first subscriptions.
var seedStatusOrder = []uint8{stActive, stTrialing, stPastDue, stUnpaid, stCanceled, stIncomplete, stIncompleteExpired, stPaused}

// seeder builds history with provisional indexes, then sorts every
// collection by created and remaps references.
type seeder struct {
	s   *Server
	now int64
	rng *rand.Rand
}

func (s *Server) seed() error {
	now := s.opts.Now().Unix()
	g := &seeder{s: s, now: now, rng: rand.New(rand.NewPCG(uint64(s.opts.Seed), 1))}
	g.catalog()
	n := s.opts.Customers
	if n == 0 {
		return nil
	}
	created := make([]int64, n)
	for i := range created {
		created[i] = now - 3600 - g.rng.Int64N(548*day)
	}
	slices.Sort(created)
	s.customers = make([]customer, n)
	for i := range s.customers {
		s.customers[i] = customer{created: created[i], lastSub: -1, lastInv: -1, lastCharge: -1, lastTxn: -1, nextInv: 1, pm: pmVisa}
	}
	created = nil
	subscribed := 0
	for i := 0; i < n; i++ {
		r := rand.New(rand.NewPCG(uint64(s.opts.Seed), uint64(i)+2))
		if subscribed >= len(seedStatusOrder) && r.Float64() < 0.12 {
			continue // a customer without a subscription
		}
		var st uint8
		if subscribed < len(seedStatusOrder) {
			st = seedStatusOrder[subscribed]
		} else {
			st = pickStatus(r)
		}
		subscribed++
		g.customerHistory(int32(i), st, r)
	}
	g.sortAll()
	return nil
}

func pickStatus(r *rand.Rand) uint8 {
	x := r.Float64()
	switch {
	case x < 0.56:
		return stActive
	case x < 0.64:
		return stTrialing
	case x < 0.71:
		return stPastDue
	case x < 0.74:
		return stUnpaid
	case x < 0.89:
		return stCanceled
	case x < 0.92:
		return stIncomplete
	case x < 0.95:
		return stIncompleteExpired
	}
	return stPaused
}

func (g *seeder) catalog() {
	s := g.s
	base := g.now - 760*day
	np := 3 + g.rng.IntN(3)
	for p := 0; p < np; p++ {
		s.products = append(s.products, product{created: base + int64(p), name: productCatalog[p].name, desc: productCatalog[p].desc, active: true})
	}
	t := base + 100
	for p := 0; p < np; p++ {
		for cur := uint8(0); cur < numCurrencies; cur++ {
			for _, yearly := range []bool{false, true} {
				amt := currencyAmount(tierUSDCents[p], cur)
				if yearly {
					amt *= 10
				}
				s.prices = append(s.prices, price{product: int32(p), created: t, currency: cur, yearly: yearly, amount: amt, active: true,
					lookup: lower(productCatalog[p].name) + "_" + interval(yearly) + "ly_" + currencyCodes[cur], nickname: productCatalog[p].name + " " + interval(yearly) + "ly"})
				t++
			}
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func (g *seeder) priceFor(cur uint8, r *rand.Rand) int32 {
	np := len(g.s.products)
	w := r.Float64()
	p := 0
	switch {
	case w < 0.45:
		p = 0
	case w < 0.8:
		p = 1
	default:
		p = 2 + r.IntN(np-2)
	}
	yearly := r.Float64() < 0.2
	for i, pr := range g.s.prices {
		if int(pr.product) == p && pr.currency == cur && pr.yearly == yearly {
			return int32(i)
		}
	}
	return 0
}

func (g *seeder) addInvoice(in invoice) int32 {
	g.s.invoices = append(g.s.invoices, in)
	return int32(len(g.s.invoices) - 1)
}

func (g *seeder) addCharge(inv int32, at int64, pm, dc uint8) int32 {
	s := g.s
	in := &s.invoices[inv]
	ch := charge{created: at, amount: in.amountDue(), invoice: inv, customer: in.customer, dispute: -1, currency: in.currency, pm: pm}
	if dc != dcNone {
		ch.status, ch.decline = chFailed, dc
	}
	s.charges = append(s.charges, ch)
	c := int32(len(s.charges) - 1)
	in.charge = c
	in.attempts++
	return c
}

var seedDeclines = []uint8{dcGeneric, dcInsufficient, dcInsufficient, dcDoNotHonor, dcExpired, dcLostCard, dcProcessing}

func failingPM(r *rand.Rand) uint8 {
	return []uint8{pmDeclined, pmInsufficient, pmInsufficient, pmExpired}[r.IntN(4)]
}

func pmDecline(pm uint8, r *rand.Rand) uint8 {
	if dc := declineFor(pm); dc != dcNone {
		return dc
	}
	return seedDeclines[r.IntN(len(seedDeclines))]
}

// customerHistory generates one customer's subscription, invoices, charges,
// refunds, disputes and balance in status st.
func (g *seeder) customerHistory(cust int32, st uint8, r *rand.Rand) {
	s := g.s
	cu := &s.customers[cust]
	now := g.now
	cur := uint8(curUSD)
	switch x := r.Float64(); {
	case x < 0.2:
		cur = curEUR
	case x < 0.33:
		cur = curGBP
	case x < 0.43:
		cur = curJPY
	}
	cu.cur, cu.hasCur = cur, true
	if r.Float64() < 0.1 {
		cu.pm = pmMastercard
	}
	pr := g.priceFor(cur, r)
	qty := int64(1)
	if r.Float64() < 0.15 {
		qty = int64(2 + r.IntN(9))
	}
	yearly := s.prices[pr].yearly
	sub := subscription{customer: cust, status: st, latestInvoice: -1, lastInv: -1, prevCust: -1}
	s.itemSeq++
	age := now - cu.created
	switch st {
	case stTrialing:
		sub.created = now - 60 - r.Int64N(13*day)
		sub.trialStart, sub.trialEnd = sub.created, sub.created+14*day
	case stIncomplete:
		sub.created = now - hour - r.Int64N(20*hour)
		cu.pm = failingPM(r)
	case stPaused:
		sub.created = now - 15*day - r.Int64N(45*day)
		sub.trialStart, sub.trialEnd = sub.created, sub.created+14*day
		cu.pm = pmNone
	default:
		sub.created = cu.created + r.Int64N(max(1, min(age/10, 3*day)))
	}
	if sub.created < cu.created {
		sub.created = cu.created
	}
	sub.start = sub.created
	sub.items = []subItem{{id: s.itemSeq, price: pr, qty: qty, created: sub.created}}
	s.subs = append(s.subs, sub)
	si := int32(len(s.subs) - 1)
	amount := s.prices[pr].amount * qty
	newInv := func(at, start, end int64, reason uint8, total int64) int32 {
		in := invoice{customer: cust, sub: si, created: at, periodStart: start, periodEnd: end, charge: -1, currency: cur,
			status: invOpen, reason: reason, price: pr, qty: int32(qty), total: total, number: cu.nextInv, prevSub: -1}
		cu.nextInv++
		return g.addInvoice(in)
	}
	paid := func(inv int32, at int64) {
		in := &s.invoices[inv]
		in.status, in.statusAt, in.amountPaid = invPaid, at, in.amountDue()
	}
	sb := func() *subscription { return &s.subs[si] }

	switch st {
	case stTrialing, stPaused:
		inv := newInv(sub.created, sub.trialStart, sub.trialEnd, brCreate, 0)
		paid(inv, sub.created)
		sb().periodStart, sb().periodEnd, sb().anchor = sub.trialStart, sub.trialEnd, sub.trialEnd
		sb().latestInvoice = inv
		return
	case stIncomplete, stIncompleteExpired:
		end := periodEnd(sub.created, sub.created, yearly)
		inv := newInv(sub.created, sub.created, end, brCreate, amount)
		g.addCharge(inv, sub.created+1, cu.pm, pmDecline(cu.pm, r))
		s.invoices[inv].lastDecline = s.charges[s.invoices[inv].charge].decline
		sb().periodStart, sb().periodEnd, sb().anchor, sb().latestInvoice = sub.created, end, sub.created, inv
		if st == stIncompleteExpired {
			s.invoices[inv].status, s.invoices[inv].statusAt = invVoid, sub.created+23*hour
			sb().endedAt = sub.created + 23*hour
		}
		return
	}

	// Billing periods from creation (after an optional 14-day trial).
	t := sub.created
	if r.Float64() < 0.25 && now-t > 30*day {
		sb().trialStart, sb().trialEnd = t, t+14*day
		inv := newInv(t, t, t+14*day, brCreate, 0)
		paid(inv, t)
		t += 14 * day
	}
	cancelAt := int64(0)
	failedFinal := false
	if st == stCanceled {
		cancelAt = t + r.Int64N(max(1, now-t))
		failedFinal = r.Float64() < 0.4
	}
	sb().anchor = t
	first := true
	for {
		end := periodEnd(sb().anchor, t, yearly)
		reason := brCycle
		if first {
			reason = brCreate
		}
		last := end > now || (cancelAt > 0 && end > cancelAt)
		inv := newInv(t, t, end, reason, amount)
		sb().periodStart, sb().periodEnd, sb().latestInvoice = t, end, inv
		first = false
		switch {
		case last && (st == stPastDue || st == stUnpaid || (st == stCanceled && failedFinal)):
			cum := []int64{0, 3 * day, 8 * day, 15 * day}
			attempts := 4
			if st == stPastDue {
				attempts = 1 + r.IntN(3)
			}
			for k := 0; k < attempts; k++ {
				at := t + 1 + cum[k]
				if at > now {
					at = now - int64(attempts-k)*hour
				}
				g.addCharge(inv, at, cu.pm, pmDecline(cu.pm, r))
			}
			in := &s.invoices[inv]
			in.lastDecline = s.charges[in.charge].decline
			if st == stPastDue {
				in.nextAttempt = max(t+cum[attempts], now+day)
			}
			if st == stCanceled {
				in.status, in.statusAt = invUncollectible, cancelAt
			}
		default:
			if r.Float64() < 0.05 {
				g.addCharge(inv, t+1, cu.pm, seedDeclines[r.IntN(len(seedDeclines))])
				if t+3*day < now {
					g.chargeOK(inv, t+3*day, cu.pm, r)
				} else {
					s.invoices[inv].nextAttempt = t + 3*day
					s.invoices[inv].lastDecline = s.charges[s.invoices[inv].charge].decline
					if st == stActive {
						sb().status = stPastDue
					}
				}
			} else {
				g.chargeOK(inv, t+1, cu.pm, r)
			}
		}
		if last {
			break
		}
		t = end
	}
	switch st {
	case stPastDue, stUnpaid:
		if cu.pm == pmVisa || cu.pm == pmMastercard {
			cu.pm = failingPM(r)
		}
	case stCanceled:
		sb().canceledAt, sb().endedAt = cancelAt, cancelAt
		sb().cancelReason = 1
		if failedFinal {
			sb().cancelReason = 2
		}
	case stActive:
		switch x := r.Float64(); {
		case x < 0.08:
			sb().cancelAtPeriodEnd, sb().cancelAt = true, sb().periodEnd
			sb().canceledAt = now - r.Int64N(max(1, now-sb().periodStart))
		case x < 0.14:
			sb().pause = uint8(1 + r.IntN(3))
			if r.Float64() < 0.5 {
				sb().pauseResumesAt = now + int64(7+r.IntN(60))*day
			}
		}
	}
	if r.Float64() < 0.08 {
		g.balance(cust, cur, r)
	}
}

// chargeOK pays invoice inv at time at and may add a refund or dispute.
func (g *seeder) chargeOK(inv int32, at int64, pm uint8, r *rand.Rand) {
	s := g.s
	c := g.addCharge(inv, at, pm, dcNone)
	in := &s.invoices[inv]
	in.status, in.statusAt, in.amountPaid, in.lastDecline = invPaid, at, in.amountDue(), dcNone
	room := g.now - at
	if room < 2*day {
		return
	}
	ch := &s.charges[c]
	x := r.Float64()
	forced := len(s.disputes) < int(numDisputeStatuses) && room > 40*day && len(s.charges)%7 == 0
	switch {
	case x < 0.03:
		amt := ch.amount
		if r.Float64() < 0.4 {
			amt = max(1, ch.amount*int64(20+r.IntN(60))/100)
		}
		if amt <= 0 {
			return
		}
		ch.amountRefunded = amt
		reason := uint8(r.IntN(len(refundReasons)))
		s.refunds = append(s.refunds, refund{created: at + 1 + r.Int64N(min(room-1, 20*day)), amount: amt, charge: c, currency: ch.currency, reason: reason})
	case forced || (x < 0.038 && room > 40*day):
		g.disputeFor(c, r)
	}
}

func (g *seeder) disputeFor(c int32, r *rand.Rand) {
	s := g.s
	ch := &s.charges[c]
	var st uint8
	if n := len(s.disputes); n < int(numDisputeStatuses) {
		st = uint8(n)
	} else {
		st = uint8(r.IntN(int(numDisputeStatuses)))
	}
	d := dispute{amount: ch.amount, charge: c, currency: ch.currency, status: st, reason: uint8(r.IntN(len(disputeReasons)))}
	now := g.now
	switch st {
	case dsNeedsResponse, dsWarningNeedsResponse:
		if r.Float64() < 0.3 || len(s.disputes) == int(dsNeedsResponse) {
			d.created = now - 22*day - r.Int64N(5*day) // overdue: due_by already passed
		} else {
			d.created = now - day - r.Int64N(18*day)
		}
		if r.Float64() < 0.3 {
			d.evidence = map[string]string{"uncategorized_text": evidenceSamples[r.IntN(len(evidenceSamples))]}
		}
	default:
		d.created = ch.created + 5*day + r.Int64N(max(1, min(now-ch.created-35*day, 60*day)))
		d.evidence = map[string]string{"uncategorized_text": evidenceSamples[r.IntN(len(evidenceSamples))]}
		d.submissions = 1
		if st == dsWarningClosed && r.Float64() < 0.5 {
			d.evidence, d.submissions = nil, 0
		}
	}
	if d.created <= ch.created {
		d.created = ch.created + day
	}
	d.dueBy = d.created + 21*day
	s.disputes = append(s.disputes, d)
	ch.dispute = int32(len(s.disputes) - 1)
}

func (g *seeder) balance(cust int32, cur uint8, r *rand.Rand) {
	s := g.s
	cu := &s.customers[cust]
	n := 1 + r.IntN(3)
	scale := int64(100)
	if cur == curJPY {
		scale = 150
	}
	t := max(cu.created, g.now-90*day)
	descs := []string{"Goodwill credit", "Service outage credit", "Migration credit", "Referral credit"}
	for k := 0; k < n; k++ {
		t += 1 + r.Int64N(max(1, (g.now-t)/2))
		amt := -scale * int64(5+r.IntN(45))
		if k > 0 && r.Float64() < 0.3 {
			amt = scale * int64(1+r.IntN(5)) // a small debit adjustment
		}
		cu.balance += amt
		desc := descs[r.IntN(len(descs))] // drawn either way: the seed's sequence stays
		if amt > 0 {
			desc = "Correction of an earlier credit" // a debit is no credit
		}
		s.txns = append(s.txns, balanceTxn{created: t, amount: amt, endingBalance: cu.balance, customer: cust, invoice: -1,
			currency: cur, typ: btAdjustment, description: desc})
	}
}
