package sandbox

import (
	"net/http"
	"strconv"
)

// upcomingInvoice previews the next invoice of a subscription, optionally
// with proposed item changes (subscription_items[...]) prorated at
// subscription_proration_date; a change of interval previews the invoice
// Stripe makes at once (the billing cycle resets).
func (s *Server) upcomingInvoice(c *call) (any, *apiError) {
	custID, subID := c.p.str("customer"), c.p.str("subscription")
	if custID == "" && subID == "" {
		return nil, requiredParam("customer")
	}
	var cust int32 = -1
	if custID != "" {
		cu, e := s.customerParam("customer", custID)
		if e != nil {
			return nil, e
		}
		cust = cu
	}
	sub := int32(-1)
	if subID != "" {
		i, ok := s.ids.parse(kSubscription, subID)
		if !ok || int(i) >= len(s.subs) {
			return nil, missingParam("subscription", "subscription", subID)
		}
		sub = int32(i)
		if cust >= 0 && s.subs[sub].customer != cust {
			return nil, invalidRequest("subscription", "The subscription %s does not belong to customer %s.", subID, custID)
		}
	} else {
		for j := s.customers[cust].lastSub; j >= 0; j = s.subs[j].prevCust {
			if st := s.subs[j].status; st != stCanceled && st != stIncompleteExpired {
				sub = j
				break
			}
		}
	}
	none := &apiError{status: http.StatusNotFound, Type: "invalid_request_error", Code: "invoice_upcoming_none",
		DocURL: docURL("invoice_upcoming_none"), Message: "No upcoming invoices for customer: " + custID}
	if sub < 0 {
		return nil, none
	}
	sb := s.subs[sub] // copy: a preview changes nothing
	// Set to cancel at period end, the next invoice is the final one: only
	// the prorations left pending (Stripe collects them at that end), and
	// none at all when there are none.
	final := sb.cancelAtPeriodEnd && len(c.p.sub("subscription_items")) == 0
	if sb.status == stCanceled || sb.status == stIncompleteExpired || (final && len(sb.pending) == 0) {
		return nil, none
	}
	at := s.unix()
	if v, ok := c.p.strp("subscription_proration_date"); ok {
		t, e := parseIntStr(v, "subscription_proration_date")
		if e != nil {
			return nil, e
		}
		at = t
	}
	pb := c.p.str("subscription_proration_behavior")
	lines := append([]invLine(nil), sb.pending...)
	items := sb.items
	start := sb.periodEnd
	resets := false
	if len(c.p.sub("subscription_items")) > 0 {
		saveSeq := s.itemSeq
		newItems, e := s.parseItems(c, "subscription_items", sb.items)
		s.itemSeq = saveSeq
		if e != nil {
			return nil, e
		}
		// A change of interval resets the billing cycle and invoices at
		// once (as updateSubscription does): the preview is that invoice,
		// the old items' unused time credited, the new ones billed for a
		// whole new period from the proration date.
		resets = s.prices[newItems[0].price].yearly != s.prices[sb.items[0].price].yearly && sb.status != stTrialing
		switch {
		case resets && pb != "none":
			lines = append(lines, s.prorations(&sb, sb.items, nil, at)...)
		case !resets && sb.status != stTrialing && pb != "none":
			lines = append(lines, s.prorations(&sb, sb.items, newItems, at)...)
		}
		items = newItems
		if resets {
			start = at
		}
	}
	yearly := s.prices[items[0].price].yearly
	end := periodEnd(sb.anchor, start, yearly)
	if resets {
		end = periodEnd(start, start, yearly)
	}
	if v, ok := c.p.strp("subscription_trial_end"); ok {
		// The trial ends then instead: the first paid period starts there.
		if sb.status != stTrialing {
			return nil, invalidRequest("subscription_trial_end", "The subscription %s is not trialing.", subID)
		}
		start = at
		if v != "now" {
			t, e := parseIntStr(v, "subscription_trial_end")
			if e != nil {
				return nil, e
			}
			if t <= s.unix() {
				return nil, invalidRequest("subscription_trial_end", "Invalid timestamp: must be an integer Unix timestamp in the future.")
			}
			start = t
		}
		end = periodEnd(start, start, yearly)
	}
	if !final {
		lines = append(lines, s.itemLines(items, start, end)...)
	}
	in := invoice{customer: sb.customer, sub: sub, created: start, periodStart: sb.periodStart, periodEnd: sb.periodEnd,
		charge: -1, currency: sb.currency(s.prices), status: invDraft, reason: brCycle, price: -1, lines: lines}
	for k := range lines {
		lines[k].id = uint32(k + 1)
		in.total += lines[k].amount
	}
	s.discountInvoice(&in, lines, start)
	cu := &s.customers[sb.customer]
	if cu.balance != 0 && cu.cur == in.currency {
		in.startingBalance = cu.balance
	}
	m := s.renderInvoiceBody(&in, lines)
	m["next_payment_attempt"] = start
	m["lines"].(map[string]any)["url"] = "/v1/invoices/upcoming/lines?subscription=" + s.subID(sub)
	m["hosted_invoice_url"], m["invoice_pdf"] = nil, nil
	// Upcoming line ids are not stable objects in Stripe either.
	for k, l := range m["lines"].(map[string]any)["data"].([]any) {
		l.(map[string]any)["id"] = "il_tmp_" + strconv.Itoa(k+1) + s.subID(sub)[4:]
	}
	return m, nil
}
