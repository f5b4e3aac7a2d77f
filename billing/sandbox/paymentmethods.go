package sandbox

// listPaymentMethods answers GET /v1/customers/{id}/payment_methods: the
// customer's one test card (the invoice_settings.default_payment_method
// the seeder gave it), or an empty list. Test cards expire 12/2034, as
// charges' payment_method_details say.
func (s *Server) listPaymentMethods(c *call) (any, *apiError) {
	i, e := s.customerByID(c.id())
	if e != nil {
		return nil, e
	}
	cu := &s.customers[i]
	data := []any{}
	if cu.pm != pmNone {
		data = append(data, map[string]any{
			"id": pmIDs[cu.pm], "object": "payment_method", "type": "card", "created": cu.created,
			"customer": c.id(), "livemode": false, "metadata": map[string]string{},
			"billing_details": map[string]any{"address": nil, "email": nil, "name": nil, "phone": nil},
			"card": map[string]any{
				"brand": pmBrand[cu.pm], "country": "US", "exp_month": 12, "exp_year": 2034, "funding": "credit",
				"last4": pmLast4[cu.pm], "fingerprint": nil, "wallet": nil, "three_d_secure_usage": map[string]any{"supported": true},
				"checks":   map[string]any{"address_line1_check": nil, "address_postal_code_check": nil, "cvc_check": "pass"},
				"networks": map[string]any{"available": []string{pmBrand[cu.pm]}, "preferred": nil},
			},
		})
	}
	return map[string]any{"object": "list", "data": data, "has_more": false,
		"url": "/v1/customers/" + c.id() + "/payment_methods"}, nil
}
