package sandbox

import "strings"

// portalFlows are the flow_data[type] values of a billing-portal session.
var portalFlows = map[string]bool{"payment_method_update": true, "subscription_cancel": true,
	"subscription_update": true, "subscription_update_confirm": true}

// createPortalSession answers POST /v1/billing_portal/sessions as Stripe
// does for an account whose portal is configured: a session for a live
// customer with a one-time URL, announced by billing_portal.session.created.
// Errors: customer missing or unknown (resource_missing), a return_url
// that is not a URL, an unknown flow type.
func (s *Server) createPortalSession(c *call) (any, *apiError) {
	id := c.p.str("customer")
	if id == "" {
		return nil, requiredParam("customer")
	}
	cust, e := s.customerParam("customer", id)
	if e != nil {
		return nil, e
	}
	var ret any
	if v, ok := c.p.strp("return_url"); ok {
		if !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") || strings.ContainsAny(v, " \t\r\n") {
			return nil, invalidCode("url_invalid", "return_url", "Not a valid URL")
		}
		ret = v
	}
	var flow any
	if t, ok := c.p.strp("flow_data[type]"); ok {
		if !portalFlows[t] {
			return nil, invalidRequest("flow_data[type]", "Invalid flow_data[type]: must be one of payment_method_update, subscription_cancel, subscription_update, or subscription_update_confirm")
		}
		flow = map[string]any{"type": t, "after_completion": map[string]any{"type": "portal_homepage", "hosted_confirmation": nil, "redirect": nil},
			"subscription_cancel": nil, "subscription_update": nil, "subscription_update_confirm": nil}
	} else {
		for k := range c.p.v {
			if strings.HasPrefix(k, "flow_data[") {
				return nil, requiredParam("flow_data[type]")
			}
		}
	}
	s.portalSeq++
	sid := s.ids.id(kPortalSession, s.portalSeq)
	obj := map[string]any{"id": sid, "object": "billing_portal.session", "configuration": "bpc_sandboxdefault",
		"created": s.unix(), "customer": s.custID(cust), "flow": flow, "livemode": false, "locale": nil,
		"on_behalf_of": nil, "return_url": ret, "url": "https://billing.stripe.com/p/session/test_" + sid[len("bps_"):]}
	s.emit("billing_portal.session.created", obj, nil, c.evReq())
	return obj, nil
}
