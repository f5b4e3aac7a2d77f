package sandbox

import (
	"fmt"
	"strconv"
	"time"
)

func (s *Server) subID(i int32) string { return s.ids.id(kSubscription, uint32(i)) }

// periodEnd returns the end of the billing period that starts at start, for
// a subscription whose billing_cycle_anchor is anchor (unix seconds, UTC):
// the first anchor + k months (k x 12 for yearly prices) after start. As at
// Stripe, an anchor on the 29th-31st bills on the last day of shorter months
// and returns to its own day after them (Jan 31 -> Feb 28 -> Mar 31), at the
// anchor's time of day. See https://docs.stripe.com/billing/subscriptions/billing-cycle.
func periodEnd(anchor, start int64, yearly bool) int64 {
	a := time.Unix(anchor, 0).UTC()
	step := 1
	if yearly {
		step = 12
	}
	st := time.Unix(start, 0).UTC()
	k := ((st.Year()-a.Year())*12 + int(st.Month()-a.Month())) / step
	for k = max(k, 1); ; k++ {
		if end := addMonthsClamped(a, k*step); end > start {
			return end
		}
	}
}

// addMonthsClamped moves t by n calendar months, keeping its day of month
// unless the target month is shorter (then its last day) and its time of day.
func addMonthsClamped(t time.Time, n int) int64 {
	y, m, d := t.Date()
	last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m+time.Month(n), min(d, last), t.Hour(), t.Minute(), t.Second(), 0, time.UTC).Unix()
}

func orNil(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func (s *Server) renderItem(sub int32, it subItem) map[string]any {
	return map[string]any{
		"id": s.ids.id(kSubItem, it.id), "object": "subscription_item", "billing_thresholds": nil,
		"created": it.created, "metadata": map[string]any{}, "plan": s.renderPlan(int(it.price)),
		"price": s.renderPrice(int(it.price)), "quantity": it.qty, "subscription": s.subID(sub), "tax_rates": []any{},
	}
}

func (s *Server) renderSubscription(i int) map[string]any {
	sb := &s.subs[i]
	id := s.subID(int32(i))
	items := make([]any, len(sb.items))
	for k, it := range sb.items {
		items[k] = s.renderItem(int32(i), it)
	}
	var latest, pause any
	if sb.latestInvoice >= 0 {
		latest = s.ids.id(kInvoice, uint32(sb.latestInvoice))
	}
	if sb.pause != 0 {
		pause = map[string]any{"behavior": pauseBehaviors[sb.pause], "resumes_at": orNil(sb.pauseResumesAt)}
	}
	var reason any
	if sb.cancelReason != 0 {
		reason = cancelReasons[sb.cancelReason]
	}
	return map[string]any{
		"id": id, "object": "subscription", "application": nil, "application_fee_percent": nil,
		"automatic_tax": map[string]any{"enabled": false}, "billing_cycle_anchor": sb.anchor,
		"billing_thresholds": nil, "cancel_at": orNil(sb.cancelAt), "cancel_at_period_end": sb.cancelAtPeriodEnd,
		"canceled_at": orNil(sb.canceledAt), "cancellation_details": map[string]any{"comment": nil, "feedback": nil, "reason": reason},
		"collection_method": "charge_automatically", "created": sb.created, "currency": currencyCodes[sb.currency(s.prices)],
		"current_period_end": sb.periodEnd, "current_period_start": sb.periodStart, "customer": s.custID(sb.customer),
		"days_until_due": nil, "default_payment_method": nil, "default_source": nil, "default_tax_rates": []any{},
		"description": nil, "discount": s.renderDiscount(id), "ended_at": orNil(sb.endedAt),
		"items": map[string]any{"object": "list", "data": items, "has_more": false, "total_count": len(items),
			"url": "/v1/subscription_items?subscription=" + id},
		"latest_invoice": latest, "livemode": false, "metadata": metaJSON(sb.meta),
		"next_pending_invoice_item_invoice": nil, "on_behalf_of": nil, "pause_collection": pause,
		"payment_settings": map[string]any{"payment_method_options": nil, "payment_method_types": nil,
			"save_default_payment_method": "off"},
		"pending_invoice_item_interval": nil, "pending_setup_intent": nil, "pending_update": nil, "schedule": nil,
		"start_date": sb.start, "status": subStatusNames[sb.status], "test_clock": nil, "transfer_data": nil,
		"trial_end": orNil(sb.trialEnd), "trial_settings": map[string]any{"end_behavior": map[string]any{"missing_payment_method": "create_invoice"}},
		"trial_start": orNil(sb.trialStart),
	}
}

func (s *Server) subByID(id string) (int32, *apiError) {
	i, ok := s.ids.parse(kSubscription, id)
	if !ok || int(i) >= len(s.subs) {
		return 0, missing("subscription", id)
	}
	return int32(i), nil
}

func (s *Server) listSubscriptions(c *call) (any, *apiError) {
	spec := listSpec{url: "/v1/subscriptions", kind: kSubscription, what: "subscription", n: len(s.subs),
		created: func(i int) int64 { return s.subs[i].created }, render: s.renderSubscription}
	if id := c.p.str("customer"); id != "" {
		cu, ok := s.ids.parse(kCustomer, id)
		if !ok || int(cu) >= len(s.customers) {
			return listEnvelope(spec.url, nil, false), nil
		}
		spec.chain = linked(s.customers[cu].lastSub, func(j int32) int32 { return s.subs[j].prevCust })
	}
	status := c.p.str("status")
	want := -1
	if status != "" && status != "all" && status != "ended" {
		for k, n := range subStatusNames {
			if n == status {
				want = k
			}
		}
		if want < 0 {
			return nil, invalidRequest("status", "Invalid status: must be one of active, past_due, unpaid, canceled, incomplete, incomplete_expired, trialing, paused, all, or ended")
		}
	}
	pr := int32(-1)
	if id := c.p.str("price"); id != "" {
		p, e := s.priceParam("price", id)
		if e != nil {
			return nil, e
		}
		pr = p
	}
	spec.match = func(i int) bool {
		sb := &s.subs[i]
		switch {
		case status == "":
			if sb.status == stCanceled || sb.status == stIncompleteExpired {
				return false
			}
		case status == "ended":
			if sb.status != stCanceled && sb.status != stIncompleteExpired {
				return false
			}
		case want >= 0:
			if int(sb.status) != want {
				return false
			}
		}
		if pr >= 0 {
			for _, it := range sb.items {
				if it.price == pr {
					return true
				}
			}
			return false
		}
		return true
	}
	return c.list(spec)
}

func (s *Server) getSubscription(c *call) (any, *apiError) {
	i, e := s.subByID(c.id())
	if e != nil {
		return nil, e
	}
	return s.renderSubscription(int(i)), nil
}

// parseItems applies items[n][id|price|quantity|deleted] to current.
func (s *Server) parseItems(c *call, key string, current []subItem) ([]subItem, *apiError) {
	objs, e := c.p.objects(key)
	if e != nil {
		return nil, e
	}
	out := append([]subItem(nil), current...)
	for n, o := range objs {
		param := func(f string) string { return fmt.Sprintf("%s[%d][%s]", key, n, f) }
		qty := int64(-1)
		if q, ok := o["quantity"]; ok {
			v, err := strconv.ParseInt(q, 10, 64)
			if err != nil || v < 0 {
				return nil, invalidCode("parameter_invalid_integer", param("quantity"), "Invalid non-negative integer")
			}
			qty = v
		}
		pr := int32(-1)
		if id, ok := o["price"]; ok {
			p, e := s.priceParam(param("price"), id)
			if e != nil {
				return nil, e
			}
			pr = p
		}
		if id, ok := o["id"]; ok {
			k := -1
			for j := range out {
				if s.ids.id(kSubItem, out[j].id) == id {
					k = j
				}
			}
			if k < 0 {
				return nil, missingParam("subscription item", param("id"), id)
			}
			if o["deleted"] == "true" {
				out = append(out[:k], out[k+1:]...)
				continue
			}
			if pr >= 0 {
				out[k].price = pr
			}
			if qty >= 0 {
				out[k].qty = qty
			}
			continue
		}
		if pr < 0 {
			return nil, requiredParam(param("price"))
		}
		if qty < 0 {
			qty = 1
		}
		s.itemSeq++
		out = append(out, subItem{id: s.itemSeq, price: pr, qty: qty, created: s.unix()})
	}
	if len(out) == 0 {
		return nil, invalidRequest(key, "A subscription must have at least one active plan.")
	}
	cur, yearly := s.prices[out[0].price].currency, s.prices[out[0].price].yearly
	for _, it := range out[1:] {
		if s.prices[it.price].currency != cur {
			return nil, invalidRequest(key, "All prices on a subscription must have the same currency.")
		}
		if s.prices[it.price].yearly != yearly {
			return nil, invalidRequest(key, "All prices on a subscription must have the same recurring interval.")
		}
	}
	return out, nil
}

func (s *Server) itemLines(items []subItem, start, end int64) []invLine {
	lines := make([]invLine, 0, len(items))
	for _, it := range items {
		lines = append(lines, invLine{amount: s.prices[it.price].amount * it.qty, price: it.price, qty: it.qty,
			item: it.id, start: start, end: end, description: s.lineDescription(it.price, it.qty)})
	}
	return lines
}

func (s *Server) createSubscription(c *call) (any, *apiError) {
	custID := c.p.str("customer")
	if custID == "" {
		return nil, requiredParam("customer")
	}
	cust, e := s.customerParam("customer", custID)
	if e != nil {
		return nil, e
	}
	items, e := s.parseItems(c, "items", nil)
	if e != nil {
		return nil, e
	}
	cur, yearly := s.prices[items[0].price].currency, s.prices[items[0].price].yearly
	cu := &s.customers[cust]
	if cu.hasCur && cu.cur != cur {
		return nil, invalidRequest("currency", "You cannot combine currencies on a single customer. This customer has an active subscription, subscription schedule, discount, quote, or invoice item with currency %s.", currencyCodes[cu.cur])
	}
	behavior := c.p.str("payment_behavior")
	switch behavior {
	case "", "allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete":
	default:
		return nil, invalidRequest("payment_behavior", "Invalid payment_behavior: %s", behavior)
	}
	now := s.unix()
	trialEnd := int64(0)
	if d, ok, e := c.p.int("trial_period_days"); e != nil {
		return nil, e
	} else if ok && d > 0 {
		if d > 730 {
			return nil, invalidRequest("trial_period_days", "Trial period days cannot be greater than 730.")
		}
		trialEnd = now + d*day
	}
	if v, ok := c.p.strp("trial_end"); ok && v != "now" {
		t, e := parseIntStr(v, "trial_end")
		if e != nil {
			return nil, e
		}
		if t <= now {
			return nil, invalidRequest("trial_end", "Invalid timestamp: must be an integer Unix timestamp in the future.")
		}
		trialEnd = t
	}
	if behavior == "error_if_incomplete" && trialEnd == 0 {
		if dc := declineFor(cu.pm); dc != dcNone {
			return nil, cardError(dc, "")
		}
	}
	cape, _, e := c.p.boolean("cancel_at_period_end")
	if e != nil {
		return nil, e
	}
	meta, _ := c.p.metadata(nil)
	sb := subscription{customer: cust, created: now, start: now, anchor: now, periodStart: now, items: items,
		status: stIncomplete, cancelAtPeriodEnd: cape, latestInvoice: -1, prevCust: cu.lastSub, lastInv: -1, meta: meta}
	if trialEnd > 0 {
		sb.trialStart, sb.trialEnd, sb.periodEnd, sb.anchor = now, trialEnd, trialEnd, trialEnd
	} else {
		sb.periodEnd = periodEnd(now, now, yearly)
	}
	cu.cur, cu.hasCur = cur, true
	s.subs = append(s.subs, sb)
	i := int32(len(s.subs) - 1)
	s.customers[cust].lastSub = i
	req := c.evReq()
	if trialEnd > 0 {
		s.subs[i].status = stTrialing
		lines := s.itemLines(items, now, trialEnd)
		for k := range lines {
			lines[k].amount = 0
			lines[k].description = "Trial period for " + s.products[s.prices[lines[k].price].product].name
		}
		inv := s.newInvoice(cust, i, cur, lines, brCreate, now, trialEnd, req)
		s.emit("customer.subscription.created", s.renderSubscription(int(i)), nil, req)
		s.finalizeInvoice(inv, req)
		s.schedule(trialEnd-3*day, dueTrialWillEnd, i)
		s.schedule(trialEnd, dueRenewal, i)
		return s.renderSubscription(int(i)), nil
	}
	inv := s.newInvoice(cust, i, cur, s.itemLines(items, now, s.subs[i].periodEnd), brCreate, now, s.subs[i].periodEnd, req)
	s.emit("customer.subscription.created", s.renderSubscription(int(i)), nil, req)
	s.finalizeInvoice(inv, req)
	s.schedule(now+23*hour, dueIncompleteExpiry, i)
	s.schedule(s.subs[i].periodEnd, dueRenewal, i)
	if s.invoices[inv].status == invOpen && behavior != "default_incomplete" {
		// allow_incomplete: a decline leaves the subscription incomplete.
		_ = s.attemptInvoice(inv, s.customers[cust].pm, dcNone, false, req)
	}
	return s.renderSubscription(int(i)), nil
}

// setSubStatus changes a subscription's status and emits the update.
func (s *Server) setSubStatus(i int32, st uint8, req *eventRequest) {
	sb := &s.subs[i]
	prev := subStatusNames[sb.status]
	was := s.delinquent(sb.customer)
	sb.status = st
	s.emit("customer.subscription.updated", s.renderSubscription(int(i)), map[string]any{"status": prev}, req)
	s.announceDelinquency(s.subs[i].customer, was, req)
}

// cancelSub ends a subscription now (reason: 1 requested, 2 payment_failed).
func (s *Server) cancelSub(i int32, reason uint8, req *eventRequest) {
	sb := &s.subs[i]
	now := s.unix()
	was := s.delinquent(sb.customer)
	sb.status, sb.canceledAt, sb.endedAt, sb.cancelReason = stCanceled, now, now, reason
	sb.pending = nil
	s.emit("customer.subscription.deleted", s.renderSubscription(int(i)), nil, req)
	s.announceDelinquency(s.subs[i].customer, was, req)
}

func (s *Server) cancelSubscription(c *call) (any, *apiError) {
	i, e := s.subByID(c.id())
	if e != nil {
		return nil, e
	}
	if st := s.subs[i].status; st == stCanceled || st == stIncompleteExpired {
		return nil, invalidRequest("", "This subscription has already been canceled (status: %s).", subStatusNames[st])
	}
	s.cancelSub(i, 1, c.evReq())
	return s.renderSubscription(int(i)), nil
}

func (s *Server) resumeSubscription(c *call) (any, *apiError) {
	i, e := s.subByID(c.id())
	if e != nil {
		return nil, e
	}
	if s.subs[i].status != stPaused {
		return nil, invalidRequest("", "Only paused subscriptions can be resumed.")
	}
	req := c.evReq()
	sb := &s.subs[i]
	now := s.unix()
	yearly := s.prices[sb.items[0].price].yearly
	sb.periodStart, sb.periodEnd, sb.anchor = now, periodEnd(now, now, yearly), now
	sb.status = stActive
	s.emit("customer.subscription.resumed", s.renderSubscription(int(i)), nil, req)
	s.emit("customer.subscription.updated", s.renderSubscription(int(i)), map[string]any{"status": "paused"}, req)
	s.schedule(sb.periodEnd, dueRenewal, i)
	s.renewInvoice(i, brUpdate, req)
	return s.renderSubscription(int(i)), nil
}

// renewInvoice bills the current period (plus pending prorations) and
// attempts payment, honouring pause_collection.
func (s *Server) renewInvoice(i int32, reason uint8, req *eventRequest) int32 {
	sb := &s.subs[i]
	lines := append(sb.pending, s.itemLines(sb.items, sb.periodStart, sb.periodEnd)...)
	sb.pending = nil
	return s.billSubscription(i, lines, reason, req)
}

// billSubscription invoices lines for subscription i over its current
// period and collects it as the subscription's invoices are: finalized and
// attempted, or kept, marked or voided as pause_collection says.
func (s *Server) billSubscription(i int32, lines []invLine, reason uint8, req *eventRequest) int32 {
	sb := &s.subs[i]
	inv := s.newInvoice(sb.customer, i, sb.currency(s.prices), lines, reason, sb.periodStart, sb.periodEnd, req)
	s.collectSubscriptionInvoice(i, inv, req)
	return inv
}

// collectSubscriptionInvoice collects a new invoice of subscription i as
// its pause_collection says (keep_as_draft: left a draft; mark_uncollectible:
// finalized and marked; void: voided), and unpaid subscriptions' invoices
// stay drafts; otherwise it is finalized and attempted.
func (s *Server) collectSubscriptionInvoice(i, inv int32, req *eventRequest) {
	sb := &s.subs[i]
	switch {
	case s.subs[i].pause == 1 || s.subs[i].status == stUnpaid:
		// keep_as_draft, and unpaid subscriptions: invoices stay drafts.
	case s.subs[i].pause == 2:
		s.finalizeInvoice(inv, req)
		if s.invoices[inv].status == invOpen {
			s.setInvoiceStatus(inv, invUncollectible, "invoice.marked_uncollectible", req)
		}
	case s.subs[i].pause == 3:
		s.setInvoiceStatus(inv, invVoid, "invoice.voided", req)
	default:
		s.finalizeInvoice(inv, req)
		if s.invoices[inv].status == invOpen {
			_ = s.attemptInvoice(inv, s.customers[sb.customer].pm, s.randomDecline(), true, req)
		}
	}
}

const dateLayout = "02 Jan 2006"

// prorations credits the unused time of old items and debits the remaining
// time of new ones at time at.
func (s *Server) prorations(sb *subscription, old, cur []subItem, at int64) []invLine {
	if at < sb.periodStart {
		at = sb.periodStart
	}
	total, remaining := sb.periodEnd-sb.periodStart, sb.periodEnd-at
	when := time.Unix(at, 0).UTC().Format(dateLayout)
	same := func(a subItem, list []subItem) bool {
		for _, b := range list {
			if a.id == b.id && a.price == b.price && a.qty == b.qty {
				return true
			}
		}
		return false
	}
	var lines []invLine
	for _, it := range old {
		if same(it, cur) {
			continue
		}
		amt := prorate(s.prices[it.price].amount*it.qty, remaining, total)
		lines = append(lines, invLine{amount: -amt, price: it.price, qty: it.qty, item: it.id, start: at, end: sb.periodEnd,
			proration: true, description: fmt.Sprintf("Unused time on %d × %s after %s", it.qty, s.products[s.prices[it.price].product].name, when)})
	}
	for _, it := range cur {
		if same(it, old) {
			continue
		}
		amt := prorate(s.prices[it.price].amount*it.qty, remaining, total)
		lines = append(lines, invLine{amount: amt, price: it.price, qty: it.qty, item: it.id, start: at, end: sb.periodEnd,
			proration: true, description: fmt.Sprintf("Remaining time on %d × %s after %s", it.qty, s.products[s.prices[it.price].product].name, when)})
	}
	return lines
}

func (s *Server) updateSubscription(c *call) (any, *apiError) {
	i, e := s.subByID(c.id())
	if e != nil {
		return nil, e
	}
	sb := &s.subs[i]
	if sb.status == stCanceled || sb.status == stIncompleteExpired {
		for k := range c.p.v {
			if k != "metadata" && !hasPrefix(k, "metadata[") && !hasPrefix(k, "expand") && !hasPrefix(k, "cancellation_details") {
				return nil, invalidRequest(k, "A canceled subscription can only update its cancellation_details and metadata.")
			}
		}
	}
	before := s.renderSubscription(int(i))
	prev := map[string]any{}
	req := c.evReq()
	pb := c.p.str("proration_behavior")
	switch pb {
	case "", "create_prorations", "none", "always_invoice":
	default:
		return nil, invalidRequest("proration_behavior", "Invalid proration_behavior: %s", pb)
	}
	at := s.unix()
	if v, ok := c.p.strp("proration_date"); ok {
		t, e := parseIntStr(v, "proration_date")
		if e != nil {
			return nil, e
		}
		at = t
	}
	var newItems []subItem
	if len(c.p.sub("items")) > 0 {
		newItems, e = s.parseItems(c, "items", sb.items)
		if e != nil {
			return nil, e
		}
		if s.prices[newItems[0].price].currency != sb.currency(s.prices) {
			return nil, invalidRequest("items", "You cannot change the currency of a subscription.")
		}
	}
	cape, hasCape, e := c.p.boolean("cancel_at_period_end")
	if e != nil {
		return nil, e
	}
	trial, e := s.parseTrialEnd(c, i)
	if e != nil {
		return nil, e
	}
	coup, promo, discount, e := s.discountRequest(c, sb.customer, int(sb.currency(s.prices)))
	if e != nil {
		return nil, e
	}
	pauseSet, pauseBehavior, resumesAt := false, uint8(0), int64(0)
	if v, ok := c.p.strp("pause_collection"); ok && v == "" {
		pauseSet = true
	} else if b := c.p.str("pause_collection[behavior]"); b != "" {
		pauseSet = true
		for k, n := range pauseBehaviors {
			if k > 0 && n == b {
				pauseBehavior = uint8(k)
			}
		}
		if pauseBehavior == 0 {
			return nil, invalidRequest("pause_collection[behavior]", "Invalid pause_collection[behavior]: must be one of keep_as_draft, mark_uncollectible, or void")
		}
		if v := c.p.str("pause_collection[resumes_at]"); v != "" {
			if resumesAt, e = parseIntStr(v, "pause_collection[resumes_at]"); e != nil {
				return nil, e
			}
		}
	}
	// Validated: apply.
	if m, changed := c.p.metadata(sb.meta); changed {
		prev["metadata"] = before["metadata"]
		sb.meta = m
	}
	if hasCape && cape != sb.cancelAtPeriodEnd {
		prev["cancel_at_period_end"] = sb.cancelAtPeriodEnd
		prev["cancel_at"] = before["cancel_at"]
		sb.cancelAtPeriodEnd = cape
		sb.cancelAt = 0
		if cape {
			sb.cancelAt = sb.periodEnd
		}
	}
	if pauseSet {
		prev["pause_collection"] = before["pause_collection"]
		sb.pause, sb.pauseResumesAt = pauseBehavior, resumesAt
		if resumesAt > 0 {
			s.schedule(resumesAt, dueUnpause, i)
		}
	}
	s.applyTrialEnd(i, trial, prev)
	if discount {
		prev["discount"] = s.applyDiscount(s.subID(i), sb.customer, i, coup, promo, req)
	}
	var immediate []invLine
	if newItems != nil {
		prev["items"] = before["items"]
		old := sb.items
		oldYearly := s.prices[old[0].price].yearly
		newYearly := s.prices[newItems[0].price].yearly
		if oldYearly != newYearly && sb.status != stTrialing {
			// Interval change: Stripe resets the billing cycle and invoices now.
			credit := s.prorations(sb, old, nil, at)
			sb.items = newItems
			now := s.unix()
			sb.periodStart, sb.periodEnd, sb.anchor = now, periodEnd(now, now, newYearly), now
			s.schedule(sb.periodEnd, dueRenewal, i)
			if pb == "none" {
				credit = nil
			}
			sb.pending = append(sb.pending, credit...)
			pb = "always_invoice_cycle"
		} else {
			sb.items = newItems
			if sb.status != stTrialing && pb != "none" {
				lines := s.prorations(sb, old, newItems, at)
				if pb == "always_invoice" {
					immediate = lines
				} else {
					sb.pending = append(sb.pending, lines...)
				}
			}
		}
	}
	if len(prev) > 0 {
		s.emit("customer.subscription.updated", s.renderSubscription(int(i)), prev, req)
	}
	s.billTrialEnd(i, trial, req)
	switch {
	case pb == "always_invoice_cycle":
		s.renewInvoice(i, brUpdate, req)
	case len(immediate) > 0:
		sb := &s.subs[i]
		inv := s.newInvoice(sb.customer, i, sb.currency(s.prices), append(sb.pending, immediate...), brUpdate, at, sb.periodEnd, req)
		s.subs[i].pending = nil
		if s.subs[i].pause != 0 {
			// Collection paused: the update's invoice is kept, marked or
			// voided like any other of the subscription, never charged.
			s.collectSubscriptionInvoice(i, inv, req)
			break
		}
		s.finalizeInvoice(inv, req)
		if s.invoices[inv].status == invOpen {
			if e := s.attemptInvoice(inv, s.customers[s.subs[i].customer].pm, dcNone, false, req); e != nil && c.p.str("payment_behavior") == "error_if_incomplete" {
				return nil, e
			}
		}
	}
	return s.renderSubscription(int(i)), nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
