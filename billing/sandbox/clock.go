package sandbox

import (
	"container/heap"
	"time"
)

// Kinds of scheduled work the demo clock performs.
const (
	dueRenewal uint8 = iota + 1
	dueRetry
	dueTrialWillEnd
	dueIncompleteExpiry
	dueUnpause
	dueDisputeDeadline
	dueDisputeDecision
	dueNewDispute
)

type dueItem struct {
	at   int64
	seq  uint64 // FIFO among equal times
	what uint8
	idx  int32
}

type dueHeap []dueItem

func (h dueHeap) Len() int { return len(h) }
func (h dueHeap) Less(a, b int) bool {
	if h[a].at != h[b].at {
		return h[a].at < h[b].at
	}
	return h[a].seq < h[b].seq
}
func (h dueHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *dueHeap) Push(x any)   { *h = append(*h, x.(dueItem)) }
func (h *dueHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// schedule queues work; entries are re-validated when they come due, so a
// stale entry (state changed since) is harmless.
func (s *Server) schedule(at int64, what uint8, idx int32) {
	if s.due == nil {
		return // built lazily from the state on the first Advance
	}
	s.dueSeq++
	heap.Push(s.due, dueItem{at: at, seq: s.dueSeq, what: what, idx: idx})
}

func (s *Server) buildDue() {
	h := make(dueHeap, 0, len(s.subs)+len(s.disputes)+64)
	s.due = &h
	for i := range s.subs {
		sb := &s.subs[i]
		switch sb.status {
		case stActive, stPastDue, stUnpaid, stTrialing:
			s.schedule(sb.periodEnd, dueRenewal, int32(i))
			if sb.status == stTrialing {
				s.schedule(sb.trialEnd-3*day, dueTrialWillEnd, int32(i))
			}
		case stIncomplete:
			s.schedule(sb.created+23*hour, dueIncompleteExpiry, int32(i))
		}
		if sb.pause != 0 && sb.pauseResumesAt > 0 {
			s.schedule(sb.pauseResumesAt, dueUnpause, int32(i))
		}
		if sb.latestInvoice >= 0 {
			if in := &s.invoices[sb.latestInvoice]; in.status == invOpen && in.nextAttempt > 0 {
				s.schedule(in.nextAttempt, dueRetry, sb.latestInvoice)
			}
		}
	}
	for i := range s.disputes {
		d := &s.disputes[i]
		switch {
		case s.disputeOpen(d.status):
			s.schedule(d.dueBy, dueDisputeDeadline, int32(i))
		case d.status == dsUnderReview || d.status == dsWarningUnderReview:
			s.schedule(d.dueBy+7*day, dueDisputeDecision, int32(i))
		}
	}
	heap.Init(s.due)
}

// Advance moves the sandbox clock forward by d and performs everything that
// came due meanwhile, in time order, through the same code paths (and
// events) as API calls: renewals, smart retries, recoveries, trial ends,
// cancel_at_period_end, incomplete expiry, dispute deadlines and decisions,
// and occasional new disputes. It returns the ids of the events emitted.
func (s *Server) Advance(d time.Duration) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d < 0 {
		d = 0
	}
	if s.due == nil {
		s.buildDue()
	}
	var ids []string
	s.events.collect = &ids
	defer func() { s.events.collect = nil }()
	target := s.now().Add(d)
	for s.due.Len() > 0 {
		next := (*s.due)[0]
		if next.at > target.Unix() {
			break
		}
		heap.Pop(s.due)
		if t := time.Unix(next.at, 0); t.After(s.now()) {
			s.offset += t.Sub(s.now())
		}
		s.runDue(next)
	}
	if target.After(s.now()) {
		s.offset += target.Sub(s.now())
	}
	return ids
}

func (s *Server) runDue(it dueItem) {
	now := s.unix()
	switch it.what {
	case dueRenewal:
		s.renewDue(it.idx, now)
	case dueRetry:
		in := &s.invoices[it.idx]
		if in.status != invOpen || in.nextAttempt == 0 || in.nextAttempt > now || in.sub < 0 {
			return
		}
		if st := s.subs[in.sub].status; st == stCanceled || st == stIncompleteExpired {
			return
		}
		cust := in.customer
		if declineFor(s.customers[cust].pm) != dcNone && s.rng.Float64() < 0.35 {
			// The customer fixed their card: the retry recovers.
			s.setCustomerPM(cust, pmVisa)
		}
		_ = s.attemptInvoice(it.idx, s.customers[cust].pm, s.randomDecline(), true, nil)
	case dueTrialWillEnd:
		sb := &s.subs[it.idx]
		if sb.status == stTrialing && sb.trialEnd-3*day <= now {
			s.emit("customer.subscription.trial_will_end", s.renderSubscription(int(it.idx)), nil, nil)
		}
	case dueIncompleteExpiry:
		sb := &s.subs[it.idx]
		if sb.status != stIncomplete || sb.created+23*hour > now {
			return
		}
		if inv := sb.latestInvoice; inv >= 0 && s.invoices[inv].status == invOpen {
			s.setInvoiceStatus(inv, invVoid, "invoice.voided", nil)
		}
		s.subs[it.idx].endedAt = now
		s.setSubStatus(it.idx, stIncompleteExpired, nil)
	case dueUnpause:
		sb := &s.subs[it.idx]
		if sb.pause != 0 && sb.pauseResumesAt > 0 && sb.pauseResumesAt <= now {
			prev := s.renderSubscription(int(it.idx))["pause_collection"]
			sb.pause, sb.pauseResumesAt = 0, 0
			s.emit("customer.subscription.updated", s.renderSubscription(int(it.idx)), map[string]any{"pause_collection": prev}, nil)
		}
	case dueDisputeDeadline:
		d := &s.disputes[it.idx]
		if !s.disputeOpen(d.status) || d.dueBy > now {
			return
		}
		if len(d.evidence) > 0 {
			prev := disputeStatusNames[d.status]
			d.submissions++
			d.status = map[bool]uint8{true: dsWarningUnderReview, false: dsUnderReview}[d.status == dsWarningNeedsResponse]
			s.emit("charge.dispute.updated", s.renderDispute(int(it.idx)), map[string]any{"status": prev}, nil)
			s.schedule(now+10*day, dueDisputeDecision, it.idx)
			return
		}
		s.closeDisputeAs(it.idx, map[bool]uint8{true: dsWarningClosed, false: dsLost}[d.status == dsWarningNeedsResponse], nil)
	case dueDisputeDecision:
		d := &s.disputes[it.idx]
		switch d.status {
		case dsUnderReview:
			if s.rng.Float64() < 0.6 {
				s.closeDisputeAs(it.idx, dsWon, nil)
			} else {
				s.closeDisputeAs(it.idx, dsLost, nil)
			}
		case dsWarningUnderReview:
			s.closeDisputeAs(it.idx, dsWarningClosed, nil)
		}
	case dueNewDispute:
		cg := &s.charges[it.idx]
		if cg.status == chSucceeded && cg.dispute < 0 && cg.amountRefunded < cg.amount {
			s.openDispute(it.idx, uint8(s.rng.IntN(len(disputeReasons))), s.rng.Float64() < 0.15, nil)
		}
	}
}

// renewDue handles a subscription whose period (or trial) ended.
func (s *Server) renewDue(i int32, now int64) {
	sb := &s.subs[i]
	if sb.periodEnd > now {
		return
	}
	switch sb.status {
	case stCanceled, stIncompleteExpired, stIncomplete, stPaused:
		return
	}
	if sb.cancelAtPeriodEnd || (sb.cancelAt > 0 && sb.cancelAt <= now) {
		if len(sb.pending) > 0 {
			// Pending prorations are collected at the end, on a final
			// invoice (Stripe's "Cancel a subscription").
			lines := sb.pending
			sb.pending = nil
			s.billSubscription(i, lines, brCycle, nil)
		}
		s.cancelSub(i, 1, nil)
		return
	}
	if sb.status == stTrialing {
		if s.customers[sb.customer].pm == pmNone {
			sb.status = stPaused
			s.emit("customer.subscription.paused", s.renderSubscription(int(i)), nil, nil)
			s.emit("customer.subscription.updated", s.renderSubscription(int(i)), map[string]any{"status": "trialing"}, nil)
			return
		}
		sb.status = stActive
		s.emit("customer.subscription.updated", s.renderSubscription(int(i)), map[string]any{"status": "trialing"}, nil)
	}
	sb = &s.subs[i]
	prevStart, prevEnd := sb.periodStart, sb.periodEnd
	sb.periodStart = sb.periodEnd
	sb.periodEnd = periodEnd(sb.anchor, sb.periodStart, s.prices[sb.items[0].price].yearly)
	s.emit("customer.subscription.updated", s.renderSubscription(int(i)),
		map[string]any{"current_period_start": prevStart, "current_period_end": prevEnd}, nil)
	s.schedule(sb.periodEnd, dueRenewal, i)
	inv := s.renewInvoice(i, brCycle, nil)
	if ch := s.invoices[inv].charge; ch >= 0 && s.charges[ch].status == chSucceeded && s.rng.Float64() < 0.01 {
		s.schedule(now+int64(3+s.rng.IntN(18))*day, dueNewDispute, ch)
	}
}

// randomDecline occasionally fails a good card on automatic attempts.
func (s *Server) randomDecline() uint8 {
	if s.rng.Float64() >= 0.04 {
		return dcNone
	}
	return []uint8{dcInsufficient, dcGeneric, dcDoNotHonor, dcExpired}[s.rng.IntN(4)]
}

func (s *Server) setCustomerPM(cust int32, pm uint8) {
	before := s.renderCustomer(int(cust))
	s.customers[cust].pm = pm
	s.emit("customer.updated", s.renderCustomer(int(cust)), map[string]any{"invoice_settings": before["invoice_settings"]}, nil)
}
