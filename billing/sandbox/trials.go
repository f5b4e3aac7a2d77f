package sandbox

// maxTrialDays is how far ahead Stripe accepts a trial_end.
const maxTrialDays = 730

// trialChange is a validated trial_end parameter of a subscription update.
type trialChange struct {
	set bool  // trial_end was given
	now bool  // trial_end=now
	end int64 // the new trial end (unix seconds) when !now
}

// parseTrialEnd validates trial_end on POST /v1/subscriptions/{id}:
// "now" or a unix time in the future, at most 730 days ahead. The sandbox
// changes only a running trial (status trialing); Stripe's other uses of
// trial_end (adding a trial to an active subscription) are refused.
func (s *Server) parseTrialEnd(c *call, i int32) (trialChange, *apiError) {
	v, ok := c.p.strp("trial_end")
	if !ok {
		return trialChange{}, nil
	}
	if s.subs[i].status != stTrialing {
		return trialChange{}, invalidRequest("trial_end", "The sandbox changes trial_end only on a trialing subscription; %s is %s.",
			s.subID(i), subStatusNames[s.subs[i].status])
	}
	if v == "now" {
		return trialChange{set: true, now: true}, nil
	}
	t, e := parseIntStr(v, "trial_end")
	if e != nil {
		return trialChange{}, e
	}
	now := s.unix()
	if t <= now {
		return trialChange{}, invalidRequest("trial_end", "Invalid timestamp: must be an integer Unix timestamp in the future.")
	}
	if t > now+maxTrialDays*day {
		return trialChange{}, invalidRequest("trial_end", "Invalid timestamp: can be no more than %d days in the future.", maxTrialDays)
	}
	return trialChange{set: true, end: t}, nil
}

// applyTrialEnd moves the trial's end (and with it the period end and the
// billing cycle anchor) and records the previous values in prev. Ending
// it now makes the subscription active on a new period starting now; the
// caller bills that period with billTrialEnd after announcing the update.
func (s *Server) applyTrialEnd(i int32, tc trialChange, prev map[string]any) {
	if !tc.set {
		return
	}
	sb := &s.subs[i]
	prev["trial_end"], prev["current_period_end"] = sb.trialEnd, sb.periodEnd
	if tc.now {
		now := s.unix()
		prev["status"], prev["current_period_start"], prev["billing_cycle_anchor"] = subStatusNames[sb.status], sb.periodStart, sb.anchor
		sb.status = stActive
		sb.trialEnd, sb.periodStart, sb.anchor = now, now, now
		sb.periodEnd = periodEnd(now, now, s.prices[sb.items[0].price].yearly)
		s.schedule(sb.periodEnd, dueRenewal, i)
		return
	}
	prev["billing_cycle_anchor"] = sb.anchor
	sb.trialEnd, sb.periodEnd, sb.anchor = tc.end, tc.end, tc.end
	s.schedule(tc.end-3*day, dueTrialWillEnd, i)
	s.schedule(tc.end, dueRenewal, i)
}

// billTrialEnd invoices the first paid period of a trial ended now and
// attempts its payment on the customer's default payment method.
func (s *Server) billTrialEnd(i int32, tc trialChange, req *eventRequest) {
	if !tc.set || !tc.now {
		return
	}
	sb := &s.subs[i]
	lines := append(sb.pending, s.itemLines(sb.items, sb.periodStart, sb.periodEnd)...)
	sb.pending = nil
	inv := s.newInvoice(sb.customer, i, sb.currency(s.prices), lines, brUpdate, sb.periodStart, sb.periodEnd, req)
	s.finalizeInvoice(inv, req)
	if s.invoices[inv].status == invOpen {
		_ = s.attemptInvoice(inv, s.customers[sb.customer].pm, dcNone, false, req)
	}
}
