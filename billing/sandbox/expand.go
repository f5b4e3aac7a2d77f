package sandbox

import "strings"

// applyExpand replaces id strings by the objects they name for each
// expand[] path ("customer", "data.customer", "latest_invoice.payment_intent").
// Any field holding an id of a kind the sandbox stores can be expanded.
func (s *Server) applyExpand(m map[string]any, paths []string) *apiError {
	for _, p := range paths {
		if p == "" {
			continue
		}
		if len(strings.Split(p, ".")) > 4 {
			return invalidRequest("expand", "You cannot expand more than 4 levels of a property. Property: %s", p)
		}
		if e := s.expandPath(m, strings.Split(p, "."), p); e != nil {
			return e
		}
	}
	return nil
}

func (s *Server) expandPath(m map[string]any, parts []string, full string) *apiError {
	if m["object"] == "list" && parts[0] == "data" {
		data, _ := m["data"].([]any)
		for _, d := range data {
			if dm, ok := d.(map[string]any); ok {
				if e := s.expandPath(dm, parts[1:], full); e != nil {
					return e
				}
			}
		}
		return nil
	}
	if len(parts) == 0 {
		return nil
	}
	v, present := m[parts[0]]
	if !present {
		return invalidRequest("expand", "This property cannot be expanded (%s).", full)
	}
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		obj, ok := s.renderByID(x)
		if !ok {
			return invalidRequest("expand", "This property cannot be expanded (%s).", full)
		}
		m[parts[0]] = obj
		if len(parts) > 1 {
			return s.expandPath(obj, parts[1:], full)
		}
		return nil
	case map[string]any:
		if len(parts) > 1 {
			return s.expandPath(x, parts[1:], full)
		}
		return nil
	}
	return invalidRequest("expand", "This property cannot be expanded (%s).", full)
}

// renderByID renders any stored object from its id.
func (s *Server) renderByID(id string) (map[string]any, bool) {
	i := strings.IndexByte(id, '_')
	if i < 0 {
		return nil, false
	}
	try := func(k kind, n int, render func(int) map[string]any) (map[string]any, bool) {
		seq, ok := s.ids.parse(k, id)
		if !ok || int(seq) >= n {
			return nil, false
		}
		return render(int(seq)), true
	}
	switch id[:i+1] {
	case "cus_":
		return try(kCustomer, len(s.customers), s.renderCustomer)
	case "sub_":
		return try(kSubscription, len(s.subs), s.renderSubscription)
	case "in_":
		return try(kInvoice, len(s.invoices), s.renderInvoice)
	case "ch_":
		return try(kCharge, len(s.charges), s.renderCharge)
	case "pi_":
		return try(kPaymentIntent, len(s.invoices), s.renderPaymentIntent)
	case "re_":
		return try(kRefund, len(s.refunds), s.renderRefund)
	case "dp_":
		return try(kDispute, len(s.disputes), s.renderDispute)
	case "prod_":
		return try(kProduct, len(s.products), s.renderProduct)
	case "price_":
		return try(kPrice, len(s.prices), s.renderPrice)
	case "file_":
		return try(kFile, len(s.files), s.renderFile)
	case "cbtxn_":
		return try(kBalanceTxn, len(s.txns), s.renderBalanceTxn)
	}
	return nil, false
}
